#include "agent/event.hpp"

#include "base/error.hpp"

namespace dockerops::agent {
namespace {

std::string text_field(const nlohmann::json& json, const char* key, bool required) {
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) {
    if (required)
      fail(ErrorKind::config, "event without \"{}\"", key);
    return "";
  }
  if (!it->is_string())
    fail(ErrorKind::config, "event field \"{}\" is not a string", key);
  return it->get<std::string>();
}

} // namespace

nlohmann::json to_json(const Event& event) {
  nlohmann::json json = {{"id", event.id},           {"time", event.time},
                         {"service", event.service}, {"instance", event.instance},
                         {"action", event.action},   {"reason", event.reason},
                         {"outcome", event.outcome}, {"source", event.source}};
  if (!event.details.empty())
    json["details"] = event.details;
  return json;
}

Event event_from_json(const nlohmann::json& json) {
  if (!json.is_object())
    fail(ErrorKind::config, "an event is a JSON object");
  Event event;
  auto id = json.find("id");
  if (id == json.end() || !id->is_number_unsigned())
    fail(ErrorKind::config, "event without a numeric \"id\"");
  event.id = id->get<std::uint64_t>();
  event.time = text_field(json, "time", true);
  event.action = text_field(json, "action", true);
  event.service = text_field(json, "service", false);
  event.instance = text_field(json, "instance", false);
  event.reason = text_field(json, "reason", false);
  event.outcome = text_field(json, "outcome", false);
  event.source = text_field(json, "source", false);
  auto details = json.find("details");
  if (details != json.end() && details->is_object())
    event.details = *details;
  return event;
}

std::string format_event(const Event& event) {
  std::string who = event.service.empty() ? "project" : event.service;
  if (!event.instance.empty())
    who += "/" + event.instance;
  std::string line = event.time + " " + who + " " + event.action;
  if (!event.outcome.empty())
    line += " (" + event.outcome + ")";
  if (!event.reason.empty())
    line += ": " + event.reason;
  return line;
}

} // namespace dockerops::agent
