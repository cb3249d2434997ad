#pragma once

// The agent on a swarm (docs/decisions.md 38): Swarm restarts and reschedules tasks itself, so the
// agent follows. From each observation of the manager it builds the instances (with the node of
// each) and compares them with what it remembers: a running task on another node than the last
// one is a relocation; a persistent instance whose pinned node is down waits for it; a node that
// changes state is said once. Pure: no Engine, no clock.

#include "agent/event.hpp"
#include "agent/observer.hpp"
#include "plan/observed.hpp"

#include <map>
#include <string>
#include <vector>

namespace dockerops::agent {

// The project's instances on a swarm, one per replica of each project service (the registry and
// the agent's own service are not instances), sorted by service and instance: the current task's
// state, container, address on the project network and node (hostname); "waiting-for-node" for a
// pinned instance (label dockerops.node) whose node is not ready, "stopped" for a stopped service,
// "pending" when no task exists yet. A counted service's replicas are named from their slot.
std::vector<ObservedInstance> swarm_instances(const plan::ObservedSwarm& swarm);

// What the agent remembers between two observations.
struct SwarmMemory {
  std::map<std::string, std::string> node_of;     // "service/instance" -> the node it last ran on
  std::map<std::string, std::string> node_states; // node hostname -> its last state
  std::map<std::string, bool> waiting;            // "service/instance" -> waiting for its node
  bool known = false;                             // false before the first observation
};

// What changed since `memory` (which is updated): a "relocated" event (details old_node,
// new_node) for each instance whose running task is on another node than the one it last ran on;
// "waiting-for-node" when a pinned instance starts waiting, "node-down" / "node-ready" when a
// node's state changes. The first observation only fills the memory: an agent that starts does
// not count what moved before it.
std::vector<Event> follow_swarm(SwarmMemory& memory, const std::vector<ObservedInstance>& instances,
                                const std::vector<plan::ObservedNode>& nodes);

// The number of "relocated" events among `events`.
std::size_t relocation_count(const std::vector<Event>& events);

} // namespace dockerops::agent
