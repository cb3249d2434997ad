#include "project/run_conf.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "project/jsonc.hpp"
#include "project/model.hpp"

#include <cctype>
#include <cmath>
#include <map>

namespace dockerops::project {

const std::vector<std::string>& run_conf_keys() {
  static const std::vector<std::string> k_keys = {
      "service",        "instance",      "instance_type", "group",           "sleep",
      "links",          "env_vars",      "publish_ports", "persistent_data", "persistent_opt",
      "persistent_log", "volumes",       "nethost",       "hostname",        "linked",
      "seed_command",   "safemode",      "interactive",   "ports",           "ssh_keys",
      "autorun",        "ready_timeout", "wait",          "watches",         "restart"};
  static const std::vector<std::string> k_all = [] {
    std::vector<std::string> all = k_keys;
    all.insert(all.end(), scale_conf_keys().begin(), scale_conf_keys().end());
    return all;
  }();
  return k_all;
}

namespace {

// Checks the value types of one file, naming file, line and key in each message.
class EntryReader {
public:
  explicit EntryReader(const std::string& filename) : m_filename(filename) {}

  [[noreturn]] void type_error(const std::string& key, const JsonValue& v, std::string_view wanted) {
    fail(ErrorKind::config, "{}:{}: \"{}\" must be {}, not {}", m_filename, v.line, key, wanted,
         v.type_name());
  }

  Located<std::string> string(const std::string& key, const JsonValue& v) {
    if (v.type != JsonValue::Type::string)
      type_error(key, v, "a string");
    return {v.string, v.line};
  }

  // JSON booleans, and for compatibility the strings "True"/"false"/"yes"/...
  Located<bool> boolean(const std::string& key, const JsonValue& v) {
    if (v.type == JsonValue::Type::boolean)
      return {v.boolean, v.line};
    if (v.type == JsonValue::Type::string) {
      if (auto b = strings::parse_bool(v.string))
        return {*b, v.line};
      fail(ErrorKind::config, "{}:{}: \"{}\" must be true or false, not \"{}\"", m_filename, v.line, key,
           v.string);
    }
    type_error(key, v, "a boolean");
  }

  Located<int> seconds(const std::string& key, const JsonValue& v) {
    if (v.type != JsonValue::Type::number)
      type_error(key, v, "a number");
    if (!v.integer || v.number < 0 || v.number > 86400)
      fail(ErrorKind::config, "{}:{}: \"{}\" must be a whole number of seconds between 0 and 86400",
           m_filename, v.line, key);
    return {static_cast<int>(v.number), v.line};
  }

  // A hostname the kernel takes (at most 63 characters, like a DNS label) with the characters of
  // instance names, so that the default "<service>-<instance>" is one too.
  Located<std::string> hostname(const std::string& key, const JsonValue& v) {
    Located<std::string> name = string(key, v);
    bool ok = !name.value.empty() && name.value.size() <= 63 &&
              std::isalnum(static_cast<unsigned char>(name.value[0]));
    for (char c : name.value)
      ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
    if (!ok)
      fail(ErrorKind::config,
           "{}:{}: \"hostname\" must be 1 to 63 letters, digits, '-', '_' or '.', starting with a letter or "
           "digit "
           "(it is {} characters)",
           m_filename, v.line, name.value.size());
    return name;
  }

  // Env values: strings, null (= required), and numbers/booleans written unquoted.
  ConfEnvVar env_var(const std::string& name, const JsonValue& v) {
    ConfEnvVar var{name, std::nullopt, v.line};
    switch (v.type) {
    case JsonValue::Type::null:
      break;
    case JsonValue::Type::string:
      var.value = v.string;
      break;
    case JsonValue::Type::boolean:
      var.value = v.boolean ? "True" : "False"; // docs/decisions.md 7
      break;
    case JsonValue::Type::number:
      var.value =
          v.integer ? fmt::format("{}", static_cast<long long>(v.number)) : fmt::format("{}", v.number);
      break;
    default:
      fail(ErrorKind::config, "{}:{}: env_vars \"{}\" must be a string or null, not {}", m_filename, v.line,
           name, v.type_name());
    }
    return var;
  }

