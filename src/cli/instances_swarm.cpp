// The listing commands on a swarm (docs/decisions.md 33): one row per replica of each project
// service, from its current task, with the node that runs it.
#include "cli/instances.hpp"

#include "apply/observe.hpp"
#include "engine/engine.hpp"
#include "project/model.hpp"
#include "project/swarm_names.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dockerops::cli {

namespace {

// A row of service `s`; its instance is the task's (project::task_instance), "<prefix>*" for a
// counted entry's service with no current task.
InstanceRow row_of(const plan::ObservedService& s, const plan::ObservedTask* task) {
  InstanceRow row;
  row.project = s.label(project::k_label_project);
  row.service = s.label(project::k_label_service);
  row.instance = task || !project::is_counted_service(s.labels)
                     ? project::task_instance(s.labels, task ? task->slot : 0)
                     : project::counted_instances(s.label(project::k_label_instance_prefix));
  row.type = s.label(project::k_label_instance_type);
  row.service_id = s.id;
  row.container.name = s.name;
  row.container.labels = s.labels;
  return row;
}

// What a replica is doing, in ps's words: a stopped service, a persistent instance whose node is
// down ("waiting-for-node"), a task no node can take ("pending"), else the task's state.
void describe(InstanceRow& row, const plan::ObservedService& s, const plan::ObservedTask* task,
              const plan::ObservedSwarm& swarm) {
  if (s.label(project::k_label_stopped) == "true") {
    row.container.state = "stopped";
    row.container.status = "scaled to 0";
    return;
  }
  std::string pinned = s.label(project::k_label_node);
  const plan::ObservedNode* pin = pinned.empty() ? nullptr : swarm.node(pinned);
  if (!task) {
    row.container.state = "pending";
    row.container.status = "no task yet";
    return;
  }
  row.container.id = task->container_id.empty() ? task->id : task->container_id;
  row.ip = task->ip;
  if (const plan::ObservedNode* node = swarm.node(task->node_id))
    row.node = node->hostname;
  row.container.state = task->state;
  row.container.status = task->message;
  if (pin && (!pin->is_ready()) && task->state != "running") {
    row.container.state = "waiting-for-node";
    row.container.status = fmt::format("node {} is {}", pin->hostname, pin->state);
    row.node = pin->hostname;
  }
}

} // namespace

std::vector<InstanceRow> list_swarm_instances(engine::Engine& engine, const std::string& project,
                                              bool running_only) {
  plan::ObservedState observed = apply::observe_swarm(engine, project, apply::SwarmParts::no_files);
  const plan::ObservedSwarm& swarm = *observed.swarm;
  std::vector<InstanceRow> rows;
  for (const auto& s : swarm.services) {
    std::vector<const plan::ObservedTask*> current;
    for (const auto& t : s.tasks)
      if (t.desired_state == "running")
        current.push_back(&t);
    if (current.empty()) {
      InstanceRow row = row_of(s, nullptr);
      // The latest task (not running) explains a replica that is not there.
      describe(row, s, s.tasks.empty() ? nullptr : &s.tasks.front(), swarm);
      if (s.label(project::k_label_stopped) != "true" && !s.tasks.empty() &&
          s.tasks.front().state != "running")
        row.container.state = s.tasks.front().state == "pending" ? "pending" : "starting";
      rows.push_back(std::move(row));
      continue;
    }
    for (const auto* t : current) {
      InstanceRow row = row_of(s, t);
      describe(row, s, t, swarm);
      rows.push_back(std::move(row));
    }
  }
  if (running_only)
    std::erase_if(rows, [](const InstanceRow& r) { return r.container.state != "running"; });
  std::sort(rows.begin(), rows.end(), [](const InstanceRow& a, const InstanceRow& b) {
    return std::tie(a.project, a.service, a.instance, a.node) <
           std::tie(b.project, b.service, b.instance, b.node);
  });
  return rows;
}

} // namespace dockerops::cli
