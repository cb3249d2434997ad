#pragma once

#include "engine/types.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// Plain structs of the Engine API's swarm mode (https://docs.docker.com/engine/api/v1.41/#tag/Service):
// the swarm, its nodes, services and tasks. Only what dockerops needs; durations are nanoseconds as
// the API sends them. JSON mapping lives in engine/swarm_json.hpp.
namespace dockerops::engine {

// GET /swarm (managers only).
struct SwarmInfo {
  std::string id{};
  std::uint64_t version = 0;
  std::int64_t heartbeat_period_ns = 0; // Spec.Dispatcher.HeartbeatPeriod
  std::string join_token_worker{};
  std::string join_token_manager{};
  std::vector<std::string> default_addr_pool{}; // overlay subnets come from here ("10.0.0.0/8")
  int subnet_size = 0;
  nlohmann::json spec = nlohmann::json::object(); // the whole Spec, kept for update_swarm
};

// What update_swarm changes; unset fields keep their value.
struct SwarmUpdate {
  std::optional<std::int64_t> heartbeat_period_ns{};
  std::optional<std::int64_t> task_history_limit{}; // Spec.Orchestration.TaskHistoryRetentionLimit
};

// GET /nodes entry.
struct NodeInfo {
  std::string id{};
  std::uint64_t version = 0;
  std::string hostname{};     // Description.Hostname
  std::string role{};         // Spec.Role: "manager", "worker"
  std::string availability{}; // Spec.Availability: "active", "pause", "drain"
  Labels labels{};            // Spec.Labels (dockerops.group)
  std::string state{};        // Status.State: "ready", "down", "unknown", "disconnected"
  std::string address{};      // Status.Addr
  std::string message{};      // Status.Message
  bool leader = false;        // ManagerStatus.Leader
  std::string reachability{}; // ManagerStatus.Reachability: "reachable", "unreachable", "unknown"
  std::string engine_version{};
  std::int64_t nano_cpus = 0;
  std::int64_t memory_bytes = 0;
};

// POST /nodes/{id}/update body (the whole NodeSpec: what is left out is reset).
struct NodeSpec {
  Labels labels{};
  std::string role = "worker";
  std::string availability = "active";
};

// TaskTemplate.ContainerSpec.Mounts entry.
struct ServiceMount {
  std::string type = "volume"; // "volume", "bind", "tmpfs"
  std::string source{};        // volume name or host path (on the node)
  std::string target{};
  bool read_only = false;
  Labels volume_labels{}; // VolumeOptions.Labels of a volume the node creates
};

// TaskTemplate.ContainerSpec.Secrets or .Configs entry: a swarm secret or config given to the task as
// a file (secrets at /run/secrets/NAME; configs at any absolute path).
struct ServiceFile {
  std::string id{};   // SecretID / ConfigID
  std::string name{}; // SecretName / ConfigName
  std::string target{};
  std::uint32_t mode = 0444;
};

// EndpointSpec.Ports entry. Swarm's routing mesh ("ingress") needs IPVS; "host" binds on the node
// running the task.
struct ServicePort {
  std::string protocol = "tcp";
  int target_port = 0;
  int published_port = 0; // 0 = ephemeral
  std::string publish_mode = "host";
};

// TaskTemplate.Networks entry.
struct ServiceNetwork {
  std::string target{}; // network name or ID
  std::vector<std::string> aliases{};
};

// POST /services/create and /services/{id}/update body: a service is its whole spec.
struct ServiceSpec {
  std::string name{};
  Labels labels{}; // the service's labels (identity: dockerops.project, .service, .instance, .config-hash)
  // TaskTemplate.ContainerSpec
  std::string image{};
  std::optional<std::vector<std::string>> command{}; // replaces the image's ENTRYPOINT
  std::optional<std::vector<std::string>> args{};    // replaces the image's CMD
  std::vector<std::string> env{};
  Labels container_labels{};
  std::string hostname{}; // may use Go templates: "{{.Service.Name}}-{{.Task.Slot}}"
  std::string user{};
  std::string working_dir{};
  bool tty = false;
  bool open_stdin = false;
  bool init = false;
  bool healthcheck_none = false;
  std::optional<std::int64_t> stop_grace_period_ns{};
  std::vector<ServiceMount> mounts{};
  std::vector<std::string> hosts{}; // "IP name [alias...]" (hosts(5) order, unlike ExtraHosts)
  std::vector<std::string> dns_nameservers{};
  std::vector<std::string> dns_search{};
  std::vector<std::string> capability_add{}; // API 1.41
  std::vector<ServiceFile> secrets{};
  std::vector<ServiceFile> configs{};
  // TaskTemplate.Resources
  std::int64_t nano_cpus = 0;
  std::int64_t memory_bytes = 0;
  std::int64_t memory_reservation_bytes = 0;
  std::int64_t pids_limit = 0; // API 1.41
  // TaskTemplate.RestartPolicy
  std::string restart_condition = "any"; // "none", "on-failure", "any"
  std::optional<std::int64_t> restart_delay_ns{};
  std::uint64_t restart_max_attempts = 0; // 0 = unlimited
  // TaskTemplate.Placement
  std::vector<std::string> constraints{}; // "node.labels.dockerops.group==db"
  std::uint64_t max_replicas_per_node = 0;
  std::vector<ServiceNetwork> networks{};
  std::uint64_t force_update = 0; // bump to restart every task with the same spec
  // Mode
  bool global = false;
  std::uint64_t replicas = 1;
  // EndpointSpec: "dnsrr" (each task's own address in DNS) works everywhere; "vip" needs IPVS
  std::string endpoint_mode = "dnsrr";
  std::vector<ServicePort> ports{};
};

// A swarm secret or config (POST /secrets/create, /configs/create): a small file the managers keep in
// their raft store (secrets encrypted) and hand to the tasks that reference it. Immutable: a new
// content is a new object.
enum class SwarmFileKind { secret, config };
struct SwarmFile {
  std::string id{};
  std::string name{};
  Labels labels{};
  std::string data{}; // create only; the API never returns a secret's data
};

// GET /services/{id} or a GET /services?status=1 entry.
struct ServiceInfo {
  std::string id{};
  std::uint64_t version = 0;
  std::string created_at{};
  std::string updated_at{};
  ServiceSpec spec{};
  std::uint64_t running_tasks = 0; // ServiceStatus (list with status=1 only)
  std::uint64_t desired_tasks = 0;
  std::string update_state{}; // UpdateStatus.State: "updating", "paused", "completed", "rollback_..."
  std::string update_message{};
};

// A task's address on one network (NetworksAttachments[]).
struct TaskAddress {
  std::string network_id{};
  std::string network_name{};
  std::string address{}; // without the prefix length: "10.0.1.5"
  int prefix_length = 0;
};

// GET /tasks entry: one scheduling of one replica (slot) of a service on a node.
struct TaskInfo {
  std::string id{};
  std::uint64_t version = 0;
  std::string service_id{};
  std::string node_id{}; // empty while not yet assigned (e.g. no node satisfies the constraints)
  int slot = 0;          // replicated services: 1..N; global services: 0
  std::string image{};
  Labels container_labels{}; // Spec.ContainerSpec.Labels
  std::string
      state{}; // Status.State: "new" ... "running", "complete", "failed", "shutdown", "rejected", "orphaned"
  std::string desired_state{};
  std::string message{}; // Status.Message ("started", "no suitable node ...")
  std::string error{};   // Status.Err
  std::string timestamp{};
  std::string container_id{}; // Status.ContainerStatus
  int pid = 0;
  int exit_code = 0;
  std::vector<TaskAddress> addresses{};
  std::string created_at{};
  std::string updated_at{};
};

} // namespace dockerops::engine
