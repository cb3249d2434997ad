#include "project/host_conf.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "project/jsonc.hpp"

#include <nlohmann/json.hpp>

namespace dockerops::project {

HostConf parse_host_conf(std::string_view text, const std::string& filename) {
  HostConf conf;
  if (strings::trim(text).empty())
    return conf;
  JsonValue root = parse_jsonc(text, filename);
  if (root.type != JsonValue::Type::object)
    fail(ErrorKind::config, "{}:{}: host.conf must be an object, not {}", filename, root.line,
         root.type_name());
  for (const auto& [key, v] : root.members) {
    if (key == "last_conf") {
      if (v.type == JsonValue::Type::string)
        conf.last_conf = v.string;
      else if (v.type != JsonValue::Type::null)
        fail(ErrorKind::config, "{}:{}: \"last_conf\" must be a string or null, not {}", filename, v.line,
             v.type_name());
      continue;
    }
    if (key == "orchestrator" || key == "registry") {
      if (v.type != JsonValue::Type::string)
        fail(ErrorKind::config, "{}:{}: \"{}\" must be a string, not {}", filename, v.line, key,
             v.type_name());
      (key == "orchestrator" ? conf.orchestrator : conf.registry) = HostSetting{v.string, v.line};
      continue;
    }
    if (v.type == JsonValue::Type::null)
      continue;
    if (v.type == JsonValue::Type::string)
      conf.values[key] = v.string;
    else if (v.type == JsonValue::Type::boolean)
      conf.values[key] = v.boolean ? "True" : "False";
    else if (v.type == JsonValue::Type::number && v.integer)
      conf.values[key] = fmt::format("{}", static_cast<long long>(v.number));
    else
      fail(ErrorKind::config, "{}:{}: \"{}\" must be a string, not {}", filename, v.line, key, v.type_name());
  }
  return conf;
}

std::string to_json_text(const HostConf& conf) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [key, value] : conf.values)
    j[key] = value;
  if (conf.last_conf)
    j["last_conf"] = *conf.last_conf;
  if (conf.orchestrator)
    j["orchestrator"] = conf.orchestrator->value;
  if (conf.registry)
    j["registry"] = conf.registry->value;
  return j.dump(2) + "\n";
}

} // namespace dockerops::project
