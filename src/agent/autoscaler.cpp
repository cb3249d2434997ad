#include "agent/autoscaler.hpp"

#include "core/scale_counts.hpp"
#include "project/conf_files.hpp"
#include "project/counted.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace dockerops::agent {

namespace {

constexpr std::size_t k_history = 50;

// The decision with its figures: the entry's metric over the instances, and each instance's own
// (null: no figure yet, e.g. a new instance before its second CPU reading or its first probe).
nlohmann::json decision_json(const AutoscaledEntry& e, const plan::AutoscaleInput& input,
                             const plan::AutoscaleDecision& d) {
  nlohmann::json figures = nlohmann::json::object();
  for (const auto& s : input.samples)
    figures[s.instance] = s.value ? nlohmann::json(*s.value) : nlohmann::json(nullptr);
  nlohmann::json j = {{"verdict", plan::to_string(d.verdict)},
                      {"current", d.current},
                      {"desired", d.desired},
                      {"recommended", d.recommended},
                      {"metric", project::to_string(e.spec.metric)},
                      {"value", d.metric},
                      {"target", e.spec.target},
                      {"ratio", d.ratio},
                      {"sampled", d.sampled},
                      {"instances", d.instances},
                      {"min", e.spec.min},
                      {"max", e.spec.max},
                      {"figures", figures},
                      {"reason", d.reason}};
  if (!d.held_by.empty())
    j["held_by"] = d.held_by;
  return j;
}

nlohmann::json probe_json(const std::optional<project::AutoscaleProbe>& probe) {
  if (!probe)
    return nullptr;
  return {{"port", probe->port},
          {"path", probe->path.empty() ? nlohmann::json(nullptr) : nlohmann::json(probe->path)}};
}

// Utilisation in whole percent, truncated, as HPA computes it (so noise below 1 % never tips a ceil).
double whole_percent(double fraction) {
  return std::floor(fraction * 100.0 + 1e-9) / 100.0;
}

} // namespace

std::vector<AutoscaledEntry> autoscaled_entries(const std::filesystem::path& project_dir) {
  project::RunConf conf = project::load_run_conf(project_dir.string(), "");
  project::RuntimeCounts counts = core::load_runtime_counts(project_dir);
  std::vector<AutoscaledEntry> out;
  for (const auto& e : conf.entries)
    if (e.scale.autoscale)
      out.push_back({e.service.value, project::counted_prefix(e), *e.scale.autoscale,
                     project::effective_count(e, counts)});
  return out;
}

std::optional<double> metric_of(const project::AutoscaleSpec& spec, const InstanceStats& stats, double cpus,
                                const std::map<std::string, double>& latency) {
  switch (spec.metric) {
  case project::AutoscaleMetric::cpu: {
    if (!stats.cpu_percent)
      return std::nullopt;
    double used = *stats.cpu_percent / 100.0 / (cpus > 0 ? cpus : 1.0);
    // Within its limit the instance cannot use more than all of it: a figure over 1 is the quota's
    // accounting overshooting a period, and would ask for one instance too many (ceil(1 x 2.004) = 3).
    return whole_percent(cpus > 0 ? std::min(used, 1.0) : used);
  }
  case project::AutoscaleMetric::memory:
    if (!stats.memory_bytes || !stats.memory_limit || *stats.memory_limit <= 0)
      return std::nullopt;
    return whole_percent(static_cast<double>(*stats.memory_bytes) / static_cast<double>(*stats.memory_limit));
  case project::AutoscaleMetric::latency: {
    auto it = latency.find(stats.service + "/" + stats.instance);
    if (it == latency.end())
      return std::nullopt;
    return it->second;
  }
  }
  return std::nullopt;
}

