#pragma once

// An in-memory engine::Swarm for unit tests of the swarm orchestration (FakeEngine::swarm() returns
// one). Header-only: tests/support is not globbed.
//
// It models what the planner and the agent observe: nodes (add_node), services with versions, and
// one task per replica slot placed round-robin on the ready, active nodes that satisfy the
// service's constraints ("node.labels.K==V", "node.role==manager", "node.hostname==H"); a slot no node
// satisfies gets a pending task without a node ("no suitable node"). set_node_state(host, "down")
// shuts the node's tasks down and places their slots elsewhere, as Swarm does after missed heartbeats.
// Every mutating call appends one line to calls(): "service-create web", "service-update web",
// "service-remove web", "node-update n1", "swarm-update". fail_on(line, kind, message) injects a failure.

#include "base/error.hpp"
#include "call_log.hpp"
#include "engine/swarm.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace dockerops::engine::testing {

// Label filters as the daemon applies them: every "k=v" or "k" of filters["label"] must match.
inline bool labels_match(const Labels& labels, const Filters& filters) {
  auto it = filters.find("label");
  if (it == filters.end())
    return true;
  return std::all_of(it->second.begin(), it->second.end(), [&](const std::string& wanted) {
    auto equal = wanted.find('=');
    auto found = labels.find(wanted.substr(0, equal));
    return found != labels.end() && (equal == std::string::npos || found->second == wanted.substr(equal + 1));
  });
}

class FakeSwarm : public Swarm, public CallLog {
public:
  // --- set-up and inspection for tests ---
  // Adds a ready, active node; its ID is "node-<hostname>".
  void add_node(const std::string& hostname, const std::string& role = "worker", Labels labels = {}) {
    std::lock_guard lock(m_mutex);
    NodeInfo node;
    node.id = "node-" + hostname;
    node.version = 1;
    node.hostname = hostname;
    node.role = role;
    node.availability = "active";
    node.labels = std::move(labels);
    node.state = "ready";
    node.address = "192.0.2." + std::to_string(10 + m_nodes.size());
    node.leader = role == "manager" &&
                  std::none_of(m_nodes.begin(), m_nodes.end(), [](const NodeInfo& n) { return n.leader; });
    m_nodes.push_back(node);
  }
  // "ready" or "down"; a node going down loses its tasks to the other nodes.
  void set_node_state(const std::string& hostname, const std::string& state) {
    std::lock_guard lock(m_mutex);
    node_locked(hostname).state = state;
    if (state != "ready")
      for (auto& [id, service] : m_services)
        place_locked(service);
  }

