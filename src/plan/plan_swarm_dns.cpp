// The DNS step of the swarm plans (docs/decisions.md 39): records follow the tasks, so every plan
// that leaves a DNS running ends with one dns-sync of every node's DNS, after everything else.
#include "plan/run_dns.hpp"
#include "plan/swarm_detail.hpp"

#include "project/model.hpp"
#include "project/swarm_names.hpp"

#include <algorithm>

namespace dockerops::plan::detail {

namespace {

const ObservedService* dns_service(const ObservedSwarm& swarm, const std::string& project) {
  for (const auto& s : swarm.services)
    if (s.label(project::k_label_project) == project &&
        s.label(project::k_label_service) == project::k_dns_service && s.label(project::k_label_role).empty())
      return &s;
  return nullptr;
}

} // namespace

void add_swarm_dns_sync(Plan& plan, const ObservedSwarm& swarm, const std::string& project,
                        bool dns_started) {
  const ObservedService* dns = dns_service(swarm, project);
  bool runs = dns_started || (dns && dns->label(project::k_label_stopped) != "true");
  if (dns)
    for (const auto& op : plan.operations) {
      if (op.container_id != dns->id)
        continue;
      if (op.kind == OpKind::remove_service || (op.kind == OpKind::scale_service && op.replicas == 0))
        runs = false;
      else if (op.kind == OpKind::scale_service)
        runs = true;
    }
  if (!runs)
    return;
  Operation sync;
  sync.kind = OpKind::dns_sync;
  sync.target = std::string(project::k_zone);
  sync.zone = sync.target;
  sync.dns_server = swarm.nameserver;
  sync.cause = "records follow the tasks: every node's DNS";
  append_last(plan, std::move(sync));
}

} // namespace dockerops::plan::detail
