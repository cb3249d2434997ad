#pragma once

// The replicas of a project's services on a swarm, as `ps` and the agent both describe them
// (docs/decisions.md 33, 38): one per slot of a replicated service (per node of a global one), from
// its current task. Pure: the observation in, the replicas out.

#include "plan/observed.hpp"

#include <string>
#include <vector>

namespace dockerops::plan {

struct SwarmReplica {
  const ObservedService* service = nullptr;
  // The current task (desired running, a running one first, else desired ready: a restart waiting
  // for its delay); with none, the service's latest task, which explains why the replica is not
  // there; nullptr when the service has no task at all.
  const ObservedTask* task = nullptr;
  // The instance: the service's, or for a counted service the one of the task's slot
  // (project::task_instance), "<prefix>*" when it has no task.
  std::string instance{};
  // The task's state, or: "stopped" (scaled to 0 by stop), "pending" (no task yet, or its latest
  // waits for a node), "starting" (no task is meant to run yet: its latest is done or going, or the
  // current one waits for its restart delay), "waiting-for-node" (a pinned instance whose node is
  // not ready and no task of it runs).
  std::string state{};
  std::string node{}; // the task's node (hostname); the pinned node while it waits for it
};

// The replicas of every observed service, in the order of the services, then of the slots.
std::vector<SwarmReplica> swarm_replicas(const ObservedSwarm& swarm);

} // namespace dockerops::plan
