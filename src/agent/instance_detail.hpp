#pragma once

#include "agent/snapshot.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace dockerops::agent {

// GET /api/v1/instances/{service}/{instance}: what GET /api/v1/state says of the instance, plus
// what `dockerops info` shows of it: its environment with secrets masked the same way
// (project::shown_value), its links, published ports, mounts and persistent folders, networks
// with aliases, and the names the project's DNS serves for its address. Everything comes from the
// snapshot (the observer's last inspect), so the handler never waits for the daemon.
nlohmann::json instance_detail_json(const Snapshot& snapshot, const InstanceView& view);

// "172.30.0.3" -> "3.0.30.172.in-addr.arpa." (RFC 1035 §3.5); "" for anything but IPv4.
std::string reverse_name(const std::string& ipv4);

} // namespace dockerops::agent
