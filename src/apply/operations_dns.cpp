// The DNS operations of a plan (docs/decisions.md 14): registering and deregistering an instance,
// and making the zone match the running instances. All go through one retry policy (dns_retry.hpp).
#include "apply/operations.hpp"

#include "apply/dns_retry.hpp"
#include "apply/dns_sync.hpp"
#include "apply/observe.hpp"
#include "apply/swarm_dns.hpp"
#include "base/error.hpp"
#include "base/log.hpp"

namespace dockerops::apply::detail {

void OperationRunner::register_dns(const plan::Operation& op, bool add) {
  std::string who = who_of(op);
  if (op.instance && op.instance->interactive)
    return; // attached and already removed: nothing to register
  if (!m_options.registrar || op.dns_server.empty()) {
    log::debug("{}: no DNS in the project: {} skipped", who, plan::to_string(op.kind));
    return;
  }
  DnsRecord record;
  record.server = op.dns_server;
  record.zone = op.zone;
  record.service = op.service;
  record.policy = op.policy;
  auto info = m_engine.inspect_container(op.instance ? op.instance->container_name : op.container_id);
  record.hostname = op.instance ? op.instance->hostname : info.hostname;
  if (!op.instance)
    record.policy = project::dns_policy_in_env(info.env);
  if (record.policy == project::DnsPolicy::hide)
    return;
  auto it = info.networks.find(m_network);
  if (it == info.networks.end() || it->second.ip_address.empty()) {
    log::debug("{}: no address on {}: {} skipped", who, m_network, plan::to_string(op.kind));
    return;
  }
  record.ip = it->second.ip_address;
  const char* what = add ? "registration" : "deregistration";
  try {
    with_dns_retries(
        fmt::format("{}: DNS {} at {}", who, what, record.server),
        [&] {
          if (add)
            m_options.registrar->register_instance(record);
          else
            m_options.registrar->deregister_instance(record);
        },
        m_options.dns_retry, [this] { return cancelled(); });
  } catch (const Error& e) {
    if (!op.best_effort || e.kind() == ErrorKind::interrupted)
      throw;
    // The container goes anyway; its records stay until the zone is made right again.
    m_reporter.warning(fmt::format(
        "{}: its records could not be removed ({}); run or dns:sync will remove them", who, e.what()));
    return;
  }
  count();
  say(fmt::format("{}: {} {}.{} ({})", who, add ? "registered" : "deregistered", record.hostname, record.zone,
                  record.ip));
}

void OperationRunner::sync_dns(const plan::Operation& op) {
  if (!m_options.registrar || op.dns_server.empty())
    return;
  if (m_plan.swarm) {
    sync_swarm_dns(op);
    return;
  }
  std::size_t changes = 0;
  with_dns_retries(
      fmt::format("dns: sync at {}", op.dns_server),
      [&] {
        // Listed at each attempt: the zone is made to match what runs now.
        changes = m_options.registrar->sync(
            op.dns_server, op.zone, running_records(m_engine, m_plan.project, op.dns_server, op.zone));
      },
      m_options.dns_retry, [this] { return cancelled(); });
  count();
  if (changes > 0) {
    std::lock_guard lock(m_mutex);
    m_reporter.notice(fmt::format("dns: {} record{} of running instances registered again", changes,
                                  changes == 1 ? "" : "s"));
  }
}

// On a swarm (docs/decisions.md 39): the tasks as they run now, their records at every node's DNS.
// A node whose DNS does not answer is a warning: the others are synced, the next sync corrects it.
void OperationRunner::sync_swarm_dns(const plan::Operation& op) {
  plan::ObservedState observed = observe_swarm(m_engine, m_plan.project);
  SwarmDnsResult synced =
      swarm_dns_sync(*m_options.registrar, swarm_dns_targets(*observed.swarm, m_plan.project), op.zone,
                     swarm_dns_network(observed, m_plan.project),
                     swarm_dns_records(*observed.swarm, m_plan.project, op.zone), m_options.dns_retry,
                     [this] { return cancelled(); });
  count();
  {
    std::lock_guard lock(m_mutex);
    for (const auto& n : synced.nodes)
      if (!n.error.empty())
        m_reporter.warning(
            fmt::format("dns: node {}: {}; dns:sync or the next run corrects it", n.target.node, n.error));
  }
  say(fmt::format("dns: {} record{} of running tasks at {} node{}, {} change{}", synced.registered,
                  synced.registered == 1 ? "" : "s", synced.nodes.size(), synced.nodes.size() == 1 ? "" : "s",
                  synced.changes(), synced.changes() == 1 ? "" : "s"));
}

} // namespace dockerops::apply::detail
