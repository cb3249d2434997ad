#pragma once

// The autoscaler's decision (issue 15, docs/decisions.md 31), as Kubernetes' HorizontalPodAutoscaler
// takes it: desired = ceil(instances x metric / target), no change while metric / target is within the
// tolerance of 1, bounded by min and max (never below 1); a scale-in goes only as low as the highest
// recommendation of the stabilisation window (so only after consistently low load), a scale-out waits
// for the cooldown since the last scale-out (the new instances report first; a scale-in never delays
// the reaction to new load). Instances without a sample count as HPA counts them: as 0 when
// the others say "out", as exactly the target when they say "in", so a new instance that has no figure
// yet never tips the decision. Pure: samples and the time in, a decision and the updated memory out.

#include "project/autoscale_conf.hpp"

#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace dockerops::plan {

using AutoscaleClock = std::chrono::steady_clock;

// One instance's figure in the metric's unit (a fraction of the limit for cpu and memory, ms for
// latency); nullopt when the instance has none yet (just started, or its probe failed).
struct MetricSample {
  std::string instance{};
  std::optional<double> value{};
};

// What one decision is taken on.
struct AutoscaleInput {
  int current = 0;                     // the entry's count now
  std::vector<MetricSample> samples{}; // one per running instance of the entry
  AutoscaleClock::time_point now{};
};

// What the decisions remember from one pass to the next (one per autoscaled entry).
struct AutoscaleMemory {
  std::optional<AutoscaleClock::time_point> since{}; // the first pass: a window starts full only after it
  std::optional<AutoscaleClock::time_point> last_scale_out{};               // the cooldown counts from it
  std::deque<std::pair<AutoscaleClock::time_point, int>> recommendations{}; // within the window
  // The count the last decision left. Another count in the next input means someone else (a user
  // through the CLI or the API) set it: the window restarts there, so a count set by hand holds for
  // one window before the metric can take it back (Kubernetes' HPA would undo it at once).
  std::optional<int> expected{};
  bool set_by_hand = false; // the window restarted on a count set by hand (said in the reason)
};

enum class AutoscaleVerdict {
  hold,       // nothing to do: within the tolerance, or at the count the metric asks for
  scale_out,  // more instances: `desired`
  scale_in,   // fewer instances: `desired`
  suppressed, // the metric asks for a change that a bound, the cooldown or the window holds back
  no_metrics, // no instance has a figure: no action
};

std::string_view to_string(AutoscaleVerdict verdict);

// One decision, with the figures that led to it (they go into the event and the API's history).
struct AutoscaleDecision {
  AutoscaleVerdict verdict = AutoscaleVerdict::hold;
  int current = 0;
  int desired = 0;       // the count to go to (== current unless scale_out / scale_in)
  int recommended = 0;   // the formula's count before bounds, cooldown and window
  double metric = 0;     // the mean over the instances with a figure
  double ratio = 0;      // metric / target, with missing figures counted as HPA does
  int sampled = 0;       // instances with a figure
  int instances = 0;     // instances observed
  std::string held_by{}; // suppressed: "max", "min", "cooldown" or "stabilization"
  std::string reason{};  // for people: "cpu 0.92 of target 0.6 on 2 instances: ceil(2 x 1.53) = 4"
};

// Decides for one autoscaled entry and updates `memory` (the recommendation window; last_scale_out when
// the verdict is scale_out or scale_in: the caller acts on it).
AutoscaleDecision decide_autoscale(const project::AutoscaleSpec& spec, const AutoscaleInput& input,
                                   AutoscaleMemory& memory);

} // namespace dockerops::plan
