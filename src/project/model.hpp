#pragma once

// The resolved project model: plain structs that say exactly what one instance
// is (name, image, env with sources, ports, volumes, links, labels, hash).
// Produced by project::resolve() (resolve.hpp), consumed by plan/ and apply/.
// Nothing here does I/O.

#include "project/resources.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockerops::project {

// The five instance types of the original README (docs/compatibility.md §types).
enum class InstanceType { standard, published, persistent, master, debug };

// "standard", "published", ... as written in run.conf and the INSTANCE_TYPE variable.
std::string_view to_string(InstanceType type);

// Parses a type name (exact, lower case); nullopt when unknown.
std::optional<InstanceType> parse_instance_type(std::string_view text);

// All type names, for "did you mean" messages.
const std::vector<std::string>& instance_type_names();

// What the agent does when an instance's container stops or disappears (docs/decisions.md 31):
// nothing (no, the default), bring it back when it exited with a non-zero code or was removed
// (on-failure), or whenever it is not running (always). Commands that stop or remove instances
// are never undone.
enum class RestartPolicy { no, on_failure, always };

// "no", "on-failure", "always", as written in run.conf and the dockerops.restart label.
std::string_view to_string(RestartPolicy policy);

// Parses a policy name (exact); nullopt when unknown.
std::optional<RestartPolicy> parse_restart_policy(std::string_view text);

// Where a container variable got its value (docs/decisions.md 19), shown by --dry-run.
enum class EnvSource {
  builtin,     // SERVICE, INSTANCE, ... computed by dockerops
  environment, // the dockerops process environment
  host_conf,   // host.conf
  run_conf,    // the run conf entry's env_vars
  link,        // <ALIAS>_SERVICE_IP of a link (or DNS_SERVICE_IP)
  interface,   // a from_<iface> value replaced by the host interface's IPv4
  prompt,      // typed on the terminal (--ask)
};

// Whether a variable's name suggests a secret (KEY, SECRET, PASSWORD or TOKEN in it, any case).
bool is_secret_variable(std::string_view name);
// The value as dockerops prints it: "********" for a non-empty secret (info, --dry-run).
std::string shown_value(std::string_view name, const std::string& value);

// "built-in", "environment", "host.conf", "run.conf", "link", "interface", "prompt".
std::string_view to_string(EnvSource source);

// One resolved container variable.
struct EnvValue {
  std::string value;
  EnvSource source = EnvSource::builtin;
  // Where exactly: "run.conf:12", "from_eth0 (run.conf:12)", the link target's
  // container name; empty when the source says it all.
  std::string detail;
  // For link variables with a target in the project: the target container
  // name. apply/ sets `value` to that container's IP on the project network
  // just before creating this container (the plan starts targets first);
  // `value` is only a preview (the observed IP, or empty). Empty otherwise.
  std::string pending_link_container;
};

// One published port: Engine API HostConfig.PortBindings["<container>/<protocol>"].
struct PortMapping {
  std::string host_ip; // empty = all interfaces
  int host_port = 0;
  int container_port = 0;
  std::string protocol = "tcp"; // "tcp" or "udp"
};

// "[IP:]HOST:CONTAINER/PROTO", as --dry-run and ps show it.
std::string fmt_port(const PortMapping& port);

// One bind mount: Engine API HostConfig.Binds "<host>:<container>[:<mode>]".
struct VolumeMount {
  std::string host_path; // absolute
  std::string container_path;
  std::string mode; // "", "ro", "rw", ...
};

// One resolved link: a network alias on the project network plus <ALIAS>_SERVICE_IP.
struct Link {
  std::string alias;            // as written ("dns", "BASE")
  std::string service;          // target service
  std::string instance;         // target instance; empty when remote (variable supplied from outside)
  std::string target_container; // <project>-<service>-<instance>; empty when remote
};

// The TTL of the records dockerops registers (docs/decisions.md 14), and so the default drain period
// of an instance going away: a client that resolved it just before its deregistration may use the
// address that long.
inline constexpr int k_record_ttl = 60;

