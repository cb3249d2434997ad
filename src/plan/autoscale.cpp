#include "plan/autoscale.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace dockerops::plan {

std::string_view to_string(AutoscaleVerdict verdict) {
  switch (verdict) {
  case AutoscaleVerdict::hold:
    return "hold";
  case AutoscaleVerdict::scale_out:
    return "scale-out";
  case AutoscaleVerdict::scale_in:
    return "scale-in";
  case AutoscaleVerdict::suppressed:
    return "suppressed";
  case AutoscaleVerdict::no_metrics:
    return "no-metrics";
  }
  return "?";
}

namespace {

std::string figure(const project::AutoscaleSpec& spec, double value) {
  return spec.metric == project::AutoscaleMetric::latency ? fmt::format("{:.1f} ms", value)
                                                          : fmt::format("{:.2f}", value);
}

long seconds_between(AutoscaleClock::time_point from, AutoscaleClock::time_point to) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(to - from).count());
}

// metric / target over all `instances`, missing figures counted as HPA counts them (0 when the
// sampled ones ask for more, the target when they ask for fewer); 1 when the missing ones turn the
// direction round or bring it into the tolerance: no change until they report.
double ratio_with_missing(const project::AutoscaleSpec& spec, double sum, int sampled, int instances) {
  double ratio = sum / sampled / spec.target;
  if (sampled == instances || std::abs(ratio - 1) <= spec.tolerance)
    return ratio;
  double fill = ratio > 1 ? 0 : spec.target;
  double all = (sum + fill * (instances - sampled)) / instances / spec.target;
  if ((all > 1) != (ratio > 1) || std::abs(all - 1) <= spec.tolerance)
    return 1;
  return all;
}

} // namespace

AutoscaleDecision decide_autoscale(const project::AutoscaleSpec& spec, const AutoscaleInput& input,
                                   AutoscaleMemory& memory) {
  AutoscaleDecision d;
  d.current = d.desired = d.recommended = input.current;
  d.instances = static_cast<int>(input.samples.size());
  if (memory.expected && *memory.expected != input.current) {
    memory.since = input.now;
    memory.recommendations.clear();
    memory.set_by_hand = true;
  }
  memory.expected = input.current;
  if (!memory.since)
    memory.since = input.now;
  const auto window = std::chrono::seconds(spec.scale_in_stabilization);
  while (!memory.recommendations.empty() && input.now - memory.recommendations.front().first > window)
    memory.recommendations.pop_front();

  // Outside the bounds (the run conf changed, or a user scaled by hand): back within them at once.
  if (input.current > spec.max || input.current < spec.min) {
    d.desired = std::clamp(input.current, spec.min, spec.max);
    d.verdict = d.desired > input.current ? AutoscaleVerdict::scale_out : AutoscaleVerdict::scale_in;
    d.reason = fmt::format("{} instances are outside min {} and max {}: {} -> {}", input.current, spec.min,
                           spec.max, input.current, d.desired);
    if (d.verdict == AutoscaleVerdict::scale_out)
      memory.last_scale_out = input.now;
    memory.expected = d.desired;
    return d;
  }

  double sum = 0;
  for (const auto& s : input.samples)
    if (s.value) {
      sum += *s.value;
      ++d.sampled;
    }
  if (d.sampled == 0) {
    d.verdict = AutoscaleVerdict::no_metrics;
    d.reason = fmt::format("no {} figure yet from the {} instance{}: no action", to_string(spec.metric),
                           d.instances, d.instances == 1 ? "" : "s");
    return d;
  }
  d.metric = sum / d.sampled;
  d.ratio = ratio_with_missing(spec, sum, d.sampled, d.instances);
  std::string figures = fmt::format("{} {} of target {} on {} of {} instance{} (ratio {:.2f})",
                                    to_string(spec.metric), figure(spec, d.metric), figure(spec, spec.target),
                                    d.sampled, d.instances, d.instances == 1 ? "" : "s", d.ratio);
  if (std::abs(d.ratio - 1) <= spec.tolerance) {
    d.recommended = input.current;
    figures += fmt::format(": within the tolerance {}", spec.tolerance);
  } else {
    // A small epsilon so that 3 x 0.6 / 0.6 is 3, not 4.
    d.recommended = static_cast<int>(std::ceil(d.instances * d.ratio - 1e-9));
    figures += fmt::format(": ceil({} x {:.2f}) = {}", d.instances, d.ratio, d.recommended);
  }
  int bounded = std::clamp(d.recommended, spec.min, spec.max);
  memory.recommendations.emplace_back(input.now, bounded);

  if (bounded > input.current) {
    if (memory.last_scale_out &&
        input.now - *memory.last_scale_out < std::chrono::seconds(spec.scale_out_cooldown)) {
      d.verdict = AutoscaleVerdict::suppressed;
      d.held_by = "cooldown";
      d.reason =
          fmt::format("{}; held by the cooldown: the last scale-out was {} s ago, the cooldown is {} s",
                      figures, seconds_between(*memory.last_scale_out, input.now), spec.scale_out_cooldown);
      return d;
    }
    d.verdict = AutoscaleVerdict::scale_out;
    d.desired = bounded;
    d.reason = fmt::format("{}{}: scale out {} -> {}", figures,
                           d.recommended > spec.max ? fmt::format(", capped at max {}", spec.max) : "",
                           input.current, bounded);
    memory.last_scale_out = input.now;
    memory.expected = d.desired;
    return d;
  }
  if (bounded < input.current) {
    int highest = bounded;
    for (const auto& [at, count] : memory.recommendations)
      highest = std::max(highest, count);
    bool full = input.now - *memory.since >= window;
    if (!full || highest >= input.current) {
      d.verdict = AutoscaleVerdict::suppressed;
      d.held_by = "stabilization";
      long observed = seconds_between(*memory.since, input.now);
      if (full)
        d.reason = fmt::format(
            "{}; held by the stabilization window: {} instances were recommended within the last {} s",
            figures, highest, spec.scale_in_stabilization);
      else if (memory.set_by_hand)
        d.reason = fmt::format(
            "{}; held by the stabilization window: the count was set by hand {} s ago, the window is {} s",
            figures, observed, spec.scale_in_stabilization);
      else
        d.reason = fmt::format("{}; held by the stabilization window: {} s observed of {} s", figures,
                               observed, spec.scale_in_stabilization);
      return d;
    }
    d.verdict = AutoscaleVerdict::scale_in;
    d.desired = highest;
    memory.expected = d.desired;
    memory.set_by_hand = false;
    d.reason = fmt::format("{}; the highest recommendation of the last {} s is {}: scale in {} -> {}",
                           figures, spec.scale_in_stabilization, highest, input.current, highest);
    return d;
  }
  if (d.recommended > spec.max) {
    d.verdict = AutoscaleVerdict::suppressed;
    d.held_by = "max";
    d.reason = fmt::format("{}; held by max {}", figures, spec.max);
    return d;
  }
  d.reason = d.recommended < spec.min ? fmt::format("{}; at min {}", figures, spec.min) : figures;
  return d;
}

} // namespace dockerops::plan
