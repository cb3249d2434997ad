#pragma once

// Internal to plan/: what the swarm planners (plan_swarm.cpp, plan_swarm_lifecycle.cpp) share.

#include "plan/observed.hpp"
#include "plan/plan.hpp"

#include <string>

namespace dockerops::plan::detail {

// The project's service of (service, instance) by labels, or nullptr.
const ObservedService* find_service(const ObservedSwarm& swarm, const std::string& project,
                                    const std::string& service, const std::string& instance);

// Appends the dns-sync of every node's DNS (plan_swarm_dns.cpp) after every other operation, when
// the project's DNS runs once `plan` is done: it exists and this plan neither stops nor removes it,
// or `dns_started` (the plan creates or starts it).
void add_swarm_dns_sync(Plan& plan, const ObservedSwarm& swarm, const std::string& project, bool dns_started);

// The project's service of a counted entry (service, prefix) by labels, or nullptr.
const ObservedService* find_counted(const ObservedSwarm& swarm, const std::string& project,
                                    const std::string& service, const std::string& prefix);

} // namespace dockerops::plan::detail
