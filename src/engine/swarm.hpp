#pragma once

#include "engine/swarm_types.hpp"
#include "engine/types.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockerops::engine {

// The swarm-mode part of the Docker daemon (docs/decisions.md 33): the swarm, its nodes, services
// and tasks, reached through Engine::swarm(). Only a manager answers; a worker or an engine outside a
// swarm throws an engine Error with the daemon's message (HTTP 503); check_manager() says it better
// first. Same rules as Engine: thread-safe; not_found (404), conflict (409, and an update whose
// version is stale), engine for other daemon errors. tests/support/fake_swarm.hpp is the fake.
class Swarm {
public:
  virtual ~Swarm() = default;

  // GET /swarm.
  virtual SwarmInfo inspect_swarm() = 0;
  // GET /swarm, then POST /swarm/update?version= with the Spec changed as asked.
  virtual void update_swarm(const SwarmUpdate& update) = 0;

  // GET /nodes?filters= ("role", "name", "node.label", "membership").
  virtual std::vector<NodeInfo> list_nodes(const Filters& filters) = 0;
  // GET /nodes/{id or hostname}.
  virtual NodeInfo inspect_node(const std::string& id) = 0;
  // POST /nodes/{id}/update?version=: the whole NodeSpec.
  virtual void update_node(const std::string& id, std::uint64_t version, const NodeSpec& spec) = 0;

  // POST /services/create; returns the service ID. The daemon's warnings are logged. A duplicate
  // name is a conflict. The nodes pull the image themselves (from a registry they can reach).
  virtual std::string create_service(const ServiceSpec& spec) = 0;
  // GET /services/{id or name}.
  virtual ServiceInfo inspect_service(const std::string& id) = 0;
  // GET /services?filters=&status=1 (running and desired task counts filled in).
  virtual std::vector<ServiceInfo> list_services(const Filters& filters) = 0;
  // POST /services/{id}/update?version=: the whole spec replaces the old one. A stale version
  // (someone updated the service since it was read) is a conflict: read again and retry.
  virtual void update_service(const std::string& id, std::uint64_t version, const ServiceSpec& spec) = 0;
  virtual void remove_service(const std::string& id) = 0;
  // GET /services/{id}/logs: every task's output, demultiplexed (raw when the service has a TTY).
  virtual void service_logs(const std::string& id, const LogOptions& options,
                            const OutputCallback& output) = 0;

  // GET /tasks?filters=: "service" (name or ID, several OR together), "label" (the service's labels),
  // "node", "desired-state" ("running", "shutdown", "accepted"), "id", "name".
  virtual std::vector<TaskInfo> list_tasks(const Filters& filters) = 0;
  virtual TaskInfo inspect_task(const std::string& id) = 0;

  // POST /secrets/create or /configs/create; returns the ID. A duplicate name is a conflict.
  virtual std::string create_file(SwarmFileKind kind, const SwarmFile& file) = 0;
  // GET /secrets or /configs?filters= ("label", "name"); no data.
  virtual std::vector<SwarmFile> list_files(SwarmFileKind kind, const Filters& filters) = 0;
  // DELETE /secrets/{id} or /configs/{id}; one a service still uses is a conflict (the daemon's 400
  // "in use by the following service").
  virtual void remove_file(SwarmFileKind kind, const std::string& id) = 0;

  // --- conveniences built on the calls above ---
  // inspect_service, or nullopt when no such service exists.
  std::optional<ServiceInfo> find_service(const std::string& id);
};

// Fails with a config Error, naming `docker_host` and the fix, unless `state` (SystemInfo::swarm) is
// an active manager: "not in a swarm", "a worker", "locked", "pending" or "error" each say so.
void check_manager(const SwarmState& state, std::string_view docker_host);

// Tasks that hold a replica: desired state "running" (not yet started, starting or running);
// history (shutdown, failed, complete) is left out. Sorted by service ID, then slot.
std::vector<TaskInfo> current_tasks(std::vector<TaskInfo> tasks);

} // namespace dockerops::engine
