#pragma once

// Observed state: what the Engine API reported, as plain values. apply/observe.cpp fills it
// (containers listed by the dockerops.project label); plan/ only reads it.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace dockerops::plan {

// A container of the project (GET /containers/json?all=1&filters=label=dockerops.project=P).
struct ObservedContainer {
  std::string id;
  std::string name; // without the leading '/'
  std::map<std::string, std::string> labels;
  std::string state;    // Engine API State: created, running, paused, restarting, exited, dead
  std::string image_id; // "sha256:..."
  std::string ip;       // address on the project network, may be empty

  // The value of a label, or "" (labels are identity, never names).
  std::string label(std::string_view key) const {
    auto it = labels.find(std::string(key));
    return it == labels.end() ? std::string() : it->second;
  }
  // Running, or about to be (paused and restarting containers hold their address).
  bool is_up() const { return state == "running" || state == "paused" || state == "restarting"; }
};

// A network (GET /networks).
struct ObservedNetwork {
  std::string id;
  std::string name;
  std::string subnet; // IPAM.Config[0].Subnet
  std::map<std::string, std::string> labels;
};

// An image the project may use (GET /images/{name}/json), by reference "<project>/<svc>:latest".
struct ObservedImage {
  std::string id;                         // "sha256:..."
  std::vector<std::string> exposed_ports; // Config.ExposedPorts keys
};

// What a watching instance was last told of one watched service (docs/decisions.md 32), from
// <project>/.dockerops/watch/ (apply/watch_state.hpp).
struct ObservedDelivery {
  std::vector<std::string> members; // the addresses its hooks last ran with successfully
  bool delivered = false;           // false: never delivered to this container
  int failures = 0;                 // failed attempts since then
};

// A watching instance's record, by "service/instance".
struct ObservedWatcher {
  std::string container_id; // the container the deliveries went to: another one starts afresh
  std::map<std::string, ObservedDelivery> services;
};

// A swarm node (GET /nodes), docs/decisions.md 33.
struct ObservedNode {
  std::string id;
  std::string hostname;
  std::string role;         // "manager", "worker"
  std::string state;        // "ready", "down", "unknown", "disconnected"
  std::string availability; // "active", "pause", "drain"
  std::string address;      // Status.Addr: where the node's published ports are reached
  std::map<std::string, std::string> labels;
  bool is_ready() const { return state == "ready" && availability == "active"; }
};

// A task that holds (or last held) a replica of a project service.
struct ObservedTask {
  std::string id;
  int slot = 0;        // 1..N for replicated services, 0 for global ones
  std::string node_id; // empty while no node was chosen
  std::string state;   // Status.State: "pending", "preparing", "running", "rejected", ...
  std::string desired_state;
  std::string message; // Status.Message / Status.Err together: "no suitable node (...)"
  std::string ip;      // address on the project network, may be empty
  std::string container_id;
};

// A service of the project (GET /services?filters=label=dockerops.project=P): one per instance
// (or per counted instance group), the DNS and the registry.
struct ObservedService {
  std::string id;
  std::string name;
  std::uint64_t version = 0;
  std::map<std::string, std::string> labels;
  bool global = false;
  std::uint64_t replicas = 0; // Replicated.Replicas (0 = stopped)
  std::vector<std::string> constraints;
  std::string hostname;            // TaskTemplate.ContainerSpec.Hostname (may hold Go templates)
  std::vector<std::string> env;    // TaskTemplate.ContainerSpec.Env ("NAME=value"): DNS_UPDATE_POLICY
  std::vector<ObservedTask> tasks; // desired state running first, then the latest others

  std::string label(std::string_view key) const {
    auto it = labels.find(std::string(key));
    return it == labels.end() ? std::string() : it->second;
  }
};

// What a swarm manager reports (the swarm orchestrator only).
struct ObservedSwarm {
  std::string manager_id; // the node whose Engine API dockerops talks to
  std::vector<ObservedNode> nodes;
  std::vector<ObservedService> services;
  // docker_gwbridge's gateway on the manager: where a task reaches the DNS of its own node.
  std::string nameserver;
  std::map<std::string, bool> files; // the project's swarm secrets and configs: name -> is a config

  const ObservedNode* node(const std::string& id_or_hostname) const {
    for (const auto& n : nodes)
      if (n.id == id_or_hostname || n.hostname == id_or_hostname)
        return &n;
    return nullptr;
  }
};

// Everything observed before planning.
struct ObservedState {
  std::vector<ObservedContainer> containers;
  std::vector<ObservedNetwork> networks;
  std::map<std::string, ObservedImage> images; // the project's service images and the built-ins that exist
  std::set<std::string> project_files;         // files of <project>/.dockerops/ that exist ("dns.key")
  // The A records of the project zone in the project /24 (lowercase FQDN -> addresses), read from the
  // running DNS; nullopt when not observed (no DNS runs, or it did not answer).
  std::optional<std::map<std::string, std::set<std::string>>> zone;
  // What each watching instance was last told (service/instance -> record).
  std::map<std::string, ObservedWatcher> watchers;
  // Set on a swarm (docs/decisions.md 33): services, tasks and nodes instead of containers.
  std::optional<ObservedSwarm> swarm;
};

} // namespace dockerops::plan
