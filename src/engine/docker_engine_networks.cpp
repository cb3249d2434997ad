#include "engine/docker_engine.hpp"

#include "engine/json_mapping.hpp"

namespace dockerops::engine {

std::string DockerEngine::create_network(const NetworkSpec& spec) {
  auto reply = call_json({.method = "POST",
                          .path = versioned("/networks/create"),
                          .json_body = network_create_body(spec).dump()});
  return reply.value("Id", "");
}

std::vector<NetworkInfo> DockerEngine::list_networks(const Filters& filters) {
  Query query;
  if (!filters.empty())
    query.add("filters", filters_json(filters));
  std::vector<NetworkInfo> networks;
  for (const auto& entry : call_json({.path = versioned("/networks" + query.str())}))
    networks.push_back(parse_network(entry));
  return networks;
}

NetworkInfo DockerEngine::inspect_network(const std::string& name) {
  return parse_network(call_json({.path = versioned("/networks/" + name)}));
}

void DockerEngine::remove_network(const std::string& name) {
  call({.method = "DELETE", .path = versioned("/networks/" + name)});
}

void DockerEngine::remove_volume(const std::string& name) {
  call({.method = "DELETE", .path = versioned("/volumes/" + name)});
}

void DockerEngine::connect_network(const EndpointSpec& endpoint, const std::string& container) {
  call({.method = "POST",
        .path = versioned("/networks/" + endpoint.network + "/connect"),
        .json_body = network_connect_body(endpoint, container).dump()});
}

void DockerEngine::disconnect_network(const std::string& network, const std::string& container, bool force) {
  nlohmann::json body = {{"Container", container}, {"Force", force}};
  call({.method = "POST",
        .path = versioned("/networks/" + network + "/disconnect"),
        .json_body = body.dump()});
}

} // namespace dockerops::engine
