#include "agent/instance_detail.hpp"

#include "base/strings.hpp"
#include "project/model.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>

namespace dockerops::agent {
namespace {

// The folders the base entrypoint keeps in /persistent when their flag is true (docs/decisions.md 9).
struct PersistentFolder {
  const char* flag;
  const char* path;
  const char* name;
};
constexpr PersistentFolder k_persistent_folders[] = {{"PERSISTENT_DATA", "/data", "data"},
                                                     {"PERSISTENT_OPT", "/opt", "opt"},
                                                     {"PERSISTENT_LOG", "/var/log", "log"}};

nlohmann::json env_json(const std::vector<std::string>& env) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& kv : env) {
    auto eq = kv.find('=');
    std::string name = kv.substr(0, eq);
    out[name] = project::shown_value(name, eq == std::string::npos ? "" : kv.substr(eq + 1));
  }
  return out;
}

std::string env_value(const std::vector<std::string>& env, const std::string& name) {
  for (const auto& kv : env)
    if (kv.size() > name.size() && kv.compare(0, name.size(), name) == 0 && kv[name.size()] == '=')
      return kv.substr(name.size() + 1);
  return "";
}

// Legacy links ("container:alias") with the instance each one reaches, when it is of the project.
nlohmann::json links_json(const Snapshot& snapshot, const ObservedInstance& o) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [network, attachment] : o.networks)
    for (const auto& link : attachment.links) {
      auto colon = link.rfind(':');
      std::string container = link.substr(0, colon);
      if (!container.empty() && container.front() == '/')
        container.erase(0, 1);
      std::string alias = colon == std::string::npos ? container : link.substr(colon + 1);
      alias = alias.substr(alias.rfind('/') + 1); // older daemons say "/target:/self/alias"
      nlohmann::json item = {{"alias", alias}, {"container", container}, {"network", network}};
      for (const auto& other : snapshot.instances)
        if (other.observed.container_name == container) {
          item["service"] = other.observed.service;
          item["instance"] = other.observed.instance;
        }
      out.push_back(std::move(item));
    }
  return out;
}

nlohmann::json persistent_json(const ObservedInstance& o) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& m : o.mounts) {
    if (m.destination != "/persistent")
      continue;
    for (const auto& folder : k_persistent_folders)
      if (strings::parse_bool(env_value(o.env, folder.flag)).value_or(false))
        out.push_back({{"path", folder.path}, {"host", m.source + "/" + folder.name}});
  }
  return out;
}

// The names whose A record is the instance's address, then those its PTR record gives.
nlohmann::json dns_names_json(const Snapshot& snapshot, const ObservedInstance& o) {
  nlohmann::json out = nlohmann::json::array();
  if (o.ip.empty())
    return out;
  std::string reverse = reverse_name(o.ip);
  for (const auto& r : snapshot.dns.records) {
    bool forward = (r.type == "A" || r.type == "AAAA") && r.data == o.ip;
    bool pointer = r.type == "PTR" && r.name == reverse;
    if (forward || pointer)
      out.push_back({{"name", forward ? r.name : r.data}, {"type", r.type}, {"record", r.name}});
  }
  return out;
}

} // namespace

std::string reverse_name(const std::string& ipv4) {
  in_addr address{};
  if (inet_pton(AF_INET, ipv4.c_str(), &address) != 1)
    return "";
  auto bytes = reinterpret_cast<const unsigned char*>(&address.s_addr);
  return fmt::format("{}.{}.{}.{}.in-addr.arpa.", bytes[3], bytes[2], bytes[1], bytes[0]);
}

nlohmann::json instance_detail_json(const Snapshot& snapshot, const InstanceView& view) {
  const ObservedInstance& o = view.observed;
  nlohmann::json detail = instance_json(view);
  detail["hostname"] = o.hostname;
  detail["env"] = env_json(o.env);
  detail["links"] = links_json(snapshot, o);
  nlohmann::json ports = nlohmann::json::array();
  for (const auto& p : o.ports)
    ports.push_back(
        {{"container_port", p.container_port},
         {"protocol", p.proto},
         {"host_ip", p.host_ip},
         {"host_port", p.host_port == 0 ? nlohmann::json(nullptr) : nlohmann::json(p.host_port)}});
  detail["ports"] = ports;
  nlohmann::json mounts = nlohmann::json::array();
  for (const auto& m : o.mounts)
    mounts.push_back({{"type", m.type},
                      {"source", m.source},
                      {"destination", m.destination},
                      {"read_only", !m.read_write}});
  detail["mounts"] = mounts;
  detail["persistent"] = persistent_json(o);
  nlohmann::json networks = nlohmann::json::object();
  for (const auto& [name, attachment] : o.networks)
    networks[name] = {{"ip", attachment.ip_address}, {"aliases", attachment.aliases}};
  detail["networks"] = networks;
  detail["dns_names"] = dns_names_json(snapshot, o);
  detail["usage"] = usage_json(snapshot, o.service, o.instance);
  return detail;
}

} // namespace dockerops::agent
