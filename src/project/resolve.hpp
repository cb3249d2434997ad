#pragma once

// From (project, run conf, host.conf, host facts, command options, observed
// images and running instances) to fully resolved instances. Pure.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "project/counted.hpp"
#include "project/host_conf.hpp"
#include "project/host_info.hpp"
#include "project/model.hpp"
#include "project/project.hpp"
#include "project/run_conf.hpp"

namespace dockerops::project {

// What the command selects: run:all[,group=G] or run:S[,instance=I].
struct Selection {
  std::string service = "all";         // "all" or a service name
  std::optional<std::string> instance; // nullopt = from run.conf, or random for a single service
  std::string group;                   // empty = every group
  std::optional<std::string> counted;  // only the counted entry of `service` with this prefix (scale)
};

// Command-line switches: highest precedence (docs/compatibility.md §precedence).
struct Overrides {
  std::optional<std::string> instance_type;
  std::optional<bool> publish_ports, persistent_data, persistent_opt, persistent_log, linked, safemode,
      interactive, nethost;
  std::optional<std::string> seed_command;
};

// Observed image facts (engine inspect): an input, since images are state.
struct ImageFacts {
  std::string id;                         // "sha256:..."
  std::vector<std::string> exposed_ports; // Config.ExposedPorts keys: "80/tcp", "53/udp"
};

// An instance that already runs (observed), for links with a null instance.
struct RunningInstance {
  std::string service;
  std::string instance;
  std::string ip; // address on the project network, may be empty
};

// Everything resolve() needs; the CLI builds it after discovery and observation.
struct ResolveInput {
  const Project* project = nullptr;
  const RunConf* conf = nullptr; // may hold no entries
  const HostConf* host_conf = nullptr;
  const HostInfo* host = nullptr;
  Selection selection;
  Overrides overrides;
  std::map<std::string, ImageFacts> images; // by image reference "<project>/<svc>:latest"
  std::vector<RunningInstance> running;
  std::string subnet; // the project /24 ("172.30.5.0/24") to pin the DNS at .2; empty = not known yet
  std::string zone{k_zone};
  RuntimeCounts counts; // .dockerops/scale.json (project/counted.hpp)
  // On a swarm (docs/decisions.md 33): instances are services, the DNS has no pinned address, and
  // every instance's resolver is `nameserver`, where each node's DNS task answers.
  bool swarm = false;
  std::string nameserver;
};

// Resolves the selection. Throws a config Error naming file and line for every
// problem (unknown type, missing required variable, unknown interface, link
// cycle, missing link target...). Notices and warnings go in the result.
ResolvedProject resolve(const ResolveInput& input);

// Splits "svc-inst" at the last '-' (links, legacy names).
std::pair<std::string, std::string> split_service_instance(const std::string& text);

// ps / info:SVC* filter: "svc" matches exactly, "sv*" by prefix; an empty
// instance matches any.
bool matches_filter(const std::string& pattern, const std::string& instance_filter,
                    const std::string& service, const std::string& instance);

} // namespace dockerops::project