  // --- Swarm ---
  SwarmInfo inspect_swarm() override {
    std::lock_guard lock(m_mutex);
    return m_swarm;
  }
  void update_swarm(const SwarmUpdate& update) override {
    std::lock_guard lock(m_mutex);
    record("swarm-update");
    if (update.heartbeat_period_ns)
      m_swarm.heartbeat_period_ns = *update.heartbeat_period_ns;
    ++m_swarm.version;
  }
  std::vector<NodeInfo> list_nodes(const Filters&) override {
    std::lock_guard lock(m_mutex);
    return m_nodes;
  }
  NodeInfo inspect_node(const std::string& id) override {
    std::lock_guard lock(m_mutex);
    return node_locked(id);
  }
  void update_node(const std::string& id, std::uint64_t version, const NodeSpec& spec) override {
    std::lock_guard lock(m_mutex);
    NodeInfo& node = node_locked(id);
    record("node-update " + node.hostname);
    if (version != node.version)
      fail(ErrorKind::conflict, "node {} was changed by someone else since version {}", id, version);
    node.labels = spec.labels;
    node.role = spec.role;
    node.availability = spec.availability;
    ++node.version;
  }
  std::string create_service(const ServiceSpec& spec) override {
    std::lock_guard lock(m_mutex);
    record("service-create " + spec.name);
    for (const auto& [id, service] : m_services)
      if (service.spec.name == spec.name)
        fail(ErrorKind::conflict,
             "rpc error: code = AlreadyExists desc = name conflicts with an existing object");
    ServiceInfo service;
    service.id = "svc-" + spec.name;
    service.version = ++m_serial;
    service.spec = spec;
    place_locked(m_services[service.id] = service);
    return service.id;
  }
  ServiceInfo inspect_service(const std::string& id) override {
    std::lock_guard lock(m_mutex);
    return with_status_locked(service_locked(id));
  }
  std::vector<ServiceInfo> list_services(const Filters& filters) override {
    std::lock_guard lock(m_mutex);
    std::vector<ServiceInfo> found;
    for (const auto& [id, service] : m_services)
      if (labels_match(service.spec.labels, filters))
        found.push_back(with_status_locked(service));
    return found;
  }
  void update_service(const std::string& id, std::uint64_t version, const ServiceSpec& spec) override {
    std::lock_guard lock(m_mutex);
    ServiceInfo& service = service_locked(id);
    record("service-update " + service.spec.name);
    if (version != service.version)
      fail(ErrorKind::conflict, "service {} was changed by someone else since version {}; read it again",
           service.spec.name, version);
    bool restart = spec.image != service.spec.image || spec.env != service.spec.env ||
                   spec.force_update != service.spec.force_update;
    service.spec = spec;
    service.version = ++m_serial;
    if (restart)
      for (auto& task : m_tasks)
        if (task.service_id == service.id)
          shutdown(task);
    place_locked(service);
  }
  void remove_service(const std::string& id) override {
    std::lock_guard lock(m_mutex);
    ServiceInfo& service = service_locked(id);
    record("service-remove " + service.spec.name);
    std::erase_if(m_tasks, [&](const TaskInfo& task) { return task.service_id == service.id; });
    m_services.erase(service.id);
  }
  void service_logs(const std::string& id, const LogOptions&, const OutputCallback&) override {
    std::lock_guard lock(m_mutex);
    service_locked(id);
  }
  std::vector<TaskInfo> list_tasks(const Filters& filters) override {
    std::lock_guard lock(m_mutex);
    std::vector<TaskInfo> found;
    for (const auto& task : m_tasks) {
      const ServiceInfo& service = m_services.at(task.service_id);
      if (!labels_match(service.spec.labels, filters) ||
          !any_of(filters, "service", {service.id, service.spec.name}) ||
          !any_of(filters, "desired-state", {task.desired_state}) || !any_of(filters, "node", {task.node_id}))
        continue;
      found.push_back(task);
    }
    return found;
  }
  TaskInfo inspect_task(const std::string& id) override {
    std::lock_guard lock(m_mutex);
    for (const auto& task : m_tasks)
      if (task.id == id)
        return task;
    fail(ErrorKind::not_found, "task {} not found", id);
  }

