#include "agent/agent_events.hpp"

namespace dockerops::agent {

Event agent_event(const std::string& action, const std::string& outcome, const std::string& reason) {
  Event event;
  event.action = action;
  event.outcome = outcome;
  event.reason = reason;
  event.source = "agent";
  return event;
}

Event action_event(const Action& action, const std::string& outcome, const std::string& reason,
                   const std::string& source) {
  Event event;
  event.service = action.service;
  event.instance = action.instance;
  event.action = std::string(to_string(action.kind));
  event.outcome = outcome;
  event.reason = reason;
  event.source = source;
  if (action.failures > 0)
    event.details["failures"] = action.failures;
  if (!action.restart.empty())
    event.details["restart"] = action.restart;
  return event;
}

std::vector<Event> intent_events(const core::Intents& before, const core::Intents& after) {
  std::vector<Event> events;
  for (const auto& [key, intent] : after) {
    auto old = before.find(key);
    if (intent.by == "agent" ||
        (old != before.end() && old->second.desired == intent.desired && old->second.at == intent.at))
      continue;
    auto slash = key.find('/');
    Event event;
    event.service = key.substr(0, slash);
    event.instance = slash == std::string::npos ? "" : key.substr(slash + 1);
    event.action = "intent";
    event.outcome = "observed";
    event.source = "user";
    event.reason = "desired " + intent.desired + " (dockerops " + intent.by + ")";
    events.push_back(std::move(event));
  }
  return events;
}

} // namespace dockerops::agent
