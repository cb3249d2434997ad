#include "engine/swarm.hpp"

#include "base/error.hpp"

#include <algorithm>
#include <tuple>

namespace dockerops::engine {

std::optional<ServiceInfo> Swarm::find_service(const std::string& id) {
  try {
    return inspect_service(id);
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::not_found)
      return std::nullopt;
    throw;
  }
}

void check_manager(const SwarmState& state, std::string_view docker_host) {
  const std::string& local = state.local_node_state;
  if (local == "active" && state.control_available)
    return;
  if (local == "active")
    fail(ErrorKind::config,
         "the Docker engine at {} is a swarm worker; the swarm orchestrator needs a manager: point "
         "DOCKER_HOST "
         "at one (\"docker node ls\" on a manager lists them)",
         docker_host);
  if (local == "locked")
    fail(ErrorKind::config, "the swarm manager at {} is locked; unlock it with \"docker swarm unlock\"",
         docker_host);
  if (local == "pending")
    fail(ErrorKind::config, "the Docker engine at {} is still joining its swarm; try again in a moment",
         docker_host);
  if (local == "error")
    fail(ErrorKind::config, "the Docker engine at {} is in a swarm error state: {}", docker_host,
         state.error.empty() ? "no detail given" : state.error);
  fail(ErrorKind::config,
       "the Docker engine at {} is not in a swarm; create one with \"docker swarm init\" or unset the swarm "
       "orchestrator (host.conf \"orchestrator\", DOCKEROPS_ORCHESTRATOR)",
       docker_host);
}

std::vector<TaskInfo> current_tasks(std::vector<TaskInfo> tasks) {
  std::erase_if(tasks, [](const TaskInfo& task) { return task.desired_state != "running"; });
  std::sort(tasks.begin(), tasks.end(), [](const TaskInfo& a, const TaskInfo& b) {
    return std::tie(a.service_id, a.slot, a.node_id) < std::tie(b.service_id, b.slot, b.node_id);
  });
  return tasks;
}

} // namespace dockerops::engine