  ConfLink link(const JsonValue& v) {
    if (v.type == JsonValue::Type::string) {
      auto colon = v.string.find(':');
      std::string target = v.string.substr(0, colon);
      auto dash = target.rfind('-');
      if (colon == std::string::npos || dash == std::string::npos || dash == 0 || dash + 1 == target.size() ||
          colon + 1 == v.string.size())
        fail(ErrorKind::config,
             "{}:{}: link \"{}\" must be \"SERVICE-INSTANCE:ALIAS\" or an object with \"name\", "
             "\"service\" and \"instance\"",
             m_filename, v.line, v.string);
      return {v.string.substr(colon + 1), target.substr(0, dash), target.substr(dash + 1), v.line};
    }
    if (v.type != JsonValue::Type::object)
      type_error("links", v, "a list of strings or objects");
    ConfLink link;
    link.line = v.line;
    bool has_name = false, has_service = false, has_instance = false;
    for (const auto& [key, value] : v.members) {
      if (key == "name") {
        link.alias = string("name", value).value;
        has_name = true;
      } else if (key == "service") {
        link.service = string("service", value).value;
        has_service = true;
      } else if (key == "instance") {
        has_instance = true;
        if (value.type != JsonValue::Type::null)
          link.instance = string("instance", value).value;
      } else {
        fail(ErrorKind::config, "{}:{}: unknown link key \"{}\"{}", m_filename, value.line, key,
             strings::did_you_mean(key, {"name", "service", "instance"}));
      }
    }
    if (!has_name || !has_service || !has_instance)
      fail(ErrorKind::config,
           "{}:{}: a link object needs \"name\", \"service\" and \"instance\" (null = any)", m_filename,
           v.line);
    return link;
  }

  // A JSON list of strings, or the legacy comma-separated string (docs/decisions.md 22).
  std::vector<Located<std::string>> string_list(const std::string& key, const JsonValue& v,
                                                bool allow_comma) {
    std::vector<Located<std::string>> out;
    if (allow_comma && v.type == JsonValue::Type::string) {
      for (const auto& part : strings::split(v.string, ','))
        if (!strings::trim(part).empty())
          out.push_back({strings::trim(part), v.line});
      return out;
    }
    if (v.type != JsonValue::Type::array)
      type_error(key, v, "a list of strings");
    for (const auto& item : v.items) {
      if (item.type != JsonValue::Type::string)
        fail(ErrorKind::config, "{}:{}: \"{}\" items must be strings, not {}", m_filename, item.line, key,
             item.type_name());
      out.push_back({item.string, item.line});
    }
    return out;
  }