// DNS registration policy from the instance's DNS_UPDATE_POLICY (docs/decisions.md 14).
enum class DnsPolicy { append, replace, hide };
std::string_view to_string(DnsPolicy policy);
// APPEND, REPLACE or HIDE in any case, blanks around ignored; nullopt otherwise.
std::optional<DnsPolicy> parse_dns_policy(std::string_view text);
// The policy of a created container from its environment ("KEY=VALUE" strings): APPEND when
// unset, and when unknown (dockerops checked it at creation; a hand-made container may say anything).
DnsPolicy dns_policy_in_env(const std::vector<std::string>& env);

// Everything needed to create one container, fully resolved. Two equal
// ResolvedInstances (plus the same image ID) give the same config hash.
struct ResolvedInstance {
  // Identity.
  std::string project;
  std::string service;
  std::string instance;
  InstanceType type = InstanceType::standard;
  std::string conf;  // the run conf name in use ("run.conf"), label dockerops.conf
  std::string group; // run.conf "group", may be empty
  int conf_line = 0; // line of the run conf entry; 0 when the instance has no entry
  // "web/one", how messages name the instance.
  std::string who() const { return service + "/" + instance; }

  // Naming (docs/compatibility.md §naming).
  std::string container_name;   // <project>-<service>-<instance>
  std::string hostname;         // <service>-<instance> or run.conf "hostname"; empty with nethost
  std::string image;            // <project>/<service>:latest or dockerops/dns:latest
  std::string image_id;         // observed image ID ("sha256:..."), empty when not built yet
  bool builtin_service = false; // dockerops-dns & co: no services/ folder
  bool is_dns = false;          // the project's dockerops-dns instance
  bool is_agent = false;        // the project's dockerops-agent instance (host network, Docker socket)
  std::string daemon_restart{}; // HostConfig.RestartPolicy ("unless-stopped" for the agent); hashed when set

  // Switches after precedence command line > run.conf > type default.
  bool linked = true;
  bool publish_ports = false;
  bool persistent_data = false;
  bool persistent_opt = false;
  bool persistent_log = false;
  bool safemode = false;
  bool interactive = false;
  bool nethost = false;
  bool ssh_keys = false; // mount the project's private key read-only (docs/decisions.md 10)
  bool autorun = true;   // false: skipped by run:all
  bool wait = true;      // wait for "[dockerops] ready" (docs/decisions.md 8)
  int ready_timeout = 120;
  int sleep = 0;       // seconds to sleep after the start (after readiness)
  Resources resources; // run.conf cpus, memory, memory_reservation, pids; hashed when set
  // Counted instances (project/counted.hpp): <prefix><number>, labelled dockerops.instance-prefix and
  // dockerops.instance-number; number 0 = a named instance.
  std::string prefix;
  int number = 0;
  // Seconds between its DNS deregistration and its stop when it goes gracefully (run.conf "drain",
  // else k_record_ttl); label dockerops.drain. Not hashed: it matters only when the container goes.
  int drain = k_record_ttl;
  RestartPolicy restart = RestartPolicy::no; // label dockerops.restart; hashed unless "no"

  // Command: empty = the image's CMD; otherwise split into argv by apply.
  std::vector<std::string> command;

  // Container environment, sorted by name (deterministic), with sources.
  std::map<std::string, EnvValue> env;

  std::vector<PortMapping> ports;   // sorted by (protocol, container port)
  std::vector<VolumeMount> volumes; // in run.conf order, persistent dir first
  std::string persistent_dir; // host DATA_DIR/<service>-<instance> mounted at /persistent; empty if none
  std::vector<Link> links;    // in run.conf order

  // Project network and DNS.
  std::string network;      // <project>_net; empty with nethost
  std::string ipv4_address; // pinned address (the DNS at .2); empty = daemon chooses
  std::string dns_server;   // HostConfig.Dns: the DNS container IP; empty when no DNS in the project
  std::string dns_search;   // HostConfig.DnsSearch: the zone ("local.zone") when a DNS exists
  DnsPolicy dns_policy = DnsPolicy::append;

