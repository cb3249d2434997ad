#include "agent/api.hpp"

#include "agent/event_feed.hpp"
#include "agent/instance_detail.hpp"
#include "agent/log_streams.hpp"
#include "base/error.hpp"
#include "base/strings.hpp"
#include "http/deferred.hpp"
#include "http/sse.hpp"
#include "http/stream.hpp"
#include "project/autoscale_conf.hpp"

#include <fmt/format.h>

#include <charconv>

namespace dockerops::agent {
namespace {

http::Response sse(std::shared_ptr<http::Stream> stream) {
  http::Response response;
  response.content_type = "text/event-stream; charset=utf-8";
  response.stream = std::move(stream);
  response.headers.emplace_back("X-Accel-Buffering", "no");
  return response;
}

// A boolean query value; nullopt (with `error` set) when it is not one.
std::optional<bool> query_bool(const http::Request& request, const std::string& key, bool fallback,
                               std::string& error) {
  auto value = request.query_value(key);
  if (!value)
    return fallback;
  auto parsed = strings::parse_bool(*value);
  if (!parsed)
    error = key + " must be true or false, not \"" + *value + "\"";
  return parsed;
}

// The instance a path names, or the 404 that says what exists.
const InstanceView* instance_or_error(const Snapshot& snapshot, const http::Request& request,
                                      http::Response& error) {
  const std::string& service = request.params.at("service");
  const std::string& instance = request.params.at("instance");
  if (const InstanceView* found = find_instance(snapshot, service, instance))
    return found;
  bool service_exists = false;
  for (const auto& i : snapshot.instances)
    service_exists = service_exists || i.observed.service == service;
  error = http::error_response(404, service_exists
                                        ? "service " + service + " has no instance " + instance
                                        : "project " + snapshot.project + " has no service " + service);
  return nullptr;
}

// 409 for an instance that should run but has no container (the agent brings it back, or run does).
http::Response no_container(const InstanceView& view) {
  return http::error_response(409, view.observed.service + "/" + view.observed.instance +
                                       " has no container (it is missing)");
}

// A request body, when one is sent, must be a JSON object (malformed JSON is a 400, not ignored).
std::optional<http::Response> check_json_body(const http::Request& request) {
  if (strings::trim(request.body).empty())
    return std::nullopt;
  try {
    if (!nlohmann::json::parse(request.body).is_object())
      return http::error_response(400, "the request body must be a JSON object");
  } catch (const nlohmann::json::exception& e) {
    return http::error_response(400, std::string("malformed JSON body: ") + e.what());
  }
  return std::nullopt;
}

http::Response events(ApiContext& context, http::Request& request) {
  EventFilter filter;
  filter.service = request.query_value("service").value_or("");
  filter.instance = request.query_value("instance").value_or("");
  std::string last_event_id = request.header("last-event-id");
  auto since = request.query_value("since");
  bool replay = !last_event_id.empty() || since.has_value();
  try {
    if (!last_event_id.empty()) {
      auto point = http::resume_point(last_event_id, std::nullopt);
      if (point.invalid)
        return http::error_response(400, "Last-Event-ID must be an event id (a number)");
      filter.after_id = point.after;
    } else if (since) {
      parse_since(*since, filter);
    }
  } catch (const Error& e) {
    return http::error_response(400, e.what());
  }
  return sse(context.feed->subscribe(filter, replay));
}

http::Response logs(ApiContext& context, http::Request& request) {
  auto snapshot = context.snapshot();
  http::Response error;
  const InstanceView* found = instance_or_error(*snapshot, request, error);
  if (found == nullptr)
    return error;
  if (found->observed.container_id.empty())
    return no_container(*found);
  std::string problem;
  LogRequest log_request;
  log_request.container_id = found->observed.container_id;
  auto follow = query_bool(request, "follow", false, problem);
  auto timestamps = query_bool(request, "timestamps", false, problem);
  if (!follow || !timestamps)
    return http::error_response(400, problem);
  log_request.follow = *follow;
  log_request.timestamps = *timestamps;
  log_request.tail = request.query_value("tail").value_or("100");
  if (log_request.tail != "all") {
    long lines = -1;
    auto [end, ec] =
        std::from_chars(log_request.tail.data(), log_request.tail.data() + log_request.tail.size(), lines);
    if (ec != std::errc() || end != log_request.tail.data() + log_request.tail.size() || lines < 0 ||
        lines > 100000)
      return http::error_response(400, "tail must be \"all\" or a number of lines from 0 to 100000");
  }
  auto stream = context.logs->open(log_request);
  if (!stream)
    return http::error_response(503, "too many log streams are open; close one and try again");
  return sse(stream);
}

http::Response instance_detail(ApiContext& context, http::Request& request) {
  auto snapshot = context.snapshot();
  http::Response error;
  const InstanceView* found = instance_or_error(*snapshot, request, error);
  if (found == nullptr)
    return error;
  return http::json_response(200, instance_detail_json(*snapshot, *found));
}

http::Response restart(ApiContext& context, http::Request& request) {
  if (auto bad = check_json_body(request))
    return *bad;
  auto snapshot = context.snapshot();
  http::Response error;
  const InstanceView* found = instance_or_error(*snapshot, request, error);
  if (found == nullptr)
    return error;
  if (found->observed.container_id.empty())
    return no_container(*found);
  if (!context.restart)
    return http::error_response(503, "the agent cannot restart instances yet");
  http::Response response;
  response.deferred = context.restart(found->observed.service, found->observed.instance);
  return response;
}

http::Response scale(ApiContext& context, http::Request& request) {
  if (auto bad = check_json_body(request))
    return *bad;
  nlohmann::json body =
      strings::trim(request.body).empty() ? nlohmann::json::object() : nlohmann::json::parse(request.body);
  auto count = body.find("instances");
  if (count == body.end() || !count->is_number_integer() || *count < 1 || *count > project::k_max_instances)
    return http::error_response(400, fmt::format("the body must be {{\"instances\": N}} with N from 1 to {}",
                                                 project::k_max_instances));
  std::optional<std::string> prefix;
  if (auto it = body.find("instance"); it != body.end()) {
    if (!it->is_string())
      return http::error_response(400, "\"instance\" must be the counted entry's instance prefix (a string)");
    prefix = it->get<std::string>();
  }
  if (!context.scale)
    return http::error_response(503, "the agent cannot scale yet");
  http::Response response;
  response.deferred = context.scale(request.params.at("service"), prefix, count->get<int>());
  return response;
}

} // namespace

http::Router make_api(ApiContext& context) {
  http::Router router;
  router.add("GET", "/api/v1/state", [&context](http::Request&) {
    return http::json_response(200, state_json(*context.snapshot()));
  });
  router.add("GET", "/api/v1/stats", [&context](http::Request&) {
    return http::json_response(200, stats_json(*context.snapshot(), context.figures()));
  });
  router.add("GET", "/api/v1/autoscale", [&context](http::Request&) {
    return http::json_response(200, context.autoscale ? context.autoscale()
                                                      : nlohmann::json{{"entries", nlohmann::json::array()}});
  });
  router.add("GET", "/api/v1/events", [&context](http::Request& r) { return events(context, r); });
  router.add("GET", "/api/v1/instances/{service}/{instance}",
             [&context](http::Request& r) { return instance_detail(context, r); });
  router.add("GET", "/api/v1/instances/{service}/{instance}/logs",
             [&context](http::Request& r) { return logs(context, r); });
  if (context.acts) {
    router.add("POST", "/api/v1/instances/{service}/{instance}/restart",
               [&context](http::Request& r) { return restart(context, r); });
    router.add("POST", "/api/v1/services/{service}/scale",
               [&context](http::Request& r) { return scale(context, r); });
  }
  router.add("GET", "/metrics", [&context](http::Request&) {
    return http::text_response(200, metrics_text(*context.snapshot(), context.figures()),
                               "text/plain; version=0.0.4; charset=utf-8");
  });
  // Last, so that it lists every route above: what this agent offers (the page shows an action
  // only when its route is listed).
  auto routes = router.describe();
  routes.push_back("GET /api/v1");
  router.add("GET", "/api/v1", [routes](http::Request&) {
    return http::json_response(200, {{"api", "v1"}, {"routes", routes}});
  });
  return router;
}

} // namespace dockerops::agent
