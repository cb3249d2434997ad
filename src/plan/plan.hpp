#pragma once

// A Plan: the ordered DAG of operations a command will execute, each one
// Engine API or DNS call with its cause (compose's reconcile, docs/decisions.md 17).
// plan/ is the only place that orders anything; apply/ walks the plan.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plan/watch_notice.hpp"
#include "project/model.hpp"

namespace dockerops::plan {

// What one operation does.
enum class OpKind {
  create_network, // POST /networks/create (bridge, IPAM subnet, labels)
  build_image,    // POST /build of a service folder
  create,         // POST /containers/create + /start of `instance`
  keep,           // nothing: running with the same config hash
  recreate,       // stop + remove the old container (container_id), then create + start `instance`
  replace,        // remove the exited container (container_id), then create + start `instance`
  start,          // POST /containers/{id}/start of an existing container
  stop,           // POST /containers/{id}/stop
  remove,         // stop if running, then DELETE /containers/{id}
  dns_register,   // RFC 2136 update: <hostname>.<zone> A, <service>.<zone> per policy, PTR
  dns_deregister, // RFC 2136 update: delete what dns_register added
  wait_ready,     // follow logs / wait for "[dockerops] ready" up to `seconds`
  sleep,          // run.conf "sleep": `seconds`
  project_files,  // make the missing `files` (of the project dir `target`) instances mount: SSH key, TSIG key
  dns_sync,       // the zones made to match the running instances (a new DNS, missing or stale records)
  remove_network, // DELETE /networks/{name}: no container of the project is left
  watch_notify,   // exec the watch hooks of a watching instance (docs/decisions.md 32), never fatal
  drain,          // wait `seconds` after a dns-deregister, so clients and load balancers stop sending first
  // Swarm (docs/decisions.md 33): a service per instance instead of a container.
  push_image,     // tag `target` as <registry>/<target> and push it; services use the pushed digest
  create_secret,  // POST /secrets/create (or /configs/create) `target` from the project file in `files`
  create_service, // POST /services/create of `instance` (pinned to `node` when set)
  update_service, // POST /services/{id}/update: the config hash changed; Swarm replaces the tasks
  scale_service,  // the service's replicas set to `replicas`: 0 stops it, N starts it again
  remove_service, // DELETE /services/{id}
  wait_running,   // until the service's tasks run; a task no node can take is reported, not waited for
  remove_secret,  // DELETE /secrets/{id} (or /configs/{id}): no service of the project is left
  remove_volume,  // DELETE /volumes/{name} on the manager (the project registry's storage), once unused
};

// Why a running instance is recreated; `Operation::cause` says it for people.
enum class RecreateReason {
  none,
  image_changed,  // its image was rebuilt (or is built by this plan)
  type_changed,   // another instance type
  conf_changed,   // started from another run conf
  config_changed, // anything else in the config hash (env, ports, volumes...)
  rerun,          // rerun recreates whatever the hash says
};

// "create-network", "build-image", "create", ... as --dry-run prints them.
std::string_view to_string(OpKind kind);

// One step of a plan.
struct Operation {
  int id = 0; // 1-based, in execution order: `after` only names lower ids
  OpKind kind = OpKind::keep;
  std::string target;                           // container, image or network name
  std::string cause;                            // why: "not created yet", "up to date", "image changed", ...
  RecreateReason reason = RecreateReason::none; // recreate: why, as a value
  std::vector<int> after;                       // operations that must finish first

  // Payloads, by kind.
  std::optional<project::ResolvedInstance> instance; // create, recreate, replace, keep, dns_register
  std::string
      container_id;     // observed container: recreate, replace, keep, start, stop, remove, dns_deregister
  std::string image_id; // the observed container's image ("sha256:..."): recreate, replace, stop, remove
  std::string subnet;   // create_network
  // create, recreate, replace: the address on the project network, outside the DNS's .2 (issue 20:
  // whatever starts first, the DNS's address stays free); empty = the instance's own (the DNS).
  std::string address;
  std::string service;        // build_image, dns_register, dns_deregister, start
  std::string instance_name;  // dns_register, dns_deregister, start
  std::string context_dir;    // build_image: the service folder; create_secret: the project folder
  std::string from;           // build_image: the FROM image
  bool nocache = false;       // build_image
  bool image_missing = false; // build_image: run builds it because it does not exist
  std::string zone;           // dns_*
  std::string dns_server;     // dns_*: the project DNS's address the update goes to (docs/decisions.md 14)
  project::DnsPolicy policy = project::DnsPolicy::append; // dns_*
  int seconds = 0;                                        // wait_ready timeout, sleep, drain
  std::map<std::string, std::string> labels; // create_network, build_image: identity labels to set
  std::vector<std::string> files;            // project_files: paths relative to the project dir
  bool best_effort = false;         // dns_deregister of stop/clean: a DNS that does not answer is a warning
  std::optional<WatchNotice> watch; // watch_notify
  // Swarm payloads (docs/decisions.md 33).
  std::string node; // create_service, update_service: the node (hostname) a persistent instance is pinned to
  std::uint64_t replicas =
      0; // create_service, update_service, scale_service (global services: 0 = stopped, 1 = started)
  std::string registry;     // push_image, create_service, update_service: "host:port"; empty = the local tag
  std::string driver;       // create_network: "overlay" on a swarm (attachable), else a bridge
  bool config_file = false; // create_secret, remove_secret: a swarm config instead of a secret
};

// The operations of one command, in a valid execution order.
struct Plan {
  std::string command; // "run", "build", "stop", "clean", "start", "rerun"
  std::string project;
  bool swarm = false; // operations act on swarm services (docs/decisions.md 33)
  std::vector<Operation> operations;
  std::vector<std::string> notices; // for the user (resolver + planner)
  std::vector<std::string> warnings;

  // Groups of operation ids that may run in parallel: wave N only depends on earlier waves.
  std::vector<std::vector<int>> waves() const;

  // What --dry-run prints: stable, byte-for-byte deterministic.
  std::string to_string() const;

  // The line a command ends with once the plan is applied, counting instances by what happened
  // to them: "run: 3 instances: 2 created, 1 up to date\n".
  std::string summary() const;

  // The operation with this id.
  const Operation& op(int id) const { return operations.at(static_cast<std::size_t>(id - 1)); }
};

} // namespace dockerops::plan
