#pragma once

#include "apply/registrar.hpp"
#include "engine/engine.hpp"

#include <string>
#include <vector>

namespace dockerops::apply {

// The records the running instances of `project` (its containers with an address on the project
// network, the DNS excepted) should have at `server`: names and policies from each container's
// hostname and environment (docs/decisions.md 14).
std::vector<DnsRecord> running_records(engine::Engine& engine, const std::string& project,
                                       const std::string& server, const std::string& zone);

} // namespace dockerops::apply