  std::string create_file(SwarmFileKind kind, const SwarmFile& file) override {
    std::lock_guard lock(m_mutex);
    const char* what = kind == SwarmFileKind::secret ? "secret" : "config";
    record(fmt::format("{}-create {}", what, file.name));
    auto& files = m_files[kind];
    for (const auto& f : files)
      if (f.name == file.name)
        fail(ErrorKind::conflict, "rpc error: code = AlreadyExists desc = {} {} already exists", what,
             file.name);
    SwarmFile stored = file;
    stored.id = fmt::format("{}-{}", what, file.name);
    files.push_back(stored);
    return stored.id;
  }
  std::vector<SwarmFile> list_files(SwarmFileKind kind, const Filters& filters) override {
    std::lock_guard lock(m_mutex);
    std::vector<SwarmFile> found;
    for (auto file : m_files[kind])
      if (labels_match(file.labels, filters) && any_of(filters, "name", {file.name})) {
        file.data.clear();
        found.push_back(file);
      }
    return found;
  }
  void remove_file(SwarmFileKind kind, const std::string& id) override {
    std::lock_guard lock(m_mutex);
    const char* what = kind == SwarmFileKind::secret ? "secret" : "config";
    auto& files = m_files[kind];
    auto it = std::find_if(files.begin(), files.end(), [&](const SwarmFile& f) { return f.id == id; });
    if (it == files.end())
      fail(ErrorKind::not_found, "{} {} not found", what, id);
    record(fmt::format("{}-remove {}", what, it->name));
    files.erase(it);
  }
  // The data a secret or config was created with (the API never returns it), "" when none.
  std::string file_data(SwarmFileKind kind, const std::string& name) {
    std::lock_guard lock(m_mutex);
    for (const auto& f : m_files[kind])
      if (f.name == name)
        return f.data;
    return "";
  }

private:
  // True when `filters` has no `key`, or one of its values is among `values`.
  static bool any_of(const Filters& filters, const std::string& key, const std::vector<std::string>& values) {
    auto it = filters.find(key);
    return it == filters.end() ||
           std::any_of(it->second.begin(), it->second.end(), [&](const std::string& v) {
             return std::find(values.begin(), values.end(), v) != values.end();
           });
  }
  static bool satisfies(const NodeInfo& node, const std::vector<std::string>& constraints) {
    return std::all_of(constraints.begin(), constraints.end(), [&](const std::string& constraint) {
      auto equal = constraint.find("==");
      std::string key = constraint.substr(0, equal), value = constraint.substr(equal + 2);
      if (key == "node.role")
        return node.role == value;
      if (key == "node.hostname")
        return node.hostname == value;
      if (key.starts_with("node.labels.")) {
        auto it = node.labels.find(key.substr(12));
        return it != node.labels.end() && it->second == value;
      }
      return false;
    });
  }
  static void shutdown(TaskInfo& task) {
    task.desired_state = "shutdown";
    task.state = "shutdown";
  }
  NodeInfo& node_locked(const std::string& id) {
    for (auto& node : m_nodes)
      if (node.id == id || node.hostname == id)
        return node;
    fail(ErrorKind::not_found, "node {} not found", id);
  }
  ServiceInfo& service_locked(const std::string& id) {
    for (auto& [key, service] : m_services)
      if (key == id || service.spec.name == id)
        return service;
    fail(ErrorKind::not_found, "service {} not found", id);
  }
  ServiceInfo with_status_locked(ServiceInfo service) const {
    service.desired_tasks = service.spec.replicas;
    service.running_tasks =
        static_cast<std::uint64_t>(std::count_if(m_tasks.begin(), m_tasks.end(), [&](const TaskInfo& t) {
          return t.service_id == service.id && t.desired_state == "running" && t.state == "running";
        }));
    return service;
  }
  // Gives every slot of the service one task with desired state running, on a node that is ready,
  // active and satisfies the constraints; a task on a node that is not ready is shut down first.
  void place_locked(const ServiceInfo& service) {
    std::uint64_t slots = service.spec.global ? 0 : service.spec.replicas;
    for (auto& task : m_tasks) {
      if (task.service_id != service.id || task.desired_state != "running")
        continue;
      bool node_gone = !task.node_id.empty() && node_locked(task.node_id).state != "ready";
      if (node_gone || task.slot > static_cast<int>(slots))
        shutdown(task);
    }
    std::vector<const NodeInfo*> eligible;
    for (const auto& node : m_nodes)
      if (node.state == "ready" && node.availability == "active" && satisfies(node, service.spec.constraints))
        eligible.push_back(&node);
    for (int slot = 1; slot <= static_cast<int>(slots); ++slot) {
      bool held = std::any_of(m_tasks.begin(), m_tasks.end(), [&](const TaskInfo& t) {
        return t.service_id == service.id && t.slot == slot && t.desired_state == "running";
      });
      if (held)
        continue;
      TaskInfo task;
      task.id = fmt::format("task-{}", ++m_serial);
      task.version = m_serial;
      task.service_id = service.id;
      task.slot = slot;
      task.image = service.spec.image;
      task.container_labels = service.spec.container_labels;
      task.desired_state = "running";
      if (eligible.empty()) {
        task.state = "pending";
        task.message = "pending task scheduling";
        task.error = "no suitable node";
      } else {
        const NodeInfo* node = eligible[m_next_node++ % eligible.size()];
        task.node_id = node->id;
        task.state = "running";
        task.message = "started";
        task.container_id = "ctr-" + task.id;
        for (const auto& network : service.spec.networks)
          task.addresses.push_back(
              {"net-" + network.target, network.target, fmt::format("10.0.1.{}", m_serial % 250 + 2), 24});
      }
      m_tasks.push_back(task);
    }
  }

  mutable std::mutex m_mutex;
  SwarmInfo m_swarm{"fake-swarm", 1, 5'000'000'000, "SWMTKN-worker", "SWMTKN-manager", {"10.0.0.0/8"},
                    24,           {}};
  std::vector<NodeInfo> m_nodes;
  std::map<std::string, ServiceInfo> m_services;
  std::vector<TaskInfo> m_tasks;
  std::map<SwarmFileKind, std::vector<SwarmFile>> m_files;
  std::uint64_t m_serial = 0;
  std::size_t m_next_node = 0;
};

} // namespace dockerops::engine::testing
