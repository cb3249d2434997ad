#pragma once

#include "plan/observed.hpp"
#include "project/host_conf.hpp"
#include "project/host_info.hpp"
#include "project/project.hpp"
#include "project/resolve.hpp"
#include "project/run_conf.hpp"

#include <optional>
#include <string>

namespace dockerops::engine {
class Engine;
}

namespace dockerops::cli {

class Context;

// A project read from disk: folders and services, the run conf in use, host.conf and the host
// facts; observed state is added by observe_into().
struct LoadedProject {
  project::Project project;
  project::RunConf conf;
  project::HostConf host_conf;
  project::HostInfo host;
  plan::ObservedState observed;
  std::string subnet; // the project /24 (existing network, else a free one)
};

// Where the project is and what it is called: --project-dir, --project-name, PROJECT_NAME,
// SERVICES_IMAGES_DIR and DATA_DIR (relative paths are relative to the project dir).
project::DiscoveryOptions discovery(const Context& context);

// The project's name (for commands that only list containers): --project-name, PROJECT_NAME,
// else the folder name, sanitized.
std::string project_name(const Context& context);

// Discovers the project (services/, DATA_DIR, SERVICES_IMAGES_DIR), reads the run conf (`conf`:
// NAME or NAME.conf; default run.conf, else default.conf; a missing conf is an empty one unless
// named explicitly) and host.conf (project root or .dockerops/). With --ask on a terminal,
// required variables without a value are asked for (terminal_prompt.hpp).
LoadedProject load_project(const Context& context, const std::optional<std::string>& conf);

// Observes the project's containers and the networks, and picks the subnet.
void observe_into(engine::Engine& engine, LoadedProject& loaded);

// The ResolveInput for a selection, with image facts from the engine for the project's images.
project::ResolveInput resolve_input(engine::Engine& engine, const LoadedProject& loaded);

} // namespace dockerops::cli
