#include "agent/engine_events.hpp"

#include "base/time_text.hpp"
#include "engine/types.hpp"
#include "project/model.hpp"

namespace dockerops::agent {
namespace {

std::string attribute(const engine::Event& event, std::string_view key) {
  auto it = event.attributes.find(std::string(key));
  return it == event.attributes.end() ? std::string() : it->second;
}

} // namespace

Event event_from_engine(const engine::Event& e) {
  Event event;
  event.service = attribute(e, project::k_label_service);
  event.instance = attribute(e, project::k_label_instance);
  event.action = e.action;
  event.outcome = "observed";
  event.source = "engine";
  if (e.time_nano > 0)
    event.time = time_text::rfc3339(
        std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::nanoseconds(e.time_nano))));
  event.details = {{"container_id", e.actor_id.substr(0, 12)}, {"container_name", attribute(e, "name")}};
  if (e.action.rfind("health_status", 0) == 0) {
    // "health_status: healthy"
    event.action = "health_status";
    auto colon = e.action.find(':');
    event.reason = colon == std::string::npos ? "" : e.action.substr(colon + 2);
  } else if (e.action == "die") {
    std::string code = attribute(e, "exitCode");
    event.reason = "exit code " + (code.empty() ? std::string("?") : code);
    if (!code.empty())
      event.details["exit_code"] = std::atoi(code.c_str());
  } else if (e.action == "kill") {
    event.reason = "signal " + attribute(e, "signal");
  } else if (e.action == "oom") {
    event.reason = "out of memory";
  } else if (e.action == "destroy") {
    event.reason = "the container was removed";
  }
  return event;
}

} // namespace dockerops::agent
