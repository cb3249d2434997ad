#pragma once

#include "engine/types.hpp"

#include <nlohmann/json.hpp>

// Pure JSON <-> struct mapping for the Engine API bodies, kept apart from the transport so
// golden tests need no daemon.
namespace dockerops::engine {

// POST /containers/create body (the name goes in the query).
nlohmann::json container_create_body(const ContainerSpec& spec);
// POST /containers/{id}/exec body.
nlohmann::json exec_create_body(const ExecSpec& spec, bool attach_stdin);
// POST /networks/create body.
nlohmann::json network_create_body(const NetworkSpec& spec);
// POST /networks/{id}/connect body.
nlohmann::json network_connect_body(const EndpointSpec& endpoint, const std::string& container);

VersionInfo parse_version(const nlohmann::json& body);
SystemInfo parse_info(const nlohmann::json& body);
ImageInfo parse_image(const nlohmann::json& body); // inspect or list entry
ContainerSummary parse_container_summary(const nlohmann::json& body);
ContainerInfo parse_container_info(const nlohmann::json& body);
NetworkInfo parse_network(const nlohmann::json& body);
Event parse_event(const nlohmann::json& body);
ContainerStats parse_container_stats(const nlohmann::json& body);

// Filters as the URL query value expects before escaping: {"label":["a=b"]}.
std::string filters_json(const Filters& filters);

} // namespace dockerops::engine
