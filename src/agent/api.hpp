#pragma once

#include "agent/snapshot.hpp"
#include "http/router.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace dockerops::http {
class Deferred;
}

namespace dockerops::agent {

class EventFeed;
class LogStreams;

// What the API's handlers reach. Every call is quick (a snapshot, a subscription, a queued
// action): handlers run on the HTTP server's event thread.
struct ApiContext {
  std::function<std::shared_ptr<const Snapshot>()> snapshot;
  std::function<AgentFigures()> figures;
  // Queues a scale of a service's counted entry (`prefix` = its "instance" when it has several).
  std::function<std::shared_ptr<http::Deferred>(const std::string& service,
                                                const std::optional<std::string>& prefix, int count)>
      scale{};
  // The autoscaler's entries, decisions and history (Autoscaler::state()).
  std::function<nlohmann::json()> autoscale{};
  EventFeed* feed = nullptr;
  LogStreams* logs = nullptr;
  // Queues a restart of an instance through the reconcile core; the deferred answer comes when it
  // is done. Null until the agent can act.
  std::function<std::shared_ptr<http::Deferred>(const std::string& service, const std::string& instance)>
      restart{};
  // False on a swarm (docs/decisions.md 38): Swarm restarts and scales, so the restart and scale
  // routes are not offered (GET /api/v1 does not list them; they answer 404).
  bool acts = true;
};

// The routes of the agent's API (docs/decisions.md 30; docs/api/openapi.json describes them and
// a test holds the server to it):
//   GET  /api/v1                                         the routes this agent offers
//   GET  /api/v1/state                                   the project, instances, DNS records
//   GET  /api/v1/stats                                   figures and per-instance CPU / memory
//   GET  /api/v1/autoscale                               autoscaled entries: bounds, decisions, history
//   GET  /api/v1/events                                  SSE, replay with Last-Event-ID or ?since=
//   GET  /api/v1/instances/{service}/{instance}          one instance in detail (as `info`)
//   GET  /api/v1/instances/{service}/{instance}/logs     SSE of the container's output
//   POST /api/v1/instances/{service}/{instance}/restart  bring an instance back through the core
//   POST /api/v1/services/{service}/scale                {"instances": N[, "instance": PREFIX]}: scale
//   GET  /metrics                                        Prometheus text
http::Router make_api(ApiContext& context);

} // namespace dockerops::agent
