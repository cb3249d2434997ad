#pragma once

// How a project's instances map onto Docker Swarm objects (docs/decisions.md 33): names, the labels
// only swarm services carry, and the project files tasks get as swarm secrets or configs. Pure.

#include "project/model.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace dockerops::project {

// Labels of swarm services besides the identity labels of model.hpp.
inline constexpr std::string_view k_label_node = "dockerops.node";         // the pinned node (persistent)
inline constexpr std::string_view k_label_stopped = "dockerops.stopped";   // "true" after stop
inline constexpr std::string_view k_label_replicas = "dockerops.replicas"; // what start restores
inline constexpr std::string_view k_label_role = "dockerops.role"; // "registry", "agent": not an instance

// A project file given to tasks: a swarm secret (private: the TSIG key, the SSH private key) or a
// swarm config (the SSH public key), made from the file once and named after the project.
struct SwarmFile {
  std::string name;   // "demo-dns-key": the swarm object
  std::string path;   // ".dockerops/dns.key": relative to the project folder
  std::string target; // where the task sees it: "/etc/dockerops/dns.key"
  bool config = false;
  std::uint32_t mode = 0444;
};

// The files the service of `instance` mounts: the SSH public key (every instance, as the bind mount
// of one host does, docs/decisions.md 10), the private key with ssh_keys, the TSIG key for the DNS
// (docs/decisions.md 13) and for the agent, which also gets the API token (docs/decisions.md 40).
std::vector<SwarmFile> swarm_files(const ResolvedInstance& instance);

// The named volume of the agent's own project folder on its manager: "<service name>-state".
std::string agent_state_volume(std::string_view service_name);

// The named volume of a persistent instance's /persistent on its node: "<container name>-persistent".
std::string persistent_volume(const ResolvedInstance& instance);

// The service of a counted run.conf entry (docs/decisions.md 33): "<project>-<service>-<prefix>",
// "<project>-<service>" when the entry has no "instance".
std::string counted_service_name(std::string_view project, std::string_view service, std::string_view prefix);

// True for the labels of a counted entry's service: dockerops.instance-prefix without dockerops.instance.
bool is_counted_service(const std::map<std::string, std::string>& labels);

// The instance a task of a project service stands for: the service's dockerops.instance, or, for a
// counted entry's service, the prefix and the task's slot ("w" and slot 2 give "w2", the name of
// instance 2 on one host). The one derivation for ps, links, the DNS records and the agent.
std::string task_instance(const std::map<std::string, std::string>& service_labels, int slot);

// How a counted entry's service is named where one instance name is expected (messages, ps without a
// task, clean): "<prefix>*".
std::string counted_instances(std::string_view prefix);

// One swarm service to run: a named instance, or the instances of a counted entry as one service
// whose tasks are the instances (`replicas` of them; 0 when the command selected only some of them:
// the service keeps its count).
struct SwarmUnit {
  ResolvedInstance instance;
  bool counted = false;
  int replicas = 1;
};

// The services of a resolved selection, in its order. A counted entry's instances become one
// template instance: named counted_service_name(), hostname and $INSTANCE from the task slot (Swarm
// templates), labelled with the prefix but no instance, hashed afresh. Links to a counted instance
// name its service. A counted entry with persistent folders is a config Error (a task's volume
// stays on its node).
std::vector<SwarmUnit> swarm_units(const ResolvedProject& project);

// The project registry (docs/decisions.md 33), run when host.conf names none: the built-in
// dockerops/registry as the service "<project>-registry" (label dockerops.role=registry) on the
// manager, its port published in host mode, its storage on the manager's named volume
// registry_volume(). Nodes pull from <manager address>:k_registry_port.
inline constexpr int k_registry_port = 5000;
inline constexpr std::string_view k_registry_service = "dockerops-registry";
std::string registry_volume(std::string_view project); // "<project>-registry-persistent"
ResolvedInstance registry_instance(const std::string& project);

// A service name must be a DNS label (63 characters at most, letters, digits and '-', no '-' at
// either end); a config Error naming the instance and its run conf line otherwise.
void check_service_name(const ResolvedInstance& instance);

} // namespace dockerops::project
