#pragma once

#include "agent/observer.hpp"

#include <optional>
#include <string>
#include <vector>

// What the agent watches for the project's watchers (run.conf "watches", docs/decisions.md 32).
namespace dockerops::agent {

// The addresses of the up instances of every service, as one comparable text
// ("web=172.30.5.3,172.30.5.4;db=..."), or nothing when no instance watches anything (then the
// agent has nobody to tell).
std::optional<std::string> watched_membership(const std::vector<ObservedInstance>& observed);

} // namespace dockerops::agent
