#include "project/autoscale_conf.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"

#include <fmt/format.h>

#include <cmath>

namespace dockerops::project {

std::string_view to_string(AutoscaleMetric metric) {
  switch (metric) {
  case AutoscaleMetric::cpu:
    return "cpu";
  case AutoscaleMetric::memory:
    return "memory";
  case AutoscaleMetric::latency:
    return "latency";
  }
  return "?";
}

const std::vector<std::string>& autoscale_keys() {
  static const std::vector<std::string> k_keys = {
      "min", "max", "metric", "target", "probe", "scale_out_cooldown", "scale_in_stabilization", "tolerance"};
  return k_keys;
}

namespace {

// Reads one "autoscale" object, remembering the file for messages.
class AutoscaleReader {
public:
  AutoscaleReader(const std::string& filename) : m_filename(filename) {}

  [[noreturn]] void bad(const JsonValue& v, const std::string& key, const std::string& what) const {
    fail(ErrorKind::config, "{}:{}: \"autoscale\": \"{}\" {}", m_filename, v.line, key, what);
  }

  int whole(const JsonValue& v, const std::string& key, int low, int high) const {
    if (v.type != JsonValue::Type::number || !v.integer || v.number < low || v.number > high)
      bad(v, key, fmt::format("must be a whole number from {} to {}", low, high));
    return static_cast<int>(v.number);
  }

  double positive(const JsonValue& v, const std::string& key, double high, const std::string& unit) const {
    if (v.type != JsonValue::Type::number || !std::isfinite(v.number) || v.number <= 0 || v.number > high)
      bad(v, key, fmt::format("must be a number over 0 and at most {}{}", high, unit));
    return v.number;
  }

  double fraction(const JsonValue& v, const std::string& key, double high) const {
    if (v.type != JsonValue::Type::number || v.number < 0 || v.number > high)
      bad(v, key, fmt::format("must be a number from 0 to {}", high));
    return v.number;
  }

  AutoscaleMetric metric(const JsonValue& v) const {
    static const std::vector<std::string> k_names = {"cpu", "memory", "latency"};
    if (v.type == JsonValue::Type::string) {
      for (std::size_t i = 0; i < k_names.size(); ++i)
        if (v.string == k_names[i])
          return static_cast<AutoscaleMetric>(i);
      bad(v, "metric",
          fmt::format("must be cpu, memory or latency, not \"{}\"{}", v.string,
                      strings::did_you_mean(v.string, k_names)));
    }
    bad(v, "metric", fmt::format("must be cpu, memory or latency, not {}", v.type_name()));
  }

  AutoscaleProbe probe(const JsonValue& v) const {
    if (v.type != JsonValue::Type::object)
      bad(v, "probe", R"(must be an object like {"port": 8080, "path": "/"} (no path: a TCP connect))");
    AutoscaleProbe probe;
    bool port = false;
    for (const auto& [key, item] : v.members) {
      if (key == "port") {
        probe.port = whole(item, "probe.port", 1, 65535);
        port = true;
      } else if (key == "path") {
        if (item.type != JsonValue::Type::string || item.string.empty() || item.string.front() != '/' ||
            item.string.find_first_of(" \r\n") != std::string::npos)
          bad(item, "probe.path", "must be an absolute URL path like \"/health\"");
        probe.path = item.string;
      } else {
        bad(item, "probe." + key,
            "is not a probe key (port, path)" + strings::did_you_mean(key, {"port", "path"}));
      }
    }
    if (!port)
      bad(v, "probe", "needs a \"port\"");
    return probe;
  }

private:
  const std::string& m_filename;
};

} // namespace

AutoscaleSpec parse_autoscale(const JsonValue& v, const std::string& filename) {
  AutoscaleReader r(filename);
  if (v.type != JsonValue::Type::object)
    fail(
        ErrorKind::config,
        R"({}:{}: "autoscale" must be an object like {{"min": 1, "max": 6, "metric": "cpu", "target": 0.6}})",
        filename, v.line);
  AutoscaleSpec spec;
  spec.line = v.line;
  const JsonValue *min = nullptr, *max = nullptr, *metric = nullptr, *target = nullptr, *probe = nullptr;
  for (const auto& [key, item] : v.members) {
    if (key == "min")
      min = &item;
    else if (key == "max")
      max = &item;
    else if (key == "metric")
      metric = &item;
    else if (key == "target")
      target = &item;
    else if (key == "probe")
      probe = &item;
    else if (key == "scale_out_cooldown")
      spec.scale_out_cooldown = r.whole(item, key, 0, 3600);
    else if (key == "scale_in_stabilization")
      spec.scale_in_stabilization = r.whole(item, key, 0, 3600);
    else if (key == "tolerance")
      spec.tolerance = r.fraction(item, key, 0.5);
    else
      fail(ErrorKind::config, "{}:{}: \"autoscale\": unknown key \"{}\"{}", filename, item.line, key,
           strings::did_you_mean(key, autoscale_keys()));
  }
  for (auto [value, key] : {std::pair{min, "min"}, {max, "max"}, {metric, "metric"}, {target, "target"}})
    if (!value)
      fail(ErrorKind::config, "{}:{}: \"autoscale\" needs \"{}\" (min, max, metric and target are required)",
           filename, v.line, key);
  spec.min = r.whole(*min, "min", 1, k_max_instances);
  spec.max = r.whole(*max, "max", 1, k_max_instances);
  if (spec.min > spec.max)
    r.bad(*max, "max", fmt::format("({}) must not be below \"min\" ({})", spec.max, spec.min));
  spec.metric = r.metric(*metric);
  spec.target = spec.metric == AutoscaleMetric::latency
                    ? r.positive(*target, "target", 600000, " (ms of the probe's median response time)")
                    : r.positive(*target, "target", 1, " (a fraction of the limit: 0.6 = 60 %)");
  if (probe)
    spec.probe = r.probe(*probe);
  if (spec.metric == AutoscaleMetric::latency && !spec.probe)
    r.bad(
        *metric, "metric",
        R"(latency needs a "probe": {"port": PORT, "path": "/..."} (an HTTP GET; without "path" a TCP connect))");
  if (spec.metric != AutoscaleMetric::latency && spec.probe)
    r.bad(*probe, "probe", "is only used by the metric latency");
  return spec;
}

std::string describe(const AutoscaleSpec& spec) {
  std::string target = spec.metric == AutoscaleMetric::latency ? fmt::format("{} ms", spec.target)
                                                               : fmt::format("{}", spec.target);
  return fmt::format("{} {} (min {}, max {})", to_string(spec.metric), target, spec.min, spec.max);
}

} // namespace dockerops::project
