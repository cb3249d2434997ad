#include "project/model.hpp"

#include "base/strings.hpp"

#include <nlohmann/json.hpp>

namespace dockerops::project {

std::string_view to_string(InstanceType type) {
  switch (type) {
  case InstanceType::standard:
    return "standard";
  case InstanceType::published:
    return "published";
  case InstanceType::persistent:
    return "persistent";
  case InstanceType::master:
    return "master";
  case InstanceType::debug:
    return "debug";
  }
  return "standard";
}

const std::vector<std::string>& instance_type_names() {
  static const std::vector<std::string> k_names = {"standard", "published", "persistent", "master", "debug"};
  return k_names;
}

std::optional<InstanceType> parse_instance_type(std::string_view text) {
  for (auto type : {InstanceType::standard, InstanceType::published, InstanceType::persistent,
                    InstanceType::master, InstanceType::debug})
    if (to_string(type) == text)
      return type;
  return std::nullopt;
}

std::string_view to_string(EnvSource source) {
  switch (source) {
  case EnvSource::builtin:
    return "built-in";
  case EnvSource::environment:
    return "environment";
  case EnvSource::host_conf:
    return "host.conf";
  case EnvSource::run_conf:
    return "run.conf";
  case EnvSource::link:
    return "link";
  case EnvSource::interface:
    return "interface";
  case EnvSource::prompt:
    return "prompt";
  }
  return "built-in";
}

std::string_view to_string(DnsPolicy policy) {
  switch (policy) {
  case DnsPolicy::append:
    return "APPEND";
  case DnsPolicy::replace:
    return "REPLACE";
  case DnsPolicy::hide:
    return "HIDE";
  }
  return "APPEND";
}

std::string_view to_string(RestartPolicy policy) {
  switch (policy) {
  case RestartPolicy::no:
    return "no";
  case RestartPolicy::on_failure:
    return "on-failure";
  case RestartPolicy::always:
    return "always";
  }
  return "no";
}

std::optional<RestartPolicy> parse_restart_policy(std::string_view text) {
  for (auto policy : {RestartPolicy::no, RestartPolicy::on_failure, RestartPolicy::always})
    if (to_string(policy) == text)
      return policy;
  return std::nullopt;
}

bool is_secret_variable(std::string_view name) {
  std::string upper = strings::to_upper(name);
  for (const char* word : {"KEY", "SECRET", "PASSWORD", "TOKEN"})
    if (upper.find(word) != std::string::npos)
      return true;
  return false;
}

std::string shown_value(std::string_view name, const std::string& value) {
  return is_secret_variable(name) && !value.empty() ? "********" : value;
}

std::optional<DnsPolicy> parse_dns_policy(std::string_view text) {
  std::string upper = strings::to_upper(strings::trim(text));
  for (auto policy : {DnsPolicy::append, DnsPolicy::replace, DnsPolicy::hide})
    if (to_string(policy) == upper)
      return policy;
  return std::nullopt;
}

DnsPolicy dns_policy_in_env(const std::vector<std::string>& env) {
  constexpr std::string_view key = "DNS_UPDATE_POLICY=";
  DnsPolicy policy = DnsPolicy::append;
  for (const auto& entry : env)
    if (entry.rfind(key, 0) == 0)
      policy = parse_dns_policy(std::string_view(entry).substr(key.size())).value_or(DnsPolicy::append);
  return policy;
}

std::string ResolvedInstance::canonical() const {
  // nlohmann::json objects are std::map based: keys come out sorted, so the
  // text is stable. Sources and notices are not configuration: left out.
  nlohmann::json j;
  j["project"] = project;
  j["service"] = service;
  j["instance"] = instance;
  j["type"] = std::string(to_string(type));
  j["conf"] = conf;
  j["container_name"] = container_name;
  j["hostname"] = hostname;
  j["image"] = image;
  j["image_id"] = image_id;
  j["switches"] = {{"linked", linked},
                   {"publish_ports", publish_ports},
                   {"persistent_data", persistent_data},
                   {"persistent_opt", persistent_opt},
                   {"persistent_log", persistent_log},
                   {"safemode", safemode},
                   {"interactive", interactive},
                   {"nethost", nethost},
                   {"ssh_keys", ssh_keys}};
  j["command"] = command;
  // Only when set, so that the hash of an instance without limits is what it was before them.
  if (!resources.empty())
    j["resources"] = {{"nano_cpus", resources.nano_cpus()},
                      {"memory", resources.memory},
                      {"memory_reservation", resources.memory_reservation},
                      {"pids", resources.pids}};
  // Only when set, so that the hash of every instance without the key is what it was before it.
  if (restart != RestartPolicy::no)
    j["restart"] = std::string(to_string(restart));
  if (!daemon_restart.empty())
    j["daemon_restart"] = daemon_restart;
  nlohmann::json env_json = nlohmann::json::object();
  for (const auto& [name, value] : this->env)
    // A link to a container not started yet has no IP: hash the target instead,
    // so the hash does not change when the target gets a new address.
    env_json[name] =
        value.pending_link_container.empty() ? value.value : "link:" + value.pending_link_container;
  j["env"] = env_json;
  nlohmann::json ports_json = nlohmann::json::array();
  for (const auto& p : ports)
    ports_json.push_back(fmt_port(p));
  j["ports"] = ports_json;
  nlohmann::json volumes_json = nlohmann::json::array();
  for (const auto& v : volumes)
    volumes_json.push_back(v.host_path + ":" + v.container_path + (v.mode.empty() ? "" : ":" + v.mode));
  j["volumes"] = volumes_json;
  j["persistent_dir"] = persistent_dir;
  nlohmann::json links_json = nlohmann::json::array();
  for (const auto& l : links)
    links_json.push_back(l.alias + "=" + l.target_container);
  j["links"] = links_json;
  j["network"] = network;
  j["ipv4_address"] = ipv4_address;
  j["dns_server"] = dns_server;
  j["dns_search"] = dns_search;
  if (!watches.empty()) // absent when empty: the hashes of instances that watch nothing stay as they were
    j["watches"] = watches;
  return j.dump();
}

std::string fmt_port(const PortMapping& port) {
  std::string text = port.host_ip.empty()                          ? ""
                     : port.host_ip.find(':') != std::string::npos ? "[" + port.host_ip + "]:"
                                                                   : port.host_ip + ":";
  text += std::to_string(port.host_port) + ":" + std::to_string(port.container_port) + "/" + port.protocol;
  return text;
}

} // namespace dockerops::project
