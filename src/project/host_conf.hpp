#pragma once

// host.conf: saved env values and last_conf (docs/compatibility.md §hostconf), a JSON object with
// '#' comment lines allowed, at the project root (docs/decisions.md 2).

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace dockerops::project {

// A host setting with the line it came from, for messages ("host.conf:3:").
struct HostSetting {
  std::string value;
  int line = 0;
};

// The parsed host.conf.
struct HostConf {
  std::optional<std::string> last_conf;
  std::map<std::string, std::string> values; // saved variable values
  // dockerops' own settings (docs/decisions.md 33), never container variables: "orchestrator"
  // ("docker" or "swarm") and "registry" ("host:port" of an existing registry on a swarm).
  std::optional<HostSetting> orchestrator;
  std::optional<HostSetting> registry;
};

// Parses host.conf text; an empty text is an empty HostConf.
HostConf parse_host_conf(std::string_view text, const std::string& filename);

// Serializes (pretty JSON, sorted keys) for fs::write_file_atomic.
std::string to_json_text(const HostConf& conf);

} // namespace dockerops::project
