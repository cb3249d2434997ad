#pragma once

// The project on disk: its name, folders and services (one folder with a
// Dockerfile each), discovered once and then used as plain data.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "project/dockerfile.hpp"

namespace dockerops::project {

// One buildable service of the project (services/<name>/).
struct Service {
  std::string name;
  std::string dir;                        // absolute build context folder
  Dockerfile dockerfile;                  // parsed annotations and FROM
  std::vector<std::string> required_vars; // from required_env_vars.json
};

// A discovered project.
struct Project {
  std::string name;         // sanitized, lower case
  std::string dir;          // absolute project dir
  std::string services_dir; // SERVICES_IMAGES_DIR, default <dir>/services
  std::string data_dir;     // DATA_DIR, default <dir>/data_<name>
  std::map<std::string, Service> services;
};

// Where the caller found things; the CLI fills it from the command line and HostInfo.
struct DiscoveryOptions {
  std::string dir;          // --project-dir or the cwd (absolute)
  std::string name;         // --project-name, else PROJECT_NAME, else empty (= dir name)
  std::string services_dir; // SERVICES_IMAGES_DIR, empty = <dir>/services
  std::string data_dir;     // DATA_DIR, empty = <dir>/data_<name>
};

// The longest project name (documented in dockerops(1)).
inline constexpr std::size_t k_max_project_name = 63;

// Lower-cases and sanitizes a name to Docker's rules [a-z0-9][a-z0-9_.-]*;
// throws a usage Error when nothing usable is left or more than k_max_project_name remain.
std::string sanitize_project_name(std::string_view raw);

// True for built-in service names (dockerops-dns): no services/ folder needed.
bool is_builtin_service(std::string_view service);

// The image of a built-in service ("dockerops/dns"); empty when not built in.
std::string builtin_image(std::string_view service);

// What to add to "service X has no folder services/X": the closest known service, or, when the
// project has no service at all, that the folder may not be a dockerops project (a command run
// in the wrong folder is the usual cause).
std::string unknown_service_hint(const Project& project, const std::string& service);

// Names, folders, no services yet (pure).
Project make_project(const DiscoveryOptions& options);

// Adds one service from its files' text (pure). required_json may be empty (no file).
void add_service(Project& project, const std::string& name, std::string_view dockerfile_text,
                 std::string_view required_json);

// Reads services_dir/<name>/{Dockerfile,required_env_vars.json}: folders without
// a Dockerfile are skipped. The only file reading of project/ besides conf loading.
Project discover_project(const DiscoveryOptions& options);

} // namespace dockerops::project
