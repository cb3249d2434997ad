#include "apply/dns_sync.hpp"

#include "project/model.hpp"

namespace dockerops::apply {

std::vector<DnsRecord> running_records(engine::Engine& engine, const std::string& project,
                                       const std::string& server, const std::string& zone) {
  const std::string network = project::network_name(project);
  std::vector<DnsRecord> out;
  auto filters = engine::label_filter({std::string(project::k_label_project) + "=" + project});
  for (const auto& c : engine.list_containers(filters, false)) {
    auto service = c.labels.find(std::string(project::k_label_service));
    auto ip = c.ip_by_network.find(network);
    if (c.state != "running" || service == c.labels.end() || service->second == project::k_dns_service ||
        ip == c.ip_by_network.end() || ip->second.empty())
      continue;
    engine::ContainerInfo info = engine.inspect_container(c.id);
    DnsRecord record;
    record.server = server;
    record.zone = zone;
    record.hostname = info.hostname;
    if (record.hostname.empty()) {
      auto instance = c.labels.find(std::string(project::k_label_instance));
      record.hostname = service->second + "-" + (instance == c.labels.end() ? "" : instance->second);
    }
    record.service = service->second;
    record.ip = ip->second;
    record.policy = project::dns_policy_in_env(info.env);
    out.push_back(std::move(record));
  }
  return out;
}

} // namespace dockerops::apply
