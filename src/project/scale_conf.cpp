#include "project/scale_conf.hpp"

#include "base/error.hpp"
#include "project/resources.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace dockerops::project {

const std::vector<std::string>& scale_conf_keys() {
  static const std::vector<std::string> k_keys = {"cpus",      "memory", "memory_reservation", "pids",
                                                  "instances", "drain",  "autoscale"};
  return k_keys;
}

namespace {

// A number, or a string holding one (compose accepts cpus: "0.5").
std::optional<double> number_of(const JsonValue& v) {
  if (v.type == JsonValue::Type::number)
    return v.number;
  if (v.type != JsonValue::Type::string)
    return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(v.string.data(), v.string.data() + v.string.size(), value);
  if (ec != std::errc() || end != v.string.data() + v.string.size() || v.string.empty())
    return std::nullopt;
  return value;
}

Located<double> cpus(const JsonValue& v, const std::string& filename) {
  auto value = number_of(v);
  // The Engine's own lower bound (NanoCpus of 10^7); an upper bound over the daemon's CPUs is the
  // daemon's error at create.
  if (!value || !std::isfinite(*value) || *value < 0.01 || *value > 1024)
    fail(ErrorKind::config,
         "{}:{}: \"cpus\" must be a number of CPUs from 0.01 to 1024 (0.5 = half a core), not {}", filename,
         v.line, v.type == JsonValue::Type::string ? "\"" + v.string + "\"" : std::string(v.type_name()));
  return {*value, v.line};
}

Located<std::int64_t> bytes(const std::string& key, const JsonValue& v, const std::string& filename) {
  std::optional<std::int64_t> value;
  if (v.type == JsonValue::Type::number && v.integer && v.number >= 0 && v.number < 9.2e18)
    value = static_cast<std::int64_t>(v.number);
  else if (v.type == JsonValue::Type::string)
    value = parse_byte_size(v.string);
  if (!value)
    fail(ErrorKind::config,
         "{}:{}: \"{}\" must be a size in bytes or with a unit, like \"256m\" or \"1g\" (units b, k, m, g, "
         "t: powers of 1024), not {}",
         filename, v.line, key,
         v.type == JsonValue::Type::string ? "\"" + v.string + "\"" : std::string(v.type_name()));
  if (*value < k_min_memory)
    fail(ErrorKind::config, "{}:{}: \"{}\" must be at least 6m (the Engine's minimum), not {}", filename,
         v.line, key, fmt_byte_size(*value));
  return {*value, v.line};
}

Located<std::int64_t> pids(const JsonValue& v, const std::string& filename) {
  if (v.type != JsonValue::Type::number || !v.integer || v.number < 1 || v.number > 4194304)
    fail(ErrorKind::config, "{}:{}: \"pids\" must be a whole number of processes from 1 to 4194304", filename,
         v.line);
  return {static_cast<std::int64_t>(v.number), v.line};
}

Located<int> instances(const JsonValue& v, const std::string& filename) {
  if (v.type != JsonValue::Type::number || !v.integer || v.number < 1 || v.number > k_max_instances)
    fail(ErrorKind::config, "{}:{}: \"instances\" must be a whole number from 1 to {}", filename, v.line,
         k_max_instances);
  return {static_cast<int>(v.number), v.line};
}

Located<int> drain(const JsonValue& v, const std::string& filename) {
  if (v.type != JsonValue::Type::number || !v.integer || v.number < 0 || v.number > 3600)
    fail(ErrorKind::config, "{}:{}: \"drain\" must be a whole number of seconds from 0 to 3600", filename,
         v.line);
  return {static_cast<int>(v.number), v.line};
}

} // namespace

bool read_scale_key(ConfScale& scale, const std::string& key, const JsonValue& v,
                    const std::string& filename) {
  ConfResources& r = scale.resources;
  if (key == "cpus")
    r.cpus = cpus(v, filename);
  else if (key == "memory" || key == "memory_reservation")
    (key == "memory" ? r.memory : r.memory_reservation) = bytes(key, v, filename);
  else if (key == "pids")
    r.pids = pids(v, filename);
  else if (key == "instances")
    scale.instances = instances(v, filename);
  else if (key == "drain")
    scale.drain = drain(v, filename);
  else if (key == "autoscale")
    scale.autoscale = parse_autoscale(v, filename);
  else
    return false;
  return true;
}

void check_scale(const ConfScale& scale, const std::string& filename) {
  const ConfResources& r = scale.resources;
  // The Engine refuses a reservation over the limit ("Minimum memory limit can not be less than
  // memory reservation limit"): say it at the line.
  if (r.memory && r.memory_reservation && r.memory_reservation->value > r.memory->value)
    fail(ErrorKind::config, "{}:{}: \"memory_reservation\" ({}) must not exceed \"memory\" ({})", filename,
         r.memory_reservation->line, fmt_byte_size(r.memory_reservation->value),
         fmt_byte_size(r.memory->value));
  if (const auto& a = scale.autoscale) {
    if (scale.instances && (scale.instances->value < a->min || scale.instances->value > a->max))
      fail(ErrorKind::config, "{}:{}: \"instances\" ({}) must be within autoscale's min {} and max {}",
           filename, scale.instances->line, scale.instances->value, a->min, a->max);
    if (a->metric == AutoscaleMetric::memory && !r.memory)
      fail(ErrorKind::config,
           "{}:{}: \"autoscale\": the metric memory is a fraction of the instance's limit: set \"memory\"",
           filename, a->line);
  }
}

std::optional<int> counted_number(std::string_view prefix, std::string_view instance) {
  if (instance.size() <= prefix.size() || instance.substr(0, prefix.size()) != prefix)
    return std::nullopt;
  std::string_view digits = instance.substr(prefix.size());
  if (digits.front() == '0' || digits.size() > 4 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  int number = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (ec != std::errc() || end != digits.data() + digits.size())
    return std::nullopt;
  return number;
}

void check_counted_names(const std::vector<EntryName>& entries, const std::string& filename) {
  for (const auto& counted : entries) {
    if (!counted.counted)
      continue;
    std::string prefix = counted.instance.value_or("");
    if (counted.hostname_line)
      fail(ErrorKind::config,
           "{}:{}: \"hostname\" cannot be used with \"instances\": each instance has its own "
           "(<service>-<instance>)",
           filename, counted.hostname_line);
    for (const auto& other : entries) {
      if (&other == &counted || other.service != counted.service || !other.instance)
        continue;
      const std::string& name = *other.instance;
      // Another counted entry clashes when its names can be ours: "w" and "w1" both give "w11".
      bool clash = other.counted ? name == prefix || counted_number(prefix, name + "1").has_value()
                                 : counted_number(prefix, name).has_value();
      if (clash)
        fail(ErrorKind::config, "{}:{}: {}/{} clashes with the counted instances {}/{}1, {}2, ... of line {}",
             filename, other.line, other.service, other.counted ? name + "N" : name, counted.service, prefix,
             prefix, counted.line);
    }
  }
}

} // namespace dockerops::project
