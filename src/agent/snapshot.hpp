#pragma once

#include "agent/dns_view.hpp"
#include "agent/observer.hpp"
#include "agent/stats.hpp"
#include "core/intent.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dockerops::agent {

// One instance as the API shows it: what was observed plus what the agent knows of it.
struct InstanceView {
  ObservedInstance observed{};
  std::string restart = "no";  // the policy (label dockerops.restart)
  std::uint64_t restarts = 0;  // times the agent brought it back (from the event log)
  std::string desired{};       // "running", "stopped" (by a command), or "" when nothing was said
  std::string backoff_until{}; // a crash loop's next allowed attempt (RFC 3339), or ""
};

// The agent's view of the project at one moment: what GET /api/v1/state, /stats and /metrics
// serve. Built by the agent's loop, read by the API without locks (immutable once published).
struct Snapshot {
  std::string project{};
  std::string zone{};
  std::string observed_at{};
  std::vector<InstanceView> instances{};
  DnsView dns{};
  std::vector<InstanceStats> stats{};
  std::string sampled_at{};
  int stats_interval_seconds = 0;
};

// The agent's own figures (docs/decisions.md 30), since it started.
struct AgentFigures {
  double uptime_seconds = 0;
  std::uint64_t api_requests = 0;
  std::uint64_t failures = 0;     // instances that died or vanished unexpectedly
  std::uint64_t replacements = 0; // instances the agent brought back
  std::uint64_t relocations = 0;  // instances moved to another node (0 on one host)
};

// The instances as the API shows them: every observed container, then the instances that should
// run but have no container ("missing"), sorted by service and instance. `restarts` and
// `backoff_until` are by "service/instance".
std::vector<InstanceView> instance_views(std::vector<ObservedInstance> observed, const core::Intents& intents,
                                         const std::map<std::string, std::uint64_t>& restarts,
                                         const std::map<std::string, std::string>& backoff_until);

// One instance as GET /api/v1/state lists it, with its declared "resources" (null: not set).
nlohmann::json instance_json(const InstanceView& view);

// The instance's measured figures of the last stats pass next to them in the state ("usage":
// cpu_percent, memory_bytes, memory_limit_bytes, sampled_at), or null when it was not sampled.
nlohmann::json usage_json(const Snapshot& snapshot, const std::string& service, const std::string& instance);

// Number of instances whose container runs.
std::size_t running_count(const Snapshot& snapshot);

// GET /api/v1/state: the project, its services with their instances, the DNS records.
nlohmann::json state_json(const Snapshot& snapshot);

// GET /api/v1/stats: the figures, then per-instance CPU % and memory.
nlohmann::json stats_json(const Snapshot& snapshot, const AgentFigures& figures);

// GET /metrics: the same in the Prometheus text format (version 0.0.4).
std::string metrics_text(const Snapshot& snapshot, const AgentFigures& figures);

// Finds an instance, or nullptr.
const InstanceView* find_instance(const Snapshot& snapshot, const std::string& service,
                                  const std::string& instance);

} // namespace dockerops::agent
