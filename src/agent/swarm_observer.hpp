#pragma once

#include "agent/dns_view.hpp"
#include "agent/swarm_follow.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace dockerops::engine {
class Engine;
}

namespace dockerops::agent {

// The agent's observation of the project on a swarm (docs/decisions.md 38), through the manager:
// apply::observe_swarm, the instances with their nodes, and what changed since the last pass
// (follow_swarm). Not thread-safe: the agent's loop owns it.
class SwarmObserver {
public:
  SwarmObserver(engine::Engine& engine, std::string project, std::string project_dir);

  struct Pass {
    std::vector<ObservedInstance> instances{};
    std::vector<Event> events{}; // relocated, waiting-for-node, node-down, node-ready
    DnsView dns{};
    plan::ObservedState observed{}; // what the manager reported (swarm set)
  };

  // Throws what observe_swarm throws (a config Error when the engine is no manager).
  Pass observe();

private:
  engine::Engine& m_engine;
  std::string m_project;
  std::string m_project_dir;
  SwarmMemory m_memory{};
};

} // namespace dockerops::agent
