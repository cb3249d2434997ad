#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Plain structs exchanged with the Docker Engine API (https://docs.docker.com/engine/api/v1.41/).
// Only the fields dockerops needs; JSON mapping lives in engine/json_mapping.hpp.
namespace dockerops::engine {

using Labels = std::map<std::string, std::string>;

// Engine API list filters: key -> values, e.g. {"label": {"dockerops.project=demo"}}; keys AND together.
using Filters = std::map<std::string, std::vector<std::string>>;

// Supplies a request body piece by piece (a tar for /build or /images/create): fills at most
// `size` bytes of `buffer` and returns how many; 0 means the end. May throw to abort the request.
using BodyReader = std::function<std::size_t(char* buffer, std::size_t size)>;

// Receives each JSON object of a JSON-lines progress stream (/build, /images/create).
using ProgressCallback = std::function<void(const nlohmann::json& line)>;

// Which stream a piece of container output came from (the first byte of a log frame header).
enum class Stream : std::uint8_t { input = 0, output = 1, error = 2 };

// Receives container output (logs, exec); returns false to stop reading early (not an error).
using OutputCallback = std::function<bool(Stream stream, std::string_view bytes)>;

// `dockerops version` material: GET /version.
struct VersionInfo {
  std::string server_version{}; // "20.10.24+dfsg1"
  std::string api_version{};    // the daemon's maximum, "1.41"
  std::string min_api_version{};
  std::string os{};
  std::string arch{};
  std::string kernel_version{};
};

// GET /info's Swarm object: what this engine is in a swarm.
struct SwarmState {
  std::string node_id{};
  std::string node_addr{};
  std::string local_node_state{}; // "inactive", "pending", "active", "error", "locked"
  bool control_available = false; // true on a manager
  std::string error{};
  std::string cluster_id{}; // managers only, as the two counts
  int nodes = 0;
  int managers = 0;
};

// A few facts from GET /info.
struct SystemInfo {
  std::string name{};
  std::string driver{};
  std::string docker_root_dir{};
  std::string cgroup_version{};
  int ncpu = 0;
  std::int64_t mem_total = 0;
  SwarmState swarm{};
};

// GET /images/{name}/json (list_images fills id, repo_tags and labels only).
struct ImageInfo {
  std::string id{}; // "sha256:..."
  std::vector<std::string> repo_tags{};
  std::string parent_id{}; // the image it was built on by the classic builder; empty if pulled or imported
  Labels labels{};
  std::vector<std::string> exposed_ports{}; // "53/udp", "8080/tcp", sorted
  std::vector<std::string> env{};           // "K=V"
  std::vector<std::string> cmd{};
  std::vector<std::string> entrypoint{};
  bool has_healthcheck = false; // a HEALTHCHECK other than NONE
};

// POST /build query parameters.
struct BuildOptions {
  std::vector<std::string> tags{}; // t=, repeatable
  std::string dockerfile{};        // path inside the tar; empty = "Dockerfile"
  Labels labels{};
  std::map<std::string, std::string> build_args{};
  bool no_cache = false;
  bool remove_intermediate = true; // rm=1
  bool force_remove = true; // forcerm=1: a failed step leaves no container behind (the CLI's default is 0)
};

// POST /images/create?fromSrc=- : import a root filesystem tar as an image.
struct ImportOptions {
  std::string repo{};                 // "dockerops/debian"
  std::string tag{};                  // "bookworm"
  std::vector<std::string> changes{}; // Dockerfile instructions, e.g. "LABEL dockerops.test=1"
  std::string message{};
};

// One published port: HostConfig.PortBindings["<container_port>/<proto>"] = [{HostIp, HostPort}].
struct PortBinding {
  std::string proto = "tcp";
  int container_port = 0;
  std::string host_ip{}; // empty = all interfaces
  int host_port = 0;     // 0 = ephemeral
};

// A container's endpoint on one network (create's NetworkingConfig, or /networks/{id}/connect).
struct EndpointSpec {
  std::string network{};
  std::vector<std::string> aliases{};
  std::string ipv4_address{}; // empty = assigned by the daemon
  // "container:alias" pairs that only this container resolves (EndpointSettings.Links: the
  // user-defined-network form of --link, served by the daemon's embedded DNS).
  std::vector<std::string> links{};
};

// Everything POST /containers/create needs from dockerops.
struct ContainerSpec {
  std::string name{};
  std::string image{};
  std::optional<std::vector<std::string>> cmd{};        // nullopt = the image's CMD
  std::optional<std::vector<std::string>> entrypoint{}; // nullopt = the image's ENTRYPOINT
  std::vector<std::string> env{};                       // "K=V"
  Labels labels{};
  std::string hostname{};
  std::string domainname{};
  std::string user{};
  std::string working_dir{};
  bool tty = false;
  bool open_stdin = false;
  bool stdin_once = false;
  bool attach_stdin = false;
  bool attach_stdout = false;
  bool attach_stderr = false;
  std::vector<std::string> exposed_ports{}; // "53/udp"
  bool healthcheck_none = false;            // Healthcheck {"Test":["NONE"]}
  std::optional<int> stop_timeout{};        // seconds
  // HostConfig
  std::vector<std::string> binds{}; // "/host:/ctr:ro"
  std::vector<PortBinding> port_bindings{};
  std::vector<std::string> dns{};
  std::vector<std::string> dns_search{};
  std::string network_mode{}; // "bridge", "host", "none", a network name; empty = daemon default
  bool auto_remove = false;
  std::string restart_policy{}; // HostConfig.RestartPolicy.Name ("unless-stopped"); empty = "no"
  bool init = false;
  bool privileged = false;
  std::vector<std::string> cap_add{};
  std::vector<std::string> extra_hosts{}; // "name:ip"
  // Resource limits; 0 = not set (HostConfig.NanoCpus, Memory, MemoryReservation, PidsLimit).
  std::int64_t nano_cpus = 0;
  std::int64_t memory = 0;
  std::int64_t memory_reservation = 0;
  std::int64_t pids_limit = 0;
  // NetworkingConfig: one network at create (API < 1.44); connect others before start.
  std::optional<EndpointSpec> endpoint{};
};

// A container's address on one network (NetworkSettings.Networks.<name>).
struct NetworkAttachment {
  std::string network_id{};
  std::string ip_address{};
  std::string gateway{};
  std::vector<std::string> aliases{};
  std::vector<std::string> links{}; // legacy links on this network, "container:alias"
};

// A published port as reported by inspect or list.
struct PublishedPort {
  std::string proto{};
  int container_port = 0;
  std::string host_ip{};
  int host_port = 0; // 0 = not published
};

// GET /containers/json entry.
struct ContainerSummary {
  std::string id{};
  std::string name{}; // without the leading '/', the entry of Names with a single '/'
  std::string image{};
  std::string image_id{};
  std::string state{};  // "running", "exited", "created"...
  std::string status{}; // "Up 3 minutes"
  Labels labels{};
  std::map<std::string, std::string> ip_by_network{};
  std::vector<PublishedPort> ports{};
};

// A bind or volume mount as inspect reports it (Mounts[]).
struct Mount {
  std::string type{};        // "bind", "volume", "tmpfs"
  std::string source{};      // host path or volume name
  std::string destination{}; // path in the container
  bool read_write = true;
};

// GET /containers/{id}/json.
struct ContainerInfo {
  std::string id{};
  std::string name{};     // without the leading '/'
  std::string image{};    // Config.Image, as asked at create
  std::string image_id{}; // Image, "sha256:..."
  std::string status{};   // State.Status
  bool running = false;
  int exit_code = 0;
  int pid = 0;
  std::string started_at{};
  std::string finished_at{};
  std::string health_status{}; // "", "starting", "healthy", "unhealthy"
  Labels labels{};
  std::vector<std::string> env{};
  bool tty = false;
  std::string hostname{};
  std::map<std::string, NetworkAttachment> networks{}; // by network name
  std::vector<PublishedPort> ports{};
  std::vector<Mount> mounts{};
  // HostConfig limits; 0 = not set.
  std::int64_t nano_cpus = 0;
  std::int64_t memory = 0;
  std::int64_t memory_reservation = 0;
  std::int64_t pids_limit = 0;
};

// POST /containers/{id}/wait?condition=
enum class WaitCondition { not_running, next_exit, removed };

// GET /containers/{id}/logs query.
struct LogOptions {
  bool follow = false;
  bool timestamps = false;
  bool include_stdout = true;
  bool include_stderr = true;
  std::string tail = "all";
  std::int64_t since = 0;            // unix seconds, 0 = from the start
  std::optional<bool> tty{};         // framing; nullopt = inspect the container to learn Config.Tty
  std::function<bool()> cancelled{}; // polled about once a second: true ends a follow cleanly
};

// POST /containers/{id}/exec.
struct ExecSpec {
  std::vector<std::string> cmd{};
  std::vector<std::string> env{};
  std::string user{};
  std::string working_dir{};
  bool tty = false;
  bool privileged = false;
};

// Local side of an interactive (hijacked) exec or attach session.
struct InteractiveIo {
  int input_fd = 0;  // usually STDIN_FILENO; -1 = no input
  int output_fd = 1; // usually STDOUT_FILENO; stderr frames go to error_fd when Tty=false
  int error_fd = 2;
};

// POST /networks/create.
struct NetworkSpec {
  std::string name{};
  std::string driver = "bridge";
  Labels labels{};
  std::string subnet{};  // "172.30.5.0/24"; empty = from the daemon's pools
  std::string gateway{}; // "172.30.5.1"
  bool internal = false;
  // Swarm-scoped networks (driver "overlay") only: standalone containers may join it too.
  bool attachable = false;
};

// A container on a network, from GET /networks/{id}.
struct NetworkMember {
  std::string container_id{};
  std::string name{};
  std::string ipv4_address; // without the prefix length
};

// GET /networks/{id} (list_networks leaves members empty: the list endpoint omits them).
struct NetworkInfo {
  std::string id{};
  std::string name{};
  std::string driver{};
  Labels labels{};
  std::vector<std::string> subnets{};
  std::vector<std::string> gateways{};
  std::vector<NetworkMember> members{};
  std::string scope{}; // "local", "swarm"
};

// GET /events entry.
struct Event {
  std::string type{};   // "container", "network", "image"...
  std::string action{}; // "start", "die", "destroy", "health_status: healthy"...
  std::string actor_id{};
  Labels attributes{}; // container labels are copied here, plus name, image, exitCode
  std::int64_t time = 0;
  std::int64_t time_nano = 0;
};

// GET /events query.
struct EventOptions {
  Filters filters{};
  std::int64_t since = 0;            // unix seconds; 0 = from now
  std::int64_t until = 0;            // 0 = no end
  std::function<bool()> cancelled{}; // polled about once a second: true ends the stream cleanly
};

// GET /containers/{id}/stats?stream=false&one-shot=true: the counters of one moment (CPU % comes
// from two samples).
struct ContainerStats {
  std::uint64_t cpu_total_ns = 0;             // cpu_stats.cpu_usage.total_usage
  std::int64_t memory_bytes = 0;              // usage minus inactive file cache, as `docker stats`
  std::optional<std::int64_t> memory_limit{}; // none when unlimited
};

// Receives each event; returns false to stop the stream.
using EventCallback = std::function<bool(const Event& event)>;

} // namespace dockerops::engine
