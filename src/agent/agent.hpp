#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "project/project.hpp"

namespace dockerops::engine {
class Engine;
}

namespace dockerops::agent {

// How `dockerops agent` (or the dockerops-agent built-in service) runs.
struct AgentOptions {
  project::DiscoveryOptions where{};        // the project: its folder, name, services and data folders
  std::string listen_address = "127.0.0.1"; // another address needs --listen and gets a warning
  std::uint16_t port = 0;                   // 0 = a free port
  std::chrono::milliseconds reconcile_interval{10000}; // full reconcile even without events
  std::chrono::milliseconds stats_interval{5000};
  std::filesystem::path cgroup_root = "/sys/fs/cgroup";
  std::filesystem::path page_dir{}; // the status page's files (web/); empty = no page
  // On a swarm (docs/decisions.md 38) the agent follows what Swarm does instead of keeping
  // instances alive: it observes the manager at least every `swarm_interval`.
  bool swarm = false;
  std::chrono::milliseconds swarm_interval{1000};
};

// Runs the project's agent until SIGINT/SIGTERM: takes the single-agent lock, serves the API,
// follows the Engine's events, observes the project and brings back what its restart policy and
// the user's intent ask for (through the reconcile core), samples stats, and records everything it
// sees and does in the event log. On a swarm it follows instead: the nodes of the instances,
// relocations and instances waiting for their node become events, and the DNS follows the tasks. `on_ready`
// gets the API's base URL once it listens. Throws a conflict Error when another agent is active for the
// project.
void run_agent(engine::Engine& engine, const AgentOptions& options,
               const std::function<void(const std::string& url)>& on_ready);

} // namespace dockerops::agent
