#pragma once

// Internal steps of resolve(), one concept per file: env.cpp, ports.cpp,
// volumes.cpp. Not for use outside project/.

#include <string>
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

// 64-bit FNV-1a, as 16 hex digits: a stable hash with no crypto library.
std::string fnv1a_hex(std::string_view text);

} // namespace dockerops::project::detail
