// Engine API responses (see json_mapping.hpp): JSON to structs, tolerant of what the daemon
// leaves out or sends as null.
#include "engine/json_mapping.hpp"
#include "engine/json_read.hpp"
#include "engine/swarm_json.hpp"

#include <algorithm>
#include <charconv>

namespace dockerops::engine {
namespace {
using json_read::child;
using json_read::get_or;
using json_read::label_map;
using json_read::string_list;
using nlohmann::json;

int to_int(const std::string& text) {
  int value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::string strip_slash(std::string name) {
  if (!name.empty() && name.front() == '/')
    name.erase(0, 1);
  return name;
}

// "80/tcp" -> {80, "tcp"}.
std::pair<int, std::string> split_port(const std::string& key) {
  auto slash = key.find('/');
  if (slash == std::string::npos)
    return {to_int(key), "tcp"};
  return {to_int(key.substr(0, slash)), key.substr(slash + 1)};
}

} // namespace

VersionInfo parse_version(const json& body) {
  VersionInfo info;
  info.server_version = get_or<std::string>(body, "Version");
  info.api_version = get_or<std::string>(body, "ApiVersion");
  info.min_api_version = get_or<std::string>(body, "MinAPIVersion");
  info.os = get_or<std::string>(body, "Os");
  info.arch = get_or<std::string>(body, "Arch");
  info.kernel_version = get_or<std::string>(body, "KernelVersion");
  return info;
}

SystemInfo parse_info(const json& body) {
  SystemInfo info;
  info.name = get_or<std::string>(body, "Name");
  info.driver = get_or<std::string>(body, "Driver");
  info.docker_root_dir = get_or<std::string>(body, "DockerRootDir");
  info.cgroup_version = get_or<std::string>(body, "CgroupVersion");
  info.ncpu = get_or<int>(body, "NCPU");
  info.mem_total = get_or<std::int64_t>(body, "MemTotal");
  info.swarm = parse_swarm_state(child(body, "Swarm"));
  return info;
}

ImageInfo parse_image(const json& body) {
  ImageInfo image;
  image.id = get_or<std::string>(body, "Id");
  image.repo_tags = string_list(body, "RepoTags");
  // Inspect names it Parent, the list endpoint ParentId.
  image.parent_id =
      body.contains("Parent") ? get_or<std::string>(body, "Parent") : get_or<std::string>(body, "ParentId");
  const json& config = child(body, "Config");
  // Inspect has Config.Labels; the list endpoint has top-level Labels.
  image.labels = config.is_object() ? label_map(config, "Labels") : label_map(body, "Labels");
  if (image.labels.empty())
    image.labels = label_map(body, "Labels");
  for (const auto& [port, unused] : child(config, "ExposedPorts").items())
    image.exposed_ports.push_back(port);
  std::sort(image.exposed_ports.begin(), image.exposed_ports.end());
  image.env = string_list(config, "Env");
  image.cmd = string_list(config, "Cmd");
  image.entrypoint = string_list(config, "Entrypoint");
  auto test = string_list(child(config, "Healthcheck"), "Test");
  image.has_healthcheck = !test.empty() && test.front() != "NONE";
  return image;
}

ContainerSummary parse_container_summary(const json& body) {
  ContainerSummary summary;
  summary.id = get_or<std::string>(body, "Id");
  // Names also holds legacy link names ("/app/web"); the real one has a single '/'.
  for (const auto& name : string_list(body, "Names")) {
    if (std::count(name.begin(), name.end(), '/') == 1) {
      summary.name = strip_slash(name);
      break;
    }
  }
  summary.image = get_or<std::string>(body, "Image");
  summary.image_id = get_or<std::string>(body, "ImageID");
  summary.state = get_or<std::string>(body, "State");
  summary.status = get_or<std::string>(body, "Status");
  summary.labels = label_map(body, "Labels");
  for (const auto& [network, value] : child(child(body, "NetworkSettings"), "Networks").items())
    summary.ip_by_network[network] = get_or<std::string>(value, "IPAddress");
  for (const auto& port : child(body, "Ports")) {
    summary.ports.push_back({get_or<std::string>(port, "Type"), get_or<int>(port, "PrivatePort"),
                             get_or<std::string>(port, "IP"), get_or<int>(port, "PublicPort")});
  }
  return summary;
}

ContainerInfo parse_container_info(const json& body) {
  ContainerInfo info;
  info.id = get_or<std::string>(body, "Id");
  info.name = strip_slash(get_or<std::string>(body, "Name"));
  info.image_id = get_or<std::string>(body, "Image");
  const json& state = child(body, "State");
  info.status = get_or<std::string>(state, "Status");
  info.running = get_or<bool>(state, "Running");
  info.exit_code = get_or<int>(state, "ExitCode");
  info.pid = get_or<int>(state, "Pid");
  info.started_at = get_or<std::string>(state, "StartedAt");
  info.finished_at = get_or<std::string>(state, "FinishedAt");
  info.health_status = get_or<std::string>(child(state, "Health"), "Status");
  const json& config = child(body, "Config");
  info.image = get_or<std::string>(config, "Image");
  info.labels = label_map(config, "Labels");
  info.env = string_list(config, "Env");
  info.tty = get_or<bool>(config, "Tty");
  info.hostname = get_or<std::string>(config, "Hostname");
  const json& settings = child(body, "NetworkSettings");
  for (const auto& [network, value] : child(settings, "Networks").items()) {
    info.networks[network] = {get_or<std::string>(value, "NetworkID"),
                              get_or<std::string>(value, "IPAddress"), get_or<std::string>(value, "Gateway"),
                              string_list(value, "Aliases"), string_list(value, "Links")};
  }
  for (const auto& [key, bindings] : child(settings, "Ports").items()) {
    auto [port, proto] = split_port(key);
    if (!bindings.is_array() || bindings.empty()) {
      info.ports.push_back({proto, port, "", 0});
      continue;
    }
    for (const auto& binding : bindings)
      info.ports.push_back({proto, port, get_or<std::string>(binding, "HostIp"),
                            to_int(get_or<std::string>(binding, "HostPort"))});
  }
  const json& host = child(body, "HostConfig");
  info.nano_cpus = get_or<std::int64_t>(host, "NanoCpus");
  info.memory = get_or<std::int64_t>(host, "Memory");
  info.memory_reservation = get_or<std::int64_t>(host, "MemoryReservation");
  info.pids_limit = std::max<std::int64_t>(0, get_or<std::int64_t>(host, "PidsLimit"));
  for (const auto& mount : child(body, "Mounts"))
    info.mounts.push_back({get_or<std::string>(mount, "Type"), get_or<std::string>(mount, "Source"),
                           get_or<std::string>(mount, "Destination"), get_or<bool>(mount, "RW")});
  return info;
}

NetworkInfo parse_network(const json& body) {
  NetworkInfo network;
  network.id = get_or<std::string>(body, "Id");
  network.name = get_or<std::string>(body, "Name");
  network.driver = get_or<std::string>(body, "Driver");
  network.scope = get_or<std::string>(body, "Scope");
  network.labels = label_map(body, "Labels");
  for (const auto& config : child(child(body, "IPAM"), "Config")) {
    if (auto subnet = get_or<std::string>(config, "Subnet"); !subnet.empty())
      network.subnets.push_back(subnet);
    if (auto gateway = get_or<std::string>(config, "Gateway"); !gateway.empty())
      network.gateways.push_back(gateway);
  }
  for (const auto& [id, value] : child(body, "Containers").items()) {
    std::string address = get_or<std::string>(value, "IPv4Address");
    if (auto slash = address.find('/'); slash != std::string::npos)
      address.resize(slash);
    network.members.push_back({id, get_or<std::string>(value, "Name"), address});
  }
  return network;
}

Event parse_event(const json& body) {
  Event event;
  event.type = get_or<std::string>(body, "Type");
  event.action = get_or<std::string>(body, "Action");
  const json& actor = child(body, "Actor");
  event.actor_id = get_or<std::string>(actor, "ID");
  event.attributes = label_map(actor, "Attributes");
  event.time = get_or<std::int64_t>(body, "time");
  event.time_nano = get_or<std::int64_t>(body, "timeNano");
  return event;
}

ContainerStats parse_container_stats(const json& body) {
  ContainerStats stats;
  stats.cpu_total_ns = get_or<std::uint64_t>(child(child(body, "cpu_stats"), "cpu_usage"), "total_usage");
  const json& memory = child(body, "memory_stats");
  const json& details = child(memory, "stats");
  // As `docker stats`: the usage without the inactive file cache (cgroup v1 "total_inactive_file",
  // v2 "inactive_file").
  auto inactive =
      get_or<std::int64_t>(details, "total_inactive_file", get_or<std::int64_t>(details, "inactive_file"));
  std::int64_t usage = get_or<std::int64_t>(memory, "usage");
  stats.memory_bytes = usage > inactive ? usage - inactive : usage;
  std::int64_t limit = get_or<std::int64_t>(memory, "limit");
  // An unlimited container reports the host's memory or a huge page-rounded maximum.
  if (limit > 0 && limit < (std::int64_t{1} << 62))
    stats.memory_limit = limit;
  return stats;
}

} // namespace dockerops::engine
