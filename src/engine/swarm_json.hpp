#pragma once

#include "engine/swarm_types.hpp"

#include <nlohmann/json.hpp>

// Pure JSON <-> struct mapping of the swarm-mode Engine API bodies (API 1.41), apart from the
// transport so that golden tests need no daemon.
namespace dockerops::engine {

// POST /services/create and /services/{id}/update body.
nlohmann::json service_spec_body(const ServiceSpec& spec);
// POST /nodes/{id}/update body.
nlohmann::json node_spec_body(const NodeSpec& spec);
// POST /swarm/update body: `current` (SwarmInfo::spec) with the update's fields changed.
nlohmann::json swarm_update_body(const nlohmann::json& current, const SwarmUpdate& update);

// POST /secrets/create or /configs/create body (Data in base64).
nlohmann::json swarm_file_body(const SwarmFile& file);

SwarmState parse_swarm_state(const nlohmann::json& body); // GET /info's "Swarm"
SwarmInfo parse_swarm(const nlohmann::json& body);
NodeInfo parse_node(const nlohmann::json& body);
// A service's Spec (the inverse of service_spec_body for every field ServiceSpec holds).
ServiceSpec parse_service_spec(const nlohmann::json& spec);
ServiceInfo parse_service(const nlohmann::json& body);
TaskInfo parse_task(const nlohmann::json& body);
SwarmFile parse_swarm_file(const nlohmann::json& body); // a GET /secrets or /configs entry

} // namespace dockerops::engine
