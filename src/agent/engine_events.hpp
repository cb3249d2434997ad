#pragma once

#include "agent/event.hpp"

namespace dockerops::engine {
struct Event;
}

namespace dockerops::agent {

// An Engine API container event as an event of the log (source "engine", outcome "observed"):
// the instance from the container's labels, the time from the daemon's clock, and a reason for
// people ("exit code 137", "signal 15", "the container was removed", "unhealthy").
Event event_from_engine(const engine::Event& event);

} // namespace dockerops::agent
