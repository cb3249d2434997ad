#include "base/error.hpp"
#include "base/log.hpp"
#include "engine/docker_engine.hpp"
#include "engine/json_mapping.hpp"
#include "engine/swarm_json.hpp"

namespace dockerops::engine {
namespace {

Query filter_query(const Filters& filters) {
  Query query;
  if (!filters.empty())
    query.add("filters", filters_json(filters));
  return query;
}

} // namespace

SwarmInfo DockerEngine::inspect_swarm() {
  return parse_swarm(call_json({.path = versioned("/swarm")}));
}

void DockerEngine::update_swarm(const SwarmUpdate& update) {
  SwarmInfo current = inspect_swarm();
  Query query;
  query.add("version", static_cast<long long>(current.version));
  call({.method = "POST",
        .path = versioned("/swarm/update" + query.str()),
        .json_body = swarm_update_body(current.spec, update).dump()});
}

std::vector<NodeInfo> DockerEngine::list_nodes(const Filters& filters) {
  std::vector<NodeInfo> nodes;
  for (const auto& entry : call_json({.path = versioned("/nodes" + filter_query(filters).str())}))
    nodes.push_back(parse_node(entry));
  return nodes;
}

NodeInfo DockerEngine::inspect_node(const std::string& id) {
  return parse_node(call_json({.path = versioned("/nodes/" + id)}));
}

void DockerEngine::update_node(const std::string& id, std::uint64_t version, const NodeSpec& spec) {
  Query query;
  query.add("version", static_cast<long long>(version));
  call({.method = "POST",
        .path = versioned("/nodes/" + id + "/update" + query.str()),
        .json_body = node_spec_body(spec).dump()});
}

std::string DockerEngine::create_service(const ServiceSpec& spec) {
  auto reply = call_json(
      {.method = "POST", .path = versioned("/services/create"), .json_body = service_spec_body(spec).dump()});
  for (const auto& warning : reply.value("Warnings", nlohmann::json::array()))
    if (warning.is_string())
      log::warning("{}: {}", spec.name, warning.get<std::string>());
  return reply.value("ID", "");
}

ServiceInfo DockerEngine::inspect_service(const std::string& id) {
  return parse_service(call_json({.path = versioned("/services/" + id)}));
}

std::vector<ServiceInfo> DockerEngine::list_services(const Filters& filters) {
  Query query = filter_query(filters);
  query.add("status", true);
  std::vector<ServiceInfo> services;
  for (const auto& entry : call_json({.path = versioned("/services" + query.str())}))
    services.push_back(parse_service(entry));
  return services;
}

void DockerEngine::update_service(const std::string& id, std::uint64_t version, const ServiceSpec& spec) {
  Query query;
  query.add("version", static_cast<long long>(version));
  nlohmann::json reply;
  try {
    reply = call_json({.method = "POST",
                       .path = versioned("/services/" + id + "/update" + query.str()),
                       .json_body = service_spec_body(spec).dump()});
  } catch (const Error& error) {
    // swarmkit answers a stale version with gRPC "Unknown" (HTTP 500): "update out of sequence".
    if (error.kind() == ErrorKind::engine &&
        std::string_view(error.what()).find("out of sequence") != std::string_view::npos)
      fail(ErrorKind::conflict, "service {} was changed by someone else since version {}; read it again",
           spec.name, version);
    throw;
  }
  for (const auto& warning : reply.value("Warnings", nlohmann::json::array()))
    if (warning.is_string())
      log::warning("{}: {}", spec.name, warning.get<std::string>());
}

void DockerEngine::remove_service(const std::string& id) {
  call({.method = "DELETE", .path = versioned("/services/" + id)});
}

void DockerEngine::service_logs(const std::string& id, const LogOptions& options,
                                const OutputCallback& output) {
  // As for containers, the framing follows the TTY setting (of the task template here).
  bool tty = options.tty ? *options.tty : inspect_service(id).spec.tty;
  stream_logs("/services/" + id + "/logs", tty, options, output);
}

std::vector<TaskInfo> DockerEngine::list_tasks(const Filters& filters) {
  std::vector<TaskInfo> tasks;
  for (const auto& entry : call_json({.path = versioned("/tasks" + filter_query(filters).str())}))
    tasks.push_back(parse_task(entry));
  return tasks;
}

TaskInfo DockerEngine::inspect_task(const std::string& id) {
  return parse_task(call_json({.path = versioned("/tasks/" + id)}));
}

namespace {
std::string files_path(SwarmFileKind kind) {
  return kind == SwarmFileKind::secret ? "/secrets" : "/configs";
}
} // namespace

std::string DockerEngine::create_file(SwarmFileKind kind, const SwarmFile& file) {
  auto reply = call_json({.method = "POST",
                          .path = versioned(files_path(kind) + "/create"),
                          .json_body = swarm_file_body(file).dump()});
  return reply.value("ID", "");
}

std::vector<SwarmFile> DockerEngine::list_files(SwarmFileKind kind, const Filters& filters) {
  std::vector<SwarmFile> files;
  for (const auto& entry : call_json({.path = versioned(files_path(kind) + filter_query(filters).str())}))
    files.push_back(parse_swarm_file(entry));
  return files;
}

void DockerEngine::remove_file(SwarmFileKind kind, const std::string& id) {
  try {
    call({.method = "DELETE", .path = versioned(files_path(kind) + "/" + id)});
  } catch (const Error& error) {
    // In use: swarmkit says so with InvalidArgument (HTTP 400) and the services' names.
    if (error.kind() == ErrorKind::engine &&
        std::string_view(error.what()).find("in use") != std::string_view::npos)
      fail(ErrorKind::conflict, "{}", error.what());
    throw;
  }
}

} // namespace dockerops::engine
