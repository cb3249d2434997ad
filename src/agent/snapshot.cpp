#include "agent/snapshot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace dockerops::agent {
namespace {

template <typename T>
nlohmann::json optional_json(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

} // namespace

nlohmann::json instance_json(const InstanceView& view) {
  const ObservedInstance& o = view.observed;
  return {{"service", o.service},
          {"instance", o.instance},
          {"type", o.type},
          {"state", o.state},
          {"health", o.health},
          {"ip", o.ip},
          {"node", o.node},
          {"restart", view.restart},
          {"restarts", view.restarts},
          {"desired", view.desired},
          {"backoff_until", view.backoff_until},
          {"exit_code", o.exit_code},
          {"started_at", o.started_at},
          {"finished_at", o.finished_at},
          {"container_id", o.container_id},
          {"container_name", o.container_name},
          {"image", o.image},
          {"conf", o.conf},
          {"config_hash", o.config_hash},
          {"resources", project::resources_json(o.resources)}};
}

nlohmann::json usage_json(const Snapshot& snapshot, const std::string& service, const std::string& instance) {
  for (const auto& s : snapshot.stats)
    if (s.service == service && s.instance == instance)
      return {{"cpu_percent", optional_json(s.cpu_percent)},
              {"memory_bytes", optional_json(s.memory_bytes)},
              {"memory_limit_bytes", optional_json(s.memory_limit)},
              {"sampled_at", snapshot.sampled_at}};
  return nullptr;
}

namespace {

// A Prometheus label value: backslash, double quote and newline escaped.
std::string label_value(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

} // namespace

std::vector<InstanceView> instance_views(std::vector<ObservedInstance> observed, const core::Intents& intents,
                                         const std::map<std::string, std::uint64_t>& restarts,
                                         const std::map<std::string, std::string>& backoff_until) {
  std::vector<InstanceView> views;
  std::set<std::string> seen;
  auto add = [&](ObservedInstance o) {
    std::string key = o.service + "/" + o.instance;
    seen.insert(key);
    InstanceView view;
    view.restart = o.restart;
    if (auto it = restarts.find(key); it != restarts.end())
      view.restarts = it->second;
    if (auto it = intents.find(key); it != intents.end())
      view.desired = it->second.desired;
    if (auto it = backoff_until.find(key); it != backoff_until.end())
      view.backoff_until = it->second;
    view.observed = std::move(o);
    views.push_back(std::move(view));
  };
  for (auto& o : observed)
    add(std::move(o));
  // Instances that should run but have no container (removed behind our back) show as missing.
  for (const auto& [key, intent] : intents) {
    auto slash = key.find('/');
    if (intent.desired != "running" || seen.count(key) || slash == std::string::npos)
      continue;
    ObservedInstance missing;
    missing.service = key.substr(0, slash);
    missing.instance = key.substr(slash + 1);
    missing.state = "missing";
    missing.restart = intent.restart;
    missing.conf = intent.conf;
    add(std::move(missing));
  }
  std::sort(views.begin(), views.end(), [](const auto& a, const auto& b) {
    return std::tie(a.observed.service, a.observed.instance) <
           std::tie(b.observed.service, b.observed.instance);
  });
  return views;
}

std::size_t running_count(const Snapshot& snapshot) {
  std::size_t n = 0;
  for (const auto& i : snapshot.instances)
    n += i.observed.state == "running" ? 1 : 0;
  return n;
}

const InstanceView* find_instance(const Snapshot& snapshot, const std::string& service,
                                  const std::string& instance) {
  for (const auto& i : snapshot.instances)
    if (i.observed.service == service && i.observed.instance == instance)
      return &i;
  return nullptr;
}

nlohmann::json state_json(const Snapshot& snapshot) {
  std::map<std::string, nlohmann::json> services;
  for (const auto& view : snapshot.instances) {
    auto& service = services[view.observed.service];
    if (service.is_null())
      service = {{"service", view.observed.service}, {"instances", nlohmann::json::array()}};
    nlohmann::json instance = instance_json(view);
    instance["usage"] = usage_json(snapshot, view.observed.service, view.observed.instance);
    service["instances"].push_back(std::move(instance));
  }
  nlohmann::json service_list = nlohmann::json::array();
  for (auto& [name, service] : services)
    service_list.push_back(std::move(service));
  nlohmann::json records = nlohmann::json::array();
  for (const auto& r : snapshot.dns.records)
    records.push_back({{"name", r.name}, {"ttl", r.ttl}, {"type", r.type}, {"data", r.data}});
  nlohmann::json dns = {{"server", snapshot.dns.server}, {"records", records}};
  dns["error"] = snapshot.dns.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(snapshot.dns.error);
  return {{"project", snapshot.project},
          {"zone", snapshot.zone},
          {"observed_at", snapshot.observed_at},
          {"instances_running", running_count(snapshot)},
          {"services", service_list},
          {"dns", dns}};
}

nlohmann::json stats_json(const Snapshot& snapshot, const AgentFigures& figures) {
  nlohmann::json instances = nlohmann::json::array();
  for (const auto& s : snapshot.stats)
    instances.push_back({{"service", s.service},
                         {"instance", s.instance},
                         {"container_id", s.container_id},
                         {"cpu_percent", optional_json(s.cpu_percent)},
                         {"memory_bytes", optional_json(s.memory_bytes)},
                         {"memory_limit_bytes", optional_json(s.memory_limit)},
                         {"source", s.source}});
  return {{"uptime_seconds", figures.uptime_seconds},
          {"api_requests", figures.api_requests},
          {"instances_running", running_count(snapshot)},
          {"failures", figures.failures},
          {"replacements", figures.replacements},
          {"relocations", figures.relocations},
          {"sampled_at", snapshot.sampled_at},
          {"interval_seconds", snapshot.stats_interval_seconds},
          {"instances", instances}};
}

std::string metrics_text(const Snapshot& snapshot, const AgentFigures& figures) {
  const std::string project = "project=\"" + label_value(snapshot.project) + "\"";
  std::string out;
  auto metric = [&](const char* name, const char* type, const char* help) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  };
  metric("dockerops_agent_uptime_seconds", "gauge", "Seconds since the agent started.");
  out += fmt::format("dockerops_agent_uptime_seconds{{{}}} {:.3f}\n", project, figures.uptime_seconds);
  metric("dockerops_agent_api_requests_total", "counter", "API requests answered by the agent.");
  out += fmt::format("dockerops_agent_api_requests_total{{{}}} {}\n", project, figures.api_requests);
  metric("dockerops_instances_running", "gauge", "Instances of the project whose container runs.");
  out += fmt::format("dockerops_instances_running{{{}}} {}\n", project, running_count(snapshot));
  metric("dockerops_instance_failures_total", "counter", "Instances that died or vanished unexpectedly.");
  out += fmt::format("dockerops_instance_failures_total{{{}}} {}\n", project, figures.failures);
  metric("dockerops_instance_replacements_total", "counter", "Instances the agent brought back.");
  out += fmt::format("dockerops_instance_replacements_total{{{}}} {}\n", project, figures.replacements);
  metric("dockerops_instance_relocations_total", "counter", "Instances moved to another node.");
  out += fmt::format("dockerops_instance_relocations_total{{{}}} {}\n", project, figures.relocations);
  auto labels = [&](const std::string& service, const std::string& instance) {
    return fmt::format("{},service=\"{}\",instance=\"{}\"", project, label_value(service),
                       label_value(instance));
  };
  metric("dockerops_instance_up", "gauge", "1 when the instance's container runs, else 0.");
  for (const auto& i : snapshot.instances)
    out += fmt::format("dockerops_instance_up{{{}}} {}\n", labels(i.observed.service, i.observed.instance),
                       i.observed.state == "running" ? 1 : 0);
  metric("dockerops_instance_restarts_total", "counter", "Times the agent brought the instance back.");
  for (const auto& i : snapshot.instances)
    out += fmt::format("dockerops_instance_restarts_total{{{}}} {}\n",
                       labels(i.observed.service, i.observed.instance), i.restarts);
  metric("dockerops_instance_cpu_percent", "gauge",
         "CPU use over the last sampling interval, % of one core.");
  for (const auto& s : snapshot.stats)
    if (s.cpu_percent)
      out += fmt::format("dockerops_instance_cpu_percent{{{}}} {:.3f}\n", labels(s.service, s.instance),
                         *s.cpu_percent);
  metric("dockerops_instance_memory_bytes", "gauge", "Memory in use, without the inactive file cache.");
  for (const auto& s : snapshot.stats)
    if (s.memory_bytes)
      out += fmt::format("dockerops_instance_memory_bytes{{{}}} {}\n", labels(s.service, s.instance),
                         *s.memory_bytes);
  metric("dockerops_instance_memory_limit_bytes", "gauge", "The instance's memory limit, when it has one.");
  for (const auto& s : snapshot.stats)
    if (s.memory_limit)
      out += fmt::format("dockerops_instance_memory_limit_bytes{{{}}} {}\n", labels(s.service, s.instance),
                         *s.memory_limit);
  return out;
}

} // namespace dockerops::agent
