#pragma once

#include "engine/swarm_types.hpp"
#include "project/model.hpp"

#include <cstdint>
#include <map>
#include <string>

namespace dockerops::apply {

// What a swarm service needs besides the resolved instance (docs/decisions.md 33).
struct ServiceExtras {
  engine::Labels labels; // DOCKEROPS_EXTRA_LABELS
  std::string image;     // what the nodes pull ("10.0.0.5:5000/demo/web@sha256:..."); empty = instance.image
  std::string node;      // the node a persistent instance is pinned to (hostname); empty = any
  std::uint64_t replicas = 1;
  bool stopped = false; // scaled to 0 (a global service: placed on no node)
  // The project's swarm secrets and configs by name -> ID (project::swarm_files names them).
  std::map<std::string, std::string> file_ids;
};

// The POST /services/create body of an instance (the mapping table of dockerops(1) "SWARM"):
// labels on the service and its containers (identity and config hash), env, hostname, command,
// the project files as secrets and configs, /persistent as a named volume on the pinned node, other
// volumes as binds on the node, the resolver (every node's DNS at the same address) with the zone as
// search domain, `group` as the placement constraint node.labels.dockerops.group, ports published in
// host mode (the routing mesh needs IPVS), endpoint mode dnsrr, restart policy "any". Links become
// DOCKEROPS_LINK_VARS ("DB_SERVICE_IP=demo-db-one ...") and DOCKEROPS_LINK_ALIASES ("db=demo-db-one
// ..."), which the base entrypoint resolves at each start, so that a target's new address never
// changes the linking service's spec. The DNS is a global service publishing port 53.
engine::ServiceSpec service_spec(const project::ResolvedInstance& r, const ServiceExtras& extras);

} // namespace dockerops::apply
