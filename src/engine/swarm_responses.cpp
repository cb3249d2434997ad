// Swarm-mode replies (see swarm_json.hpp): JSON to structs, tolerant of what the daemon leaves out.
#include "engine/json_read.hpp"
#include "engine/swarm_json.hpp"

#include <charconv>

namespace dockerops::engine {
namespace {
using json_read::child;
using json_read::get_or;
using json_read::label_map;
using json_read::string_list;
using nlohmann::json;

std::uint64_t version_of(const json& body) {
  return get_or<std::uint64_t>(child(body, "Version"), "Index");
}

// "10.0.1.5/24" -> {"10.0.1.5", 24}.
std::pair<std::string, int> split_cidr(const std::string& cidr) {
  auto slash = cidr.find('/');
  if (slash == std::string::npos)
    return {cidr, 0};
  int length = 0;
  std::from_chars(cidr.data() + slash + 1, cidr.data() + cidr.size(), length);
  return {cidr.substr(0, slash), length};
}

void parse_container_spec(const json& container, ServiceSpec& spec) {
  spec.image = get_or<std::string>(container, "Image");
  if (container.contains("Command"))
    spec.command = string_list(container, "Command");
  if (container.contains("Args"))
    spec.args = string_list(container, "Args");
  spec.env = string_list(container, "Env");
  spec.container_labels = label_map(container, "Labels");
  spec.hostname = get_or<std::string>(container, "Hostname");
  spec.user = get_or<std::string>(container, "User");
  spec.working_dir = get_or<std::string>(container, "Dir");
  spec.tty = get_or<bool>(container, "TTY");
  spec.open_stdin = get_or<bool>(container, "OpenStdin");
  spec.init = get_or<bool>(container, "Init");
  auto test = string_list(child(container, "Healthcheck"), "Test");
  spec.healthcheck_none = !test.empty() && test.front() == "NONE";
  if (container.contains("StopGracePeriod"))
    spec.stop_grace_period_ns = get_or<std::int64_t>(container, "StopGracePeriod");
  for (const auto& mount : child(container, "Mounts"))
    spec.mounts.push_back({get_or<std::string>(mount, "Type"), get_or<std::string>(mount, "Source"),
                           get_or<std::string>(mount, "Target"), get_or<bool>(mount, "ReadOnly"),
                           label_map(child(mount, "VolumeOptions"), "Labels")});
  spec.hosts = string_list(container, "Hosts");
  const json& dns = child(container, "DNSConfig");
  spec.dns_nameservers = string_list(dns, "Nameservers");
  spec.dns_search = string_list(dns, "Search");
  spec.capability_add = string_list(container, "CapabilityAdd");
  auto files = [&](const char* key, const char* id_key, const char* name_key, std::vector<ServiceFile>& out) {
    for (const auto& file : child(container, key))
      out.push_back({get_or<std::string>(file, id_key), get_or<std::string>(file, name_key),
                     get_or<std::string>(child(file, "File"), "Name"),
                     get_or<std::uint32_t>(child(file, "File"), "Mode", 0444)});
  };
  files("Secrets", "SecretID", "SecretName", spec.secrets);
  files("Configs", "ConfigID", "ConfigName", spec.configs);
}

void parse_task_template(const json& task, ServiceSpec& spec) {
  parse_container_spec(child(task, "ContainerSpec"), spec);
  const json& resources = child(task, "Resources");
  spec.nano_cpus = get_or<std::int64_t>(child(resources, "Limits"), "NanoCPUs");
  spec.memory_bytes = get_or<std::int64_t>(child(resources, "Limits"), "MemoryBytes");
  spec.pids_limit = get_or<std::int64_t>(child(resources, "Limits"), "Pids");
  spec.memory_reservation_bytes = get_or<std::int64_t>(child(resources, "Reservations"), "MemoryBytes");
  const json& restart = child(task, "RestartPolicy");
  spec.restart_condition = get_or<std::string>(restart, "Condition", "any");
  if (restart.contains("Delay"))
    spec.restart_delay_ns = get_or<std::int64_t>(restart, "Delay");
  spec.restart_max_attempts = get_or<std::uint64_t>(restart, "MaxAttempts");
  spec.constraints = string_list(child(task, "Placement"), "Constraints");
  spec.max_replicas_per_node = get_or<std::uint64_t>(child(task, "Placement"), "MaxReplicas");
  for (const auto& network : child(task, "Networks"))
    spec.networks.push_back({get_or<std::string>(network, "Target"), string_list(network, "Aliases")});
  spec.force_update = get_or<std::uint64_t>(task, "ForceUpdate");
}

} // namespace

SwarmState parse_swarm_state(const json& body) {
  SwarmState state;
  state.node_id = get_or<std::string>(body, "NodeID");
  state.node_addr = get_or<std::string>(body, "NodeAddr");
  state.local_node_state = get_or<std::string>(body, "LocalNodeState");
  state.control_available = get_or<bool>(body, "ControlAvailable");
  state.error = get_or<std::string>(body, "Error");
  state.cluster_id = get_or<std::string>(child(body, "Cluster"), "ID");
  state.nodes = get_or<int>(body, "Nodes");
  state.managers = get_or<int>(body, "Managers");
  return state;
}

SwarmInfo parse_swarm(const json& body) {
  SwarmInfo info;
  info.id = get_or<std::string>(body, "ID");
  info.version = version_of(body);
  const json& spec = child(body, "Spec");
  if (spec.is_object())
    info.spec = spec;
  info.heartbeat_period_ns = get_or<std::int64_t>(child(spec, "Dispatcher"), "HeartbeatPeriod");
  info.join_token_worker = get_or<std::string>(child(body, "JoinTokens"), "Worker");
  info.join_token_manager = get_or<std::string>(child(body, "JoinTokens"), "Manager");
  info.default_addr_pool = string_list(body, "DefaultAddrPool");
  info.subnet_size = get_or<int>(body, "SubnetSize");
  return info;
}

NodeInfo parse_node(const json& body) {
  NodeInfo node;
  node.id = get_or<std::string>(body, "ID");
  node.version = version_of(body);
  const json& spec = child(body, "Spec");
  node.labels = label_map(spec, "Labels");
  node.role = get_or<std::string>(spec, "Role");
  node.availability = get_or<std::string>(spec, "Availability");
  const json& description = child(body, "Description");
  node.hostname = get_or<std::string>(description, "Hostname");
  node.engine_version = get_or<std::string>(child(description, "Engine"), "EngineVersion");
  node.nano_cpus = get_or<std::int64_t>(child(description, "Resources"), "NanoCPUs");
  node.memory_bytes = get_or<std::int64_t>(child(description, "Resources"), "MemoryBytes");
  const json& status = child(body, "Status");
  node.state = get_or<std::string>(status, "State");
  node.address = get_or<std::string>(status, "Addr");
  node.message = get_or<std::string>(status, "Message");
  const json& manager = child(body, "ManagerStatus");
  node.leader = get_or<bool>(manager, "Leader");
  node.reachability = get_or<std::string>(manager, "Reachability");
  return node;
}

ServiceSpec parse_service_spec(const json& spec) {
  ServiceSpec result;
  result.name = get_or<std::string>(spec, "Name");
  result.labels = label_map(spec, "Labels");
  parse_task_template(child(spec, "TaskTemplate"), result);
  const json& mode = child(spec, "Mode");
  result.global = mode.is_object() && mode.contains("Global");
  result.replicas = result.global ? 0 : get_or<std::uint64_t>(child(mode, "Replicated"), "Replicas");
  const json& endpoint = child(spec, "EndpointSpec");
  result.endpoint_mode = get_or<std::string>(endpoint, "Mode", "vip");
  for (const auto& port : child(endpoint, "Ports"))
    result.ports.push_back({get_or<std::string>(port, "Protocol", "tcp"), get_or<int>(port, "TargetPort"),
                            get_or<int>(port, "PublishedPort"),
                            get_or<std::string>(port, "PublishMode", "ingress")});
  return result;
}

ServiceInfo parse_service(const json& body) {
  ServiceInfo service;
  service.id = get_or<std::string>(body, "ID");
  service.version = version_of(body);
  service.created_at = get_or<std::string>(body, "CreatedAt");
  service.updated_at = get_or<std::string>(body, "UpdatedAt");
  service.spec = parse_service_spec(child(body, "Spec"));
  const json& status = child(body, "ServiceStatus");
  service.running_tasks = get_or<std::uint64_t>(status, "RunningTasks");
  service.desired_tasks = get_or<std::uint64_t>(status, "DesiredTasks");
  service.update_state = get_or<std::string>(child(body, "UpdateStatus"), "State");
  service.update_message = get_or<std::string>(child(body, "UpdateStatus"), "Message");
  return service;
}

TaskInfo parse_task(const json& body) {
  TaskInfo task;
  task.id = get_or<std::string>(body, "ID");
  task.version = version_of(body);
  task.service_id = get_or<std::string>(body, "ServiceID");
  task.node_id = get_or<std::string>(body, "NodeID");
  task.slot = get_or<int>(body, "Slot");
  const json& container = child(child(body, "Spec"), "ContainerSpec");
  task.image = get_or<std::string>(container, "Image");
  task.container_labels = label_map(container, "Labels");
  const json& status = child(body, "Status");
  task.state = get_or<std::string>(status, "State");
  task.desired_state = get_or<std::string>(body, "DesiredState");
  task.message = get_or<std::string>(status, "Message");
  task.error = get_or<std::string>(status, "Err");
  task.timestamp = get_or<std::string>(status, "Timestamp");
  const json& container_status = child(status, "ContainerStatus");
  task.container_id = get_or<std::string>(container_status, "ContainerID");
  task.pid = get_or<int>(container_status, "PID");
  task.exit_code = get_or<int>(container_status, "ExitCode");
  for (const auto& attachment : child(body, "NetworksAttachments")) {
    const json& network = child(attachment, "Network");
    std::string name = get_or<std::string>(child(network, "Spec"), "Name");
    for (const auto& cidr : string_list(attachment, "Addresses")) {
      auto [address, length] = split_cidr(cidr);
      task.addresses.push_back({get_or<std::string>(network, "ID"), name, address, length});
    }
  }
  task.created_at = get_or<std::string>(body, "CreatedAt");
  task.updated_at = get_or<std::string>(body, "UpdatedAt");
  return task;
}

SwarmFile parse_swarm_file(const json& body) {
  SwarmFile file;
  file.id = get_or<std::string>(body, "ID");
  const json& spec = child(body, "Spec");
  file.name = get_or<std::string>(spec, "Name");
  file.labels = label_map(spec, "Labels");
  return file;
}

} // namespace dockerops::engine
