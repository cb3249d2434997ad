// The listing commands on a swarm (docs/decisions.md 33): one row per replica of each project
// service, from its current task, with the node that runs it.
#include "cli/instances.hpp"

#include "apply/observe.hpp"
#include "engine/engine.hpp"
#include "plan/swarm_replicas.hpp"
#include "project/model.hpp"
#include "project/swarm_names.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dockerops::cli {

namespace {

// ps's row of one replica (plan::swarm_replicas), with the task's message or why there is none.
InstanceRow row_of(const plan::SwarmReplica& r, const plan::ObservedSwarm& swarm) {
  const plan::ObservedService& s = *r.service;
  InstanceRow row;
  row.project = s.label(project::k_label_project);
  row.service = s.label(project::k_label_service);
  row.instance = r.instance;
  row.type = s.label(project::k_label_instance_type);
  row.service_id = s.id;
  row.container.name = s.name;
  row.container.labels = s.labels;
  row.container.state = r.state;
  row.node = r.node;
  if (r.state == "stopped") {
    row.container.status = "scaled to 0";
    return row;
  }
  if (r.task == nullptr) {
    row.container.status = "no task yet";
    return row;
  }
  row.container.id = r.task->container_id.empty() ? r.task->id : r.task->container_id;
  row.ip = r.task->ip;
  row.container.status = r.task->message;
  if (r.state == "waiting-for-node") {
    const plan::ObservedNode* pin = swarm.node(s.label(project::k_label_node));
    row.container.status = fmt::format("node {} is {}", r.node, pin ? pin->state : "gone");
  }
  return row;
}

} // namespace

std::vector<InstanceRow> list_swarm_instances(engine::Engine& engine, const std::string& project,
                                              bool running_only) {
  plan::ObservedState observed = apply::observe_swarm(engine, project, apply::SwarmParts::no_files);
  const plan::ObservedSwarm& swarm = *observed.swarm;
  std::vector<InstanceRow> rows;
  for (const auto& replica : plan::swarm_replicas(swarm))
    rows.push_back(row_of(replica, swarm));
  if (running_only)
    std::erase_if(rows, [](const InstanceRow& r) { return r.container.state != "running"; });
  std::sort(rows.begin(), rows.end(), [](const InstanceRow& a, const InstanceRow& b) {
    return std::tie(a.project, a.service, a.instance, a.node) <
           std::tie(b.project, b.service, b.instance, b.node);
  });
  return rows;
}

} // namespace dockerops::cli
