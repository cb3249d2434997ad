#include "project/counted.hpp"

#include "base/error.hpp"
#include "project/jsonc.hpp"

#include <nlohmann/json.hpp>

namespace dockerops::project {

bool is_counted(const ConfEntry& entry) {
  return entry.scale.instances.has_value() || entry.scale.autoscale.has_value();
}

std::string counted_prefix(const ConfEntry& entry) {
  return entry.instance ? entry.instance->value : "";
}

std::string counted_name(std::string_view prefix, int number) {
  return std::string(prefix) + std::to_string(number);
}

std::string scale_key(std::string_view service, std::string_view prefix) {
  return std::string(service) + "/" + std::string(prefix);
}

RuntimeCounts parse_runtime_counts(std::string_view text, const std::string& filename) {
  RuntimeCounts counts;
  JsonValue root = parse_jsonc(text, filename);
  if (root.type != JsonValue::Type::object)
    fail(ErrorKind::config, "{}: must be a JSON object, not {} (remove it to forget the runtime counts)",
         filename, root.type_name());
  for (const auto& [key, value] : root.members) {
    RuntimeCount count;
    for (const auto& [field, number] : value.members) {
      if (number.type != JsonValue::Type::number || !number.integer)
        continue;
      if (field == "instances")
        count.instances = static_cast<int>(number.number);
      else if (field == "declared")
        count.declared = static_cast<int>(number.number);
    }
    if (count.instances >= 1 && count.instances <= k_max_instances)
      counts[key] = count;
  }
  return counts;
}

std::string format_runtime_counts(const RuntimeCounts& counts) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [key, count] : counts)
    j[key] = {{"instances", count.instances}, {"declared", count.declared}};
  return j.dump(2) + "\n";
}

int declared_count(const ConfEntry& entry) {
  if (entry.scale.instances)
    return entry.scale.instances->value;
  return entry.scale.autoscale ? entry.scale.autoscale->min : 1;
}

int effective_count(const ConfEntry& entry, const RuntimeCounts& counts, std::string* dropped) {
  int declared = declared_count(entry);
  auto it = counts.find(scale_key(entry.service.value, counted_prefix(entry)));
  if (it == counts.end())
    return declared;
  if (it->second.declared != declared) {
    if (dropped)
      *dropped = fmt::format("{}: the run conf's count changed ({} -> {}): it replaces the runtime count {}",
                             scale_key(entry.service.value, counted_prefix(entry)), it->second.declared,
                             declared, it->second.instances);
    return declared;
  }
  return it->second.instances;
}

bool belongs_to(const ConfEntry& entry, std::string_view service, std::string_view instance) {
  return is_counted(entry) && entry.service.value == service &&
         counted_number(counted_prefix(entry), instance).has_value();
}

} // namespace dockerops::project
