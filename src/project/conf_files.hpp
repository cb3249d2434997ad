#pragma once

// Which files a command reads: the run conf (conf=NAME), host.conf, and the
// discovery options from flags and the environment. The choosers are pure (a
// predicate says which files exist); the load/save functions do the I/O.

#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "project/host_conf.hpp"
#include "project/host_info.hpp"
#include "project/project.hpp"
#include "project/run_conf.hpp"

namespace dockerops::project {

// The run conf file name (relative to the project dir) for `conf=NAME`:
// NAME, else NAME.conf; with no NAME run.conf, else default.conf (the
// original's name), else "" (no conf: single runs still work). A named conf
// that does not exist is a config Error listing the .conf files present.
std::string choose_conf_file(const std::string& conf_arg,
                             const std::function<bool(const std::string&)>& exists,
                             const std::vector<std::string>& conf_files_present = {});

// Reads and parses the chosen run conf from the project dir; a project
// without one gets an empty RunConf named "run.conf".
RunConf load_run_conf(const std::string& project_dir, const std::string& conf_arg);

// Where host.conf is (docs/decisions.md 2): <project>/host.conf when present (the original's place),
// else <project>/.dockerops/host.conf, which is also where a new one goes.
std::filesystem::path host_conf_path(const std::string& project_dir);

// Reads host.conf; missing = empty.
HostConf load_host_conf(const std::string& project_dir);

// Writes host.conf atomically (fs::write_file_atomic, mode 0600: it may hold secrets).
void save_host_conf(const std::string& project_dir, const HostConf& conf);

// Discovery options from the command line and the environment:
// --project-dir > cwd; --project-name > PROJECT_NAME > dir name;
// SERVICES_IMAGES_DIR and DATA_DIR as in the original (relative = to the project dir).
DiscoveryOptions discovery_options(const HostInfo& host, const std::string& cwd,
                                   const std::string& project_dir_flag, const std::string& project_name_flag);

} // namespace dockerops::project