Autoscaler::Pass Autoscaler::evaluate(const AutoscaleView& view) {
  Pass pass;
  std::lock_guard lock(m_mutex);
  std::set<std::string> seen;
  for (const auto& entry : view.entries) {
    std::string key = project::scale_key(entry.service, entry.prefix);
    seen.insert(key);
    EntryState& state = m_entries[key];
    state.entry = entry;
    if (view.busy.count("scale:" + key))
      continue; // its last scale is still under way: decide on what it leaves
    plan::AutoscaleInput input;
    input.current = entry.current;
    input.now = view.now;
    for (const auto& s : view.stats) {
      auto number = project::counted_number(entry.prefix, s.instance);
      if (s.service != entry.service || !number || *number > entry.current)
        continue;
      std::string who = s.service + "/" + s.instance;
      auto cpus = view.cpus.find(who);
      input.samples.push_back(
          {s.instance, metric_of(entry.spec, s, cpus == view.cpus.end() ? 0 : cpus->second, view.latency)});
    }
    plan::AutoscaleDecision d = plan::decide_autoscale(entry.spec, input, state.memory);
    nlohmann::json item = decision_json(entry, input, d);
    state.last = item;
    state.desired = d.desired;
    bool acts =
        d.verdict == plan::AutoscaleVerdict::scale_out || d.verdict == plan::AutoscaleVerdict::scale_in;
    std::string logged = fmt::format("{} {} {}", plan::to_string(d.verdict), d.held_by, d.desired);
    if (d.verdict == plan::AutoscaleVerdict::hold) {
      state.logged.clear();
      continue;
    }
    if (!acts && logged == state.logged)
      continue; // the same suppression as last time: said once
    state.logged = logged;
    Event event;
    event.service = entry.service;
    event.action = "autoscale";
    event.outcome = acts ? "scheduled" : "suppressed";
    event.reason = fmt::format("{}: {}", key, d.reason);
    event.source = "agent";
    event.details = item;
    event.details["entry"] = key;
    pass.events.push_back(event);
    item["outcome"] = event.outcome;
    remember(state, item);
    if (!acts)
      continue;
    Action action;
    action.kind = ActionKind::scale;
    action.service = entry.service;
    action.instance = entry.prefix;
    action.count = d.desired;
    action.reason = "autoscale: " + d.reason;
    pass.actions.push_back(action);
  }
  for (auto it = m_entries.begin(); it != m_entries.end();)
    it = seen.count(it->first) ? std::next(it) : m_entries.erase(it); // no longer autoscaled
  return pass;
}

Event Autoscaler::finished(const Action& action, bool ok, const std::string& error) {
  std::string key = project::scale_key(action.service, action.instance);
  Event event;
  event.service = action.service;
  event.action = "autoscale";
  event.outcome = ok ? "ok" : "failed";
  event.reason = fmt::format("{}: scaled to {}{}", key, action.count, ok ? "" : ": " + error);
  event.source = "agent";
  event.details = {{"entry", key}, {"desired", action.count}};
  std::lock_guard lock(m_mutex);
  if (auto it = m_entries.find(key); it != m_entries.end()) {
    if (ok)
      it->second.entry.current = it->second.desired = action.count;
    remember(it->second, {{"verdict", "done"},
                          {"desired", action.count},
                          {"outcome", event.outcome},
                          {"reason", event.reason}});
  }
  return event;
}

void Autoscaler::remember(EntryState& state, const nlohmann::json& item) {
  state.history.push_back(item);
  if (state.history.size() > k_history)
    state.history.pop_front();
}

nlohmann::json Autoscaler::state() const {
  std::lock_guard lock(m_mutex);
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& [key, s] : m_entries)
    entries.push_back(
        {{"service", s.entry.service},
         {"instance_prefix", s.entry.prefix},
         {"min", s.entry.spec.min},
         {"max", s.entry.spec.max},
         {"metric", project::to_string(s.entry.spec.metric)},
         {"target", s.entry.spec.target},
         {"probe", probe_json(s.entry.spec.probe)},
         {"scale_out_cooldown", s.entry.spec.scale_out_cooldown},
         {"scale_in_stabilization", s.entry.spec.scale_in_stabilization},
         {"current", s.entry.current},
         {"desired", s.desired},
         {"last_decision", s.last},
         {"history", nlohmann::json(std::vector<nlohmann::json>(s.history.begin(), s.history.end()))}});
  return {{"entries", entries}};
}

} // namespace dockerops::agent
