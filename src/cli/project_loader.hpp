#pragma once

#include "core/project_state.hpp"
#include "project/project.hpp"

#include <optional>
#include <string>

namespace dockerops::cli {

class Context;

// Where the project is and what it is called: --project-dir, --project-name, PROJECT_NAME,
// SERVICES_IMAGES_DIR and DATA_DIR (relative paths are relative to the project dir).
project::DiscoveryOptions discovery(const Context& context);

// The project's name (for commands that only list containers): --project-name, PROJECT_NAME,
// else the folder name, sanitized.
std::string project_name(const Context& context);

// True when the project runs on a swarm: DOCKEROPS_ORCHESTRATOR, else host.conf "orchestrator"
// (docs/decisions.md 33); a bad value is a config Error.
bool on_swarm(const Context& context);

// core::load_project with the command line's project and conf (`conf`: NAME or NAME.conf; default
// run.conf, else default.conf) and this host's facts. With --ask on a terminal, required variables
// without a value are asked for (terminal_prompt.hpp).
core::LoadedProject load_project(const Context& context, const std::optional<std::string>& conf);

} // namespace dockerops::cli
