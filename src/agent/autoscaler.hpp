#pragma once

// The agent's autoscaler (issue 15 item 4, docs/decisions.md 31): after each stats pass it turns the
// figures of each autoscaled run.conf entry's instances into the entry's metric, takes the HPA decision
// (plan/autoscale.hpp) and hands a scale to the actor, which runs it through the same core as
// `dockerops scale`. Every decision that changes the count or is held back is an event with its figures;
// the API shows each entry's current, desired, min, max, last decision and recent history.

#include "agent/event.hpp"
#include "agent/keep_alive.hpp"
#include "agent/stats.hpp"
#include "plan/autoscale.hpp"

#include <nlohmann/json.hpp>

#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace dockerops::agent {

// One autoscaled run.conf entry and its count now (the run conf's, or the runtime count).
struct AutoscaledEntry {
  std::string service{};
  std::string prefix{};
  project::AutoscaleSpec spec{};
  int current = 0;
};

// The autoscaled entries of the project's run conf, with their counts from .dockerops/scale.json.
// Throws the config Error of a run conf that does not parse.
std::vector<AutoscaledEntry> autoscaled_entries(const std::filesystem::path& project_dir);

// One instance's figure in the metric's unit: CPU % of one core over the instance's "cpus" (else one
// core; at most 1 with a limit), memory over its limit, both in whole percent truncated as HPA does,
// or the latency the caller measured ("service/instance" -> ms).
std::optional<double> metric_of(const project::AutoscaleSpec& spec, const InstanceStats& stats, double cpus,
                                const std::map<std::string, double>& latency);

// What one autoscale pass sees.
struct AutoscaleView {
  std::vector<AutoscaledEntry> entries{};
  std::vector<InstanceStats> stats{};      // the last stats pass
  std::map<std::string, double> cpus{};    // "service/instance" -> its "cpus" limit (absent: none)
  std::map<std::string, double> latency{}; // "service/instance" -> probe median, ms
  std::set<std::string> busy{};            // the actor's keys
  plan::AutoscaleClock::time_point now{};
};

class Autoscaler {
public:
  struct Pass {
    std::vector<Action> actions{};
    std::vector<Event> events{};
  };

  // Decides for each entry (none while a scale of it is queued or running).
  Pass evaluate(const AutoscaleView& view);

  // A scale the actor finished: its outcome goes into the history; the event is returned.
  Event finished(const Action& action, bool ok, const std::string& error);

  // {"entries": [{"service", "instance_prefix", "min", "max", "metric", "target", "probe", "current",
  // "desired", "last_decision", "history"}]} for GET /api/v1/autoscale; each decision carries its
  // figures (the entry's value and each instance's). Thread-safe.
  nlohmann::json state() const;

private:
  struct EntryState {
    plan::AutoscaleMemory memory{};
    nlohmann::json last = nullptr; // the last decision, whatever it was
    std::string logged{};          // what the last event said (verdict, held_by, desired): no repeats
    std::deque<nlohmann::json> history{};
    AutoscaledEntry entry{};
    int desired = 0;
  };
  void remember(EntryState& state, const nlohmann::json& item);

  mutable std::mutex m_mutex{};
  std::map<std::string, EntryState> m_entries{}; // by "service/prefix"
};

} // namespace dockerops::agent
