#include "agent/swarm_observer.hpp"

#include "apply/observe.hpp"
#include "engine/engine.hpp"

namespace dockerops::agent {

SwarmObserver::SwarmObserver(engine::Engine& engine, std::string project, std::string project_dir)
    : m_engine(engine), m_project(std::move(project)), m_project_dir(std::move(project_dir)) {}

SwarmObserver::Pass SwarmObserver::observe() {
  plan::ObservedState observed = apply::observe_swarm(m_engine, m_project, apply::SwarmParts::no_files);
  Pass pass;
  pass.instances = swarm_instances(*observed.swarm);
  pass.events = follow_swarm(m_memory, pass.instances, observed.swarm->nodes);
  // Each node serves the zone from its own dockerops-dns, on the overlay: the agent does not read
  // it back (ps and dig on a node show it).
  pass.dns.error = "on a swarm the zone is served on every node; the agent does not read it back";
  pass.observed = std::move(observed);
  return pass;
}

} // namespace dockerops::agent
