#pragma once

#include "engine/engine.hpp"
#include "plan/observed.hpp"

#include <string>

namespace dockerops::apply {

// Observes the project (compose's "observe" step): its containers by the dockerops.project
// label, with their address on <project>_net, and every network (names and subnets, so a free
// /24 can be chosen). Read-only.
plan::ObservedState observe(engine::Engine& engine, const std::string& project);

// Observes the project on a swarm (docs/decisions.md 33) through a manager: fails with a config
// Error unless the engine is an active manager (engine::check_manager); then the nodes, the
// project's services (by label) with their tasks and addresses on <project>_net, the project's
// secrets and configs, every network, and docker_gwbridge's gateway (the nameserver every task
// reaches its node's DNS at; Docker's default 172.18.0.1 when the manager has none yet). An empty
// `project` observes the services of every project. `SwarmParts::no_files` leaves out the secrets
// and configs (two list calls), which only the planner reads: for the agent's pass every second
// and for listings.
enum class SwarmParts { all, no_files };
plan::ObservedState observe_swarm(engine::Engine& engine, const std::string& project,
                                  SwarmParts parts = SwarmParts::all);

// The project network's subnet when it exists, else the first free /24 of `pool`
// (docs/decisions.md 11), given the networks observed.
std::string project_subnet(const plan::ObservedState& observed, const std::string& project,
                           const std::string& pool = "172.30.0.0/16");

} // namespace dockerops::apply