  // run.conf "watches": the services whose members this instance's hooks are told of (sorted,
  // unique; label dockerops.watches, docs/decisions.md 32).
  std::vector<std::string> watches;

  // Labels (dockerops.project, .service, .instance, .instance-type, .conf, .config-hash).
  std::map<std::string, std::string> labels;
  std::string
      config_hash; // hex, over the canonical form of all the above and image_id (docs/decisions.md 18)

  // The canonical JSON text hashed into config_hash (for "which field changed").
  std::string canonical() const;

  // The image this instance was resolved without (not built yet when planned) is built now: its
  // ID joins the config hash and the hash label (docs/decisions.md 18).
  void bind_image(const std::string& id);
};

// Messages the resolver wants the user to see (no logging inside project/).
struct Notices {
  std::vector<std::string> notices;  // "instance 'x' has no entry in run.conf: using the standard defaults"
  std::vector<std::string> warnings; // "SERVICE is built in: the value from the environment is ignored"
};

// The DNS zone every project's names live in (docs/decisions.md 14), as the original's.
inline constexpr std::string_view k_zone = "local.zone";

// The built-in DNS service (docs/decisions.md 12): at most one instance per project.
inline constexpr std::string_view k_dns_service = "dockerops-dns";
// The project's agent as a built-in service (docs/decisions.md 29): image dockerops/agent.
inline constexpr std::string_view k_agent_service = "dockerops-agent";
// Where the agent's container sees the host's cgroup hierarchy (read-only), for its stats.
inline constexpr std::string_view k_agent_cgroup_root = "/run/dockerops/cgroup";
// On a swarm the agent's task has no project folder: its own, on a named volume of its manager, holds
// its state (.dockerops/: the event log, the lock, agent.url) and the files it is given as secrets.
inline constexpr std::string_view k_agent_swarm_dir = "/var/lib/dockerops-agent";

// The project network's name, "<project>_net" (docs/decisions.md 11).
inline std::string network_name(std::string_view project) {
  return std::string(project) + "_net";
}

// A counted run.conf entry that a command acts on as a whole (run:all, run:SERVICE, scale): the plan
// removes its instances numbered above `count` (scale-in), whatever made them.
struct CountedSet {
  std::string service;
  std::string prefix;
  int count = 0;     // what the instances should be: the runtime count, else the run conf's
  int declared = 0;  // the run conf's count
  int conf_line = 0; // the entry's line
};

// The resolved selection of a command: the instances it acts on, in run.conf
// order (the planner orders them), plus what the user should be told.
struct ResolvedProject {
  std::string name;    // project name
  std::string dir;     // project dir (absolute)
  std::string network; // <project>_net
  std::string zone{k_zone};
  std::vector<ResolvedInstance> instances;
  std::vector<CountedSet> counted; // counted entries selected as a whole
  Notices messages;
};

// Label keys (compose pkg/api/labels.go style): identity is by label, never by name.
inline constexpr std::string_view k_label_project = "dockerops.project";
inline constexpr std::string_view k_label_service = "dockerops.service";
inline constexpr std::string_view k_label_instance = "dockerops.instance";
inline constexpr std::string_view k_label_instance_type = "dockerops.instance-type";
inline constexpr std::string_view k_label_conf = "dockerops.conf";
inline constexpr std::string_view k_label_config_hash = "dockerops.config-hash";
// The watched services of a watching instance, comma-separated (docs/decisions.md 32).
inline constexpr std::string_view k_label_watches = "dockerops.watches";
inline constexpr std::string_view k_label_drain = "dockerops.drain";
inline constexpr std::string_view k_label_instance_prefix = "dockerops.instance-prefix";
inline constexpr std::string_view k_label_instance_number = "dockerops.instance-number";
inline constexpr std::string_view k_label_restart = "dockerops.restart";

} // namespace dockerops::project
