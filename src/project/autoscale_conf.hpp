#pragma once

// run.conf "autoscale" (docs/decisions.md 31): the bounds, metric and target the agent scales a counted
// entry on, in the shape of Kubernetes' HorizontalPodAutoscaler (minReplicas, maxReplicas, one metric
// target, a scale-down stabilisation window) plus a scale-out cooldown as the Swarm autoscalers have.
// Pure: a JSON value in, a checked spec out.

#include "project/jsonc.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockerops::project {

// The largest count an entry may have ("instances", autoscale's max): the project network holds 253
// containers.
inline constexpr int k_max_instances = 250;

// What the autoscaler measures on each instance.
enum class AutoscaleMetric {
  cpu,     // CPU used as a fraction of the instance's "cpus" limit, or of one core without one
  memory,  // memory used as a fraction of the instance's "memory" limit
  latency, // median response time in ms of the agent's probe of the instance
};

std::string_view to_string(AutoscaleMetric metric);

// The latency probe: an HTTP GET of `path` when it is set, else a TCP connect, to `port` on the
// instance's address on the project network.
struct AutoscaleProbe {
  int port = 0;
  std::string path{}; // "" = TCP connect
};

// Defaults (docs/decisions.md 31): scale out at the first sampling pass over the target unless the
// last scale-out is younger than the cooldown; scale in only to the highest recommendation of the last
// 300 s (HPA's --horizontal-pod-autoscaler-downscale-stabilization), so only after consistently low load.
inline constexpr int k_default_scale_out_cooldown = 30;
inline constexpr int k_default_scale_in_stabilization = 300;
inline constexpr double k_default_tolerance = 0.1; // HPA's --horizontal-pod-autoscaler-tolerance

// A checked "autoscale" object: 1 <= min <= max <= 250, target > 0 (a fraction up to 1 for cpu and
// memory, ms for latency), a probe exactly when the metric is latency.
struct AutoscaleSpec {
  int min = 1;
  int max = 1;
  AutoscaleMetric metric = AutoscaleMetric::cpu;
  double target = 0;
  std::optional<AutoscaleProbe> probe{};
  int scale_out_cooldown = k_default_scale_out_cooldown;         // seconds
  int scale_in_stabilization = k_default_scale_in_stabilization; // seconds
  double tolerance = k_default_tolerance;
  int line = 0; // of the "autoscale" key's object
};

// The keys of an "autoscale" object, for "did you mean".
const std::vector<std::string>& autoscale_keys();

// Reads an "autoscale" value; throws a config Error "FILE:LINE: "autoscale": ..." naming the key for
// anything missing, unknown, mistyped or out of range, and for min > max or latency without a probe.
AutoscaleSpec parse_autoscale(const JsonValue& value, const std::string& filename);

// "cpu 0.6 (min 1, max 6)", for --dry-run, info and the agent's state.
std::string describe(const AutoscaleSpec& spec);

} // namespace dockerops::project
