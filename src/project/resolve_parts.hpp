#pragma once

// Internal steps of resolve(), one concept per file: resolve_select.cpp,
// resolve_links.cpp, env.cpp, ports.cpp (ports and volumes). Not for use
// outside project/.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "project/model.hpp"
#include "project/resolve.hpp"

namespace dockerops::project::detail {

// Where the instance came from, for messages: "run.conf:12" or "command line".
struct Origin {
  const ConfEntry* entry = nullptr; // nullptr: no run.conf entry
  std::string conf_filename;
  std::string where() const;
};

using project::k_dns_service;

// One instance to resolve, before resolution.
struct Wanted {
  std::string service;
  std::string instance;
  Origin origin;
  int number = 0; // counted instances: <prefix><number>
};

// A service name must have a folder with a Dockerfile or be a built-in; the
// error names `where` and suggests the closest service.
void check_service(const std::string& service, const Project& project, const std::string& where);

// Docker's container name rule [a-zA-Z0-9][a-zA-Z0-9_.-]*, checked on each part of the name.
void check_name(const std::string& what, const std::string& name, const std::string& where);

// A service with a folder: its name is an image name component ([a-z0-9] runs joined by '.', '_', '__'
// or dashes) of at most 62 characters.
void check_service_name(const std::string& service, const std::string& where);

// An instance name: check_name, and "<service>-<instance>", its hostname and DNS label, at most 63
// characters (RFC 1035 §2.3.4).
void check_instance_name(const std::string& service, const std::string& instance, const std::string& where);

// No two instances of the command, of run.conf or running share a DNS label ("web-one" for web/one and
// web/ONE: DNS ignores case; "a-b-c" for a-b/c and a/b-c), which would make one's records the other's.
void check_labels_unique(const std::vector<Wanted>& wanted, const ResolveInput& input);

// Which instances the command acts on, in run.conf order (random names for
// entries without one; the type's defaults when a service has no entry).
// Counted entries selected as a whole go to `counted`.
std::vector<Wanted> select_instances(const ResolveInput& input, Notices& notices,
                                     std::vector<CountedSet>& counted);

// The instances of a counted entry, <prefix>1 ... <prefix>N with N its effective count
// (resolve_counted.cpp); the set joins `counted`.
void take_counted(const ConfEntry& entry, const ResolveInput& input, std::vector<Wanted>& out,
                  std::vector<CountedSet>& counted, Notices& notices);

// The counted instance `instance` of the service's counted entries, if one of them names it;
// an error when its number is above the entry's count.
std::optional<Wanted> counted_instance(const std::string& service, const std::string& instance,
                                       const ResolveInput& input);

// Command line > run.conf instance_type > the instance's name > standard.
InstanceType choose_type(const Wanted& w, const Overrides& overrides, const std::string& who,
                         Notices& notices);

// A link target candidate: planned by this command, observed running, or both.
struct LinkCandidate {
  std::string service;
  std::string instance;
  bool planned = false;
  bool running = false;
  std::string ip; // observed address on the project network
};

// Planned instances first, in run.conf order, then the running ones.
std::vector<LinkCandidate> link_candidates(const std::vector<Wanted>& wanted,
                                           const std::vector<RunningInstance>& running);

// A variable declared for the instance before resolution.
struct Declared {
  std::optional<std::string> value; // nullopt = required
  EnvSource source = EnvSource::run_conf;
  std::string detail; // "run.conf:12", "services/x/required_env_vars.json"
  std::string pending_link_container;
  std::string reason; // " for a master instance": appended to "X is required"
};

// Applies environment > host.conf > declared, from_<iface>, required checks,
// and the built-ins (which win, with a warning when shadowed).
std::map<std::string, EnvValue> resolve_env(const std::string& who,
                                            const std::map<std::string, std::string>& builtins,
                                            const std::map<std::string, Declared>& declared,
                                            const ResolveInput& input, Notices& notices);

// Published ports: image ExposedPorts (or Dockerfile EXPOSE), #UDP_EXPOSE,
// #EXPOSE_AS, run.conf "ports", bound to PUBLISH_ON_IP > SERVICE_IP > all.
std::vector<PortMapping> resolve_ports(const ResolvedInstance& instance, const Service* service,
                                       const ImageFacts* image, const ConfEntry* entry,
                                       const std::string& conf_filename);

// run.conf "volumes": $PROJECT_DIR expansion, relative host paths from the project dir.
std::vector<VolumeMount> resolve_volumes(const ConfEntry& entry, const Project& project,
                                         const std::string& conf_filename);

struct LinkScope {
  const ResolveInput& input;
  const std::vector<LinkCandidate>& candidates;
  std::string dns_ip; // the DNS's pinned address; empty = no DNS in the project
};

// Resolves run.conf "links" of one instance: the target container (running
// ones first), <ALIAS>_SERVICE_IP as a declared variable, and remote services
// whose address the environment or host.conf supplies.
void resolve_links(ResolvedInstance& r, const ConfEntry& entry, const LinkScope& scope,
                   std::map<std::string, Declared>& declared, Notices& notices);

// 64-bit FNV-1a, as 16 hex digits: a stable hash with no crypto library.
std::string fnv1a_hex(std::string_view text);

} // namespace dockerops::project::detail
