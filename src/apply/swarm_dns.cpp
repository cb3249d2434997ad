#include "apply/swarm_dns.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "project/counted.hpp"
#include "project/model.hpp"
#include "project/swarm_names.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dockerops::apply {

namespace {

bool runs(const plan::ObservedTask& t) {
  return t.desired_state == "running" && t.state == "running";
}

// Every occurrence of `from` in `text` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

std::string task_hostname(const plan::ObservedService& s, const plan::ObservedTask& t,
                          const std::string& service, const std::string& instance) {
  if (s.hostname.empty())
    return service + "-" + instance;
  return replaced(replaced(s.hostname, "{{.Service.Name}}", s.name), "{{.Task.Slot}}",
                  std::to_string(t.slot));
}

} // namespace

std::vector<DnsRecord> swarm_dns_records(const plan::ObservedSwarm& swarm, const std::string& project,
                                         const std::string& zone) {
  std::vector<DnsRecord> out;
  for (const auto& s : swarm.services) {
    std::string service = s.label(project::k_label_service);
    if (s.label(project::k_label_project) != project || service.empty() ||
        service == project::k_dns_service || !s.label(project::k_label_role).empty())
      continue;
    project::DnsPolicy policy = project::dns_policy_in_env(s.env);
    for (const auto& t : s.tasks) {
      if (!runs(t) || t.ip.empty())
        continue;
      DnsRecord record;
      record.zone = zone;
      record.service = service;
      record.hostname = task_hostname(s, t, service, project::task_instance(s.labels, t.slot));
      record.ip = t.ip;
      record.policy = policy;
      out.push_back(std::move(record));
    }
  }
  std::sort(out.begin(), out.end(), [](const DnsRecord& a, const DnsRecord& b) {
    return std::tie(a.hostname, a.ip) < std::tie(b.hostname, b.ip);
  });
  return out;
}

std::vector<SwarmDnsTarget> swarm_dns_targets(const plan::ObservedSwarm& swarm, const std::string& project,
                                              SwarmDnsReach reach) {
  std::vector<SwarmDnsTarget> out;
  for (const auto& s : swarm.services) {
    if (s.label(project::k_label_project) != project ||
        s.label(project::k_label_service) != project::k_dns_service)
      continue;
    for (const auto& t : s.tasks) {
      const plan::ObservedNode* node = swarm.node(t.node_id);
      if (!runs(t) || !node || node->state != "ready")
        continue;
      std::string address = reach == SwarmDnsReach::overlay ? t.ip : node->address;
      if (address.empty() || address == "0.0.0.0")
        continue;
      if (std::none_of(out.begin(), out.end(),
                       [&](const SwarmDnsTarget& o) { return o.node == node->hostname; }))
        out.push_back({node->hostname, address, 53});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const SwarmDnsTarget& a, const SwarmDnsTarget& b) { return a.node < b.node; });
  return out;
}

std::size_t SwarmDnsResult::changes() const {
  std::size_t n = 0;
  for (const auto& r : nodes)
    n += r.changes;
  return n;
}

std::size_t SwarmDnsResult::failures() const {
  return static_cast<std::size_t>(std::count_if(
      nodes.begin(), nodes.end(), [](const SwarmDnsNodeResult& r) { return !r.error.empty(); }));
}

SwarmDnsResult swarm_dns_sync(Registrar& registrar, const std::vector<SwarmDnsTarget>& targets,
                              const std::string& zone, const std::string& network,
                              const std::vector<DnsRecord>& records, const DnsRetryPolicy& policy,
                              const std::function<bool()>& cancelled) {
  SwarmDnsResult result;
  result.registered = records.size();
  for (const auto& target : targets) {
    SwarmDnsNodeResult node{target, 0, ""};
    std::vector<DnsRecord> at = records;
    for (auto& r : at)
      r.server = target.address;
    try {
      with_dns_retries(
          fmt::format("dns: sync of node {} at {}", target.node, target.address),
          [&] {
            node.changes = registrar.sync_at({target.address, network, "", target.port}, zone, at);
          },
          policy, cancelled);
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::interrupted)
        throw;
      node.error = e.what();
    }
    result.nodes.push_back(std::move(node));
  }
  return result;
}

std::string swarm_dns_network(const plan::ObservedState& observed, const std::string& project) {
  const std::string name = project::network_name(project);
  for (const auto& n : observed.networks)
    if (n.name == name && !n.subnet.empty())
      return n.subnet.substr(0, n.subnet.find('/'));
  if (observed.swarm)
    for (const auto& s : observed.swarm->services)
      for (const auto& t : s.tasks)
        if (!t.ip.empty() && s.label(project::k_label_project) == project)
          return t.ip;
  return "";
}

} // namespace dockerops::apply
