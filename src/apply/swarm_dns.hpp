#pragma once

// The project's names on a swarm (docs/decisions.md 39): every node runs a dockerops-dns task (a
// global service) with its own zone; each is made to hold the records of the running tasks, as
// dns_sync does on one host. The wanted records come from the observed tasks (pure); the sync runs
// the same difference (signed AXFR, one UPDATE per zone) against each node's DNS in turn.

#include "apply/dns_retry.hpp"
#include "apply/registrar.hpp"
#include "plan/observed.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace dockerops::apply {

// The records every node's DNS should hold: one per running task of an instance's service (its
// desired and observed state "running", an address on the project overlay), the DNS and the
// services with a role (registry, agent) left out. The instance is the service's labels
// (dockerops.service, dockerops.instance), never its name; a service of several replicas names
// its tasks <dockerops.instance-prefix><slot> (counted instances). The hostname is the service's
// (Go templates {{.Service.Name}} and {{.Task.Slot}} expanded), else <service>-<instance>; the
// policy is the service's DNS_UPDATE_POLICY. Sorted by hostname, then address.
std::vector<DnsRecord> swarm_dns_records(const plan::ObservedSwarm& swarm, const std::string& project,
                                         const std::string& zone);

// One node's DNS.
struct SwarmDnsTarget {
  std::string node;    // the node's hostname
  std::string address; // where it answers (TCP)
  std::uint16_t port = 53;
};

// How the caller reaches the DNS tasks: at their node's address (Node.Status.Addr, where port 53 is
// published in host mode: dockerops on any machine that reaches the nodes), or at the task's
// address on the project overlay (a caller attached to the overlay, as the agent can be).
enum class SwarmDnsReach { node_address, overlay };

// The DNS tasks that run now (desired and observed state "running", on a node that is not down),
// one per node, by node hostname.
std::vector<SwarmDnsTarget> swarm_dns_targets(const plan::ObservedSwarm& swarm, const std::string& project,
                                              SwarmDnsReach reach = SwarmDnsReach::node_address);

// What one node's sync did.
struct SwarmDnsNodeResult {
  SwarmDnsTarget target;
  std::size_t changes = 0; // records added plus removed
  std::string error;       // non-empty: this node's DNS did not answer within the policy's deadline
};

// What swarm_dns_sync did.
struct SwarmDnsResult {
  std::size_t registered = 0; // the records wanted (running tasks)
  std::vector<SwarmDnsNodeResult> nodes;
  std::size_t changes() const;
  std::size_t failures() const;
};

// Makes the zone and the reverse zone of every target hold exactly `records` (plus what lies
// outside the project /24, which is never touched): one sync per target through `registrar`, each
// retried by the one DNS retry policy within `policy`'s deadline. A target that does not answer is
// reported in its result, not thrown: the others are still synced. `network` is an address in the
// project /24 (the managed A records and the reverse zone). An interruption is rethrown.
SwarmDnsResult swarm_dns_sync(Registrar& registrar, const std::vector<SwarmDnsTarget>& targets,
                              const std::string& zone, const std::string& network,
                              const std::vector<DnsRecord>& records, const DnsRetryPolicy& policy = {},
                              const std::function<bool()>& cancelled = {});

// An address in the project /24 for swarm_dns_sync: the overlay's subnet as observed, else the
// address of any task on it; "" when neither is known.
std::string swarm_dns_network(const plan::ObservedState& observed, const std::string& project);

} // namespace dockerops::apply
