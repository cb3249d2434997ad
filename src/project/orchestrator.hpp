#pragma once

// Which engine runs a project on this host (docs/decisions.md 33): the Docker daemon itself, or
// Docker Swarm through a manager's Engine API.

#include "project/host_conf.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace dockerops::project {

enum class Orchestrator { docker, swarm };

// "docker", "swarm".
std::string_view to_string(Orchestrator orchestrator);

// DOCKEROPS_ORCHESTRATOR (`env`, when set and not empty) wins over host.conf's "orchestrator"
// (docs/decisions.md 19: the environment before host.conf); neither = docker. An unknown name is
// a config Error naming where it came from ("host.conf:3: \"orchestrator\": ..."). host.conf's
// "registry" is checked on the way: "HOST:PORT" (or "HOST"), no scheme, no path.
Orchestrator choose_orchestrator(const HostConf& conf, const std::optional<std::string>& env);

} // namespace dockerops::project
