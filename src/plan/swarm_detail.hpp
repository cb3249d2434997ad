#pragma once

// Internal to plan/: what the swarm planners (plan_swarm.cpp, plan_swarm_lifecycle.cpp) share.

#include "plan/observed.hpp"

#include <string>

namespace dockerops::plan::detail {

// The project's service of (service, instance) by labels, or nullptr.
const ObservedService* find_service(const ObservedSwarm& swarm, const std::string& project,
                                    const std::string& service, const std::string& instance);

} // namespace dockerops::plan::detail
