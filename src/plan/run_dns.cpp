// The DNS side of the run plan (docs/decisions.md 14): where instances register, the registrations
// an observed zone lacks, and the dns-sync of a new DNS or of stale records.
#include "plan/run_dns.hpp"

#include "base/strings.hpp"

#include <algorithm>
#include <set>

namespace dockerops::plan::detail {

using project::ResolvedInstance;

namespace {

// The names of the observed zone holding an address no container of the project has any more
// (removed while the DNS was down, or a run killed before it deregistered).
std::vector<std::string> stale_names(const ObservedState& observed, const std::string& project) {
  std::vector<std::string> out;
  if (!observed.zone)
    return out;
  std::set<std::string> addresses;
  for (const auto& c : observed.containers)
    if (c.label(project::k_label_project) == project && c.is_up() && !c.ip.empty())
      addresses.insert(c.ip);
  for (const auto& [name, ips] : *observed.zone)
    if (std::any_of(ips.begin(), ips.end(), [&](const std::string& ip) { return !addresses.count(ip); }))
      out.push_back(name);
  return out;
}

// Instances of the project that keep running through this plan without being started by it.
bool others_stay_up(const Plan& plan, const ObservedState& observed, const std::string& project) {
  for (const auto& c : observed.containers) {
    if (c.label(project::k_label_project) != project ||
        c.label(project::k_label_service) == project::k_dns_service || c.state != "running")
      continue;
    bool restarted = std::any_of(plan.operations.begin(), plan.operations.end(), [&](const Operation& op) {
      return op.container_id == c.id && op.kind != OpKind::keep && op.kind != OpKind::dns_register;
    });
    if (!restarted)
      return true;
  }
  return false;
}

} // namespace

// The address every instance of the project registers at: the DNS instance's pinned address, else
// the resolver the instances were given (a DNS that runs but is not in the selection).
std::string project_dns_server(const project::ResolvedProject& project) {
  for (const auto& r : project.instances)
    if (r.is_dns && !r.ipv4_address.empty())
      return r.ipv4_address;
  for (const auto& r : project.instances)
    if (!r.dns_server.empty())
      return r.dns_server;
  return "";
}

// A dns-register operation of `r`.
Operation register_op(const ResolvedInstance& r, const std::string& zone, std::vector<int> after,
                      std::string cause) {
  Operation reg;
  reg.kind = OpKind::dns_register;
  reg.target = r.container_name;
  reg.instance = r;
  reg.service = r.service;
  reg.instance_name = r.instance;
  reg.zone = zone;
  reg.dns_server = r.dns_server;
  reg.policy = r.dns_policy;
  reg.after = std::move(after);
  reg.cause = std::move(cause);
  return reg;
}

// True when the observed zone lacks a record a running instance at `ip` should have: its own name,
// or its address under the service name (docs/decisions.md 14).
bool records_missing(const ObservedState& observed, const ResolvedInstance& r, const std::string& ip,
                     const std::string& zone) {
  if (!observed.zone || ip.empty())
    return false;
  auto has = [&](const std::string& name) {
    auto it = observed.zone->find(strings::to_lower(name + "." + zone + "."));
    return it != observed.zone->end() && it->second.count(ip) > 0;
  };
  // REPLACE keeps only the last registered address under the service name: not a difference.
  return !has(r.hostname) || (r.dns_policy == project::DnsPolicy::append && !has(r.service));
}

// A new DNS starts with an empty zone unless persistent, and an observed zone may hold records of
// containers that are gone: one dns-sync once everything else is done.
void add_dns_sync(Plan& plan, const project::ResolvedProject& project, const ObservedState& observed) {
  std::string server = project_dns_server(project);
  if (server.empty())
    return;
  bool dns_new = std::any_of(plan.operations.begin(), plan.operations.end(), [](const Operation& op) {
    bool starts = op.kind == OpKind::create || op.kind == OpKind::recreate || op.kind == OpKind::replace;
    return starts && op.instance && op.instance->is_dns;
  });
  std::vector<std::string> stale = stale_names(observed, project.name);
  Operation sync;
  if (dns_new && others_stay_up(plan, observed, project.name))
    sync.cause = "a new DNS: the records of the instances that stay up";
  else if (!stale.empty())
    sync.cause = "stale records: " + strings::join(stale, ", ");
  else
    return;
  sync.kind = OpKind::dns_sync;
  sync.target = project.zone;
  sync.zone = project.zone;
  sync.dns_server = server;
  append_last(plan, std::move(sync));
}

void append_last(Plan& plan, Operation sync) {
  for (const auto& op : plan.operations)
    if (std::none_of(plan.operations.begin(), plan.operations.end(), [&](const Operation& other) {
          return std::find(other.after.begin(), other.after.end(), op.id) != other.after.end();
        }))
      sync.after.push_back(op.id);
  sync.id = static_cast<int>(plan.operations.size()) + 1;
  plan.operations.push_back(std::move(sync));
}

} // namespace dockerops::plan::detail