  ConfEntry entry(const JsonValue& object) {
    ConfEntry e;
    e.line = object.line;
    bool has_service = false;
    for (const auto& [key, v] : object.members) {
      if (key == "service") {
        e.service = string(key, v);
        has_service = true;
      } else if (key == "instance") {
        if (v.type != JsonValue::Type::null)
          e.instance = string(key, v);
      } else if (key == "instance_type") {
        e.instance_type = string(key, v);
      } else if (key == "group") {
        e.group = string(key, v);
      } else if (key == "sleep") {
        e.sleep = seconds(key, v);
      } else if (key == "ready_timeout") {
        e.ready_timeout = seconds(key, v);
      } else if (key == "links") {
        if (v.type != JsonValue::Type::array)
          type_error(key, v, "a list");
        for (const auto& item : v.items)
          e.links.push_back(link(item));
      } else if (key == "env_vars") {
        if (v.type != JsonValue::Type::object)
          type_error(key, v, "an object");
        for (const auto& [name, value] : v.members)
          e.env_vars.push_back(env_var(name, value));
      } else if (key == "volumes") {
        e.volumes = string_list(key, v, true);
      } else if (key == "ports") {
        e.ports = string_list(key, v, false);
      } else if (key == "watches") {
        e.watches = string_list(key, v, false);
      } else if (key == "hostname") {
        e.hostname = hostname(key, v);
      } else if (key == "restart") {
        e.restart = string(key, v);
        if (!parse_restart_policy(e.restart->value))
          fail(ErrorKind::config,
               "{}:{}: \"restart\" must be \"no\", \"on-failure\" or \"always\", not \"{}\"{}", m_filename,
               v.line, e.restart->value,
               strings::did_you_mean(e.restart->value, {"no", "on-failure", "always"}));
      } else if (key == "seed_command") {
        e.seed_command = string(key, v);
      } else if (auto* flag = bool_field(e, key)) {
        *flag = boolean(key, v);
      } else if (read_scale_key(e.scale, key, v, m_filename)) {
        // cpus, memory, ...: scale_conf.cpp
      } else {
        fail(ErrorKind::config, "{}:{}: unknown key \"{}\"{}", m_filename, v.line, key,
             strings::did_you_mean(key, run_conf_keys()));
      }
    }
    if (!has_service)
      fail(ErrorKind::config, "{}:{}: entry has no \"service\"", m_filename, object.line);
    if (e.service.value.empty())
      fail(ErrorKind::config, "{}:{}: \"service\" must not be empty", m_filename, e.service.line);
    check_scale(e.scale, m_filename);
    return e;
  }

private:
  static std::optional<Located<bool>>* bool_field(ConfEntry& e, const std::string& key) {
    static const std::map<std::string, std::optional<Located<bool>> ConfEntry::*> k_fields = {
        {"publish_ports", &ConfEntry::publish_ports},
        {"persistent_data", &ConfEntry::persistent_data},
        {"persistent_opt", &ConfEntry::persistent_opt},
        {"persistent_log", &ConfEntry::persistent_log},
        {"nethost", &ConfEntry::nethost},
        {"linked", &ConfEntry::linked},
        {"safemode", &ConfEntry::safemode},
        {"interactive", &ConfEntry::interactive},
        {"ssh_keys", &ConfEntry::ssh_keys},
        {"autorun", &ConfEntry::autorun},
        {"wait", &ConfEntry::wait}};
    auto it = k_fields.find(key);
    return it == k_fields.end() ? nullptr : &(e.*(it->second));
  }

  const std::string& m_filename;
};

} // namespace

void check_run_conf_size(std::uintmax_t bytes, const std::string& filename) {
  if (bytes > k_max_run_conf_bytes)
    fail(ErrorKind::config, "{}: the file has {} bytes; a run conf may have at most {} (1 MiB)", filename,
         bytes, k_max_run_conf_bytes);
}

RunConf parse_run_conf(std::string_view text, const std::string& filename) {
  RunConf conf;
  conf.filename = filename;
  check_run_conf_size(text.size(), filename);
  if (strings::trim(text).empty())
    return conf;
  JsonValue root = parse_jsonc(text, filename);
  conf.line = root.line;
  if (root.type != JsonValue::Type::array)
    fail(ErrorKind::config, "{}:{}: the run conf must be a list of objects, not {}", filename, root.line,
         root.type_name());
  EntryReader reader(filename);
  std::map<std::pair<std::string, std::string>, int> seen;
  if (root.items.size() > k_max_run_conf_entries)
    fail(ErrorKind::config, "{}:{}: more than {} entries; a project network holds at most 253 containers",
         filename, root.items[k_max_run_conf_entries].line, k_max_run_conf_entries);
  for (const auto& item : root.items) {
    if (item.type != JsonValue::Type::object)
      fail(ErrorKind::config, "{}:{}: each entry must be an object, not {}", filename, item.line,
           item.type_name());
    ConfEntry entry = reader.entry(item);
    if (entry.instance) {
      auto [it, inserted] = seen.emplace(std::pair{entry.service.value, entry.instance->value}, entry.line);
      if (!inserted)
        fail(ErrorKind::config, "{}:{}: duplicate instance {}/{} (first at line {})", filename, entry.line,
             entry.service.value, entry.instance->value, it->second);
    }
    conf.entries.push_back(std::move(entry));
  }
  std::vector<EntryName> names;
  for (const auto& e : conf.entries)
    names.push_back({e.service.value, e.instance ? std::optional(e.instance->value) : std::nullopt,
                     e.scale.instances.has_value() || e.scale.autoscale.has_value(), e.line,
                     e.hostname ? e.hostname->line : 0});
  check_counted_names(names, filename);
  return conf;
}

} // namespace dockerops::project
