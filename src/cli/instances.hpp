#pragma once

#include "engine/types.hpp"
#include "project/resources.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace dockerops::engine {
class Engine;
}

namespace dockerops::cli {

// One dockerops container as the listing commands see it (identity from labels).
struct InstanceRow {
  engine::ContainerSummary container;
  std::string project;
  std::string service;
  std::string instance;
  std::string type;
  std::string ip;               // on <project>_net, else the first network's address
  project::Resources resources; // from the container's labels (project/resources.hpp)
  // On a swarm (docs/decisions.md 33): the node running the task (hostname) and the service; the
  // container is the task's (its ID is the task's container on that node).
  std::string node;
  std::string service_id;
};

// The containers of `project` (every dockerops project when empty), sorted by project,
// service, instance; `running_only` lists running ones only.
std::vector<InstanceRow> list_instances(engine::Engine& engine, const std::string& project,
                                        bool running_only = false);

// The same on a swarm (through a manager): one row per replica, from its current task (or, with
// none, the latest), with its node; a stopped service is "stopped", a task no node can take
// "pending", a persistent instance whose node is down "waiting-for-node".
std::vector<InstanceRow> list_swarm_instances(engine::Engine& engine, const std::string& project,
                                              bool running_only = false);

// Keeps the rows matching a service (exact, "sv*" prefix, "all" or empty) and an instance (empty = any).
std::vector<InstanceRow> filter_instances(std::vector<InstanceRow> rows, const std::string& service,
                                          const std::optional<std::string>& instance);

// The error when no instance matches: the instances of the service when only the instance name
// is wrong, else the closest service name, else how to start one.
[[noreturn]] void fail_no_instance(const std::string& command, const std::string& project,
                                   const std::string& service, const std::optional<std::string>& instance,
                                   const std::vector<InstanceRow>& all_rows);

// list_instances, or list_swarm_instances when `swarm`.
std::vector<InstanceRow> instances_of(engine::Engine& engine, const std::string& project, bool swarm,
                                      bool running_only = false);

// Exactly one instance for ssh, shell, logs of one: an error names the choices when there are
// several, and says how to start one when there are none.
InstanceRow one_instance(engine::Engine& engine, const std::string& project, const std::string& command,
                         const std::optional<std::string>& service,
                         const std::optional<std::string>& instance, bool swarm = false);

// "running", "exited (3)"... for tables.
std::string state_text(const engine::ContainerSummary& container);

} // namespace dockerops::cli
