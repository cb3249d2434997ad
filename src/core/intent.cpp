#include "core/intent.hpp"

#include "base/error.hpp"
#include "base/fs.hpp"

#include <nlohmann/json.hpp>

namespace dockerops::core {
namespace {

std::filesystem::path intent_path(const std::filesystem::path& project_dir) {
  return project_dir / ".dockerops" / "intent.json";
}

// The switches of Overrides by their run.conf names (interactive never restarts: not recorded).
const std::pair<const char*, std::optional<bool> project::Overrides::*> k_switches[] = {
    {"publish_ports", &project::Overrides::publish_ports},
    {"persistent_data", &project::Overrides::persistent_data},
    {"persistent_opt", &project::Overrides::persistent_opt},
    {"persistent_log", &project::Overrides::persistent_log},
    {"linked", &project::Overrides::linked},
    {"safemode", &project::Overrides::safemode},
    {"nethost", &project::Overrides::nethost}};
const std::pair<const char*, std::optional<std::string> project::Overrides::*> k_texts[] = {
    {"instance_type", &project::Overrides::instance_type},
    {"seed_command", &project::Overrides::seed_command}};

nlohmann::json overrides_json(const project::Overrides& o) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, field] : k_switches)
    if (o.*field)
      out[key] = *(o.*field);
  for (const auto& [key, field] : k_texts)
    if (o.*field)
      out[key] = *(o.*field);
  return out;
}

project::Overrides overrides_from(const nlohmann::json& in) {
  project::Overrides o;
  for (const auto& [key, field] : k_switches)
    if (auto it = in.find(key); it != in.end() && it->is_boolean())
      o.*field = it->get<bool>();
  for (const auto& [key, field] : k_texts)
    if (auto it = in.find(key); it != in.end() && it->is_string())
      o.*field = it->get<std::string>();
  return o;
}

} // namespace

Intents read_intents(const std::filesystem::path& project_dir) {
  Intents intents;
  auto path = intent_path(project_dir);
  std::error_code missing;
  if (!std::filesystem::exists(path, missing))
    return intents;
  try {
    auto json = nlohmann::json::parse(fs::read_file(path));
    for (const auto& [key, item] : json.at("instances").items()) {
      InstanceIntent intent;
      intent.desired = item.value("desired", "");
      intent.by = item.value("by", "");
      intent.at = item.value("at", "");
      intent.conf = item.value("conf", "");
      intent.restart = item.value("restart", "no");
      intent.overrides = overrides_from(item.value("overrides", nlohmann::json::object()));
      intent.env = item.value("env", std::map<std::string, std::string>{});
      intents[key] = std::move(intent);
    }
  } catch (const nlohmann::json::exception& e) {
    fail(ErrorKind::io, "{}: not a record of intents ({}); remove it and run the project again",
         path.string(), e.what());
  }
  return intents;
}

void update_intents(const std::filesystem::path& project_dir, const std::function<void(Intents&)>& change) {
  Intents intents = read_intents(project_dir);
  change(intents);
  nlohmann::json items = nlohmann::json::object();
  for (const auto& [key, intent] : intents)
    items[key] = {{"desired", intent.desired}, {"by", intent.by},
                  {"at", intent.at},           {"conf", intent.conf},
                  {"restart", intent.restart}, {"overrides", overrides_json(intent.overrides)},
                  {"env", intent.env}};
  auto path = intent_path(project_dir);
  fs::make_dirs(path.parent_path());
  fs::write_file_atomic(path, nlohmann::json{{"instances", items}}.dump(2) + "\n", 0600);
  fs::chown_to_invoking_user(path);
}

void record_running(Intents& intents, const project::ResolvedProject& resolved,
                    const project::Overrides& overrides, const std::string& by, const std::string& at) {
  for (const auto& r : resolved.instances) {
    if (r.interactive)
      continue; // removed when its shell exits: nothing to keep running
    InstanceIntent& intent = intents[r.who()];
    intent.desired = "running";
    intent.by = by;
    intent.at = at;
    intent.conf = r.conf;
    intent.restart = std::string(project::to_string(r.restart));
    intent.overrides = overrides;
    intent.env.clear();
    for (const auto& [name, value] : r.env)
      if (value.source == project::EnvSource::environment)
        intent.env[name] = value.value;
  }
}

void record_desired(Intents& intents, const std::vector<std::string>& keys, const std::string& desired,
                    const std::string& by, const std::string& at) {
  for (const auto& key : keys) {
    InstanceIntent& intent = intents[key];
    intent.desired = desired;
    intent.by = by;
    intent.at = at;
  }
}

} // namespace dockerops::core
