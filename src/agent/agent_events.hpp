#pragma once

#include "agent/event.hpp"
#include "agent/keep_alive.hpp"
#include "core/intent.hpp"

#include <string>
#include <vector>

// The events the agent writes about itself and its decisions (source "agent", "api" or "user").
namespace dockerops::agent {

// One of the agent's own: "agent-started", "engine-stream-lost"...
Event agent_event(const std::string& action, const std::string& outcome, const std::string& reason);

// An action's event: its kind as the action ("restart", "replace", "backoff", "dns-sync"), the
// instance, the failures in a row and the policy as details.
Event action_event(const Action& action, const std::string& outcome, const std::string& reason,
                   const std::string& source);

// What commands asked since `before` (each changed record is an "intent" event of the user); the
// agent's own records are left out (its actions say it).
std::vector<Event> intent_events(const core::Intents& before, const core::Intents& after);

} // namespace dockerops::agent
