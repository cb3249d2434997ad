#pragma once

// run.conf: a JSON array of objects with '#' comment lines, parsed into plain
// structs that remember the line of every value, so that later checks can say
// "run.conf:12: ...".

#include "project/located.hpp"
#include "project/scale_conf.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockerops::project {

// One link as written: "svc-inst:alias" or {"name","service","instance"|null}.
struct ConfLink {
  std::string alias;
  std::string service;                 // may end in '*' (prefix wildcard)
  std::optional<std::string> instance; // nullopt = any instance (deterministic choice)
  int line = 0;
};

// One env_vars item; a null value means "required: must come from outside".
struct ConfEnvVar {
  std::string name;
  std::optional<std::string> value;
  int line = 0;
};

// One entry of the run conf array. Optional fields are absent in the file.
struct ConfEntry {
  int line = 0; // line of the opening '{'
  Located<std::string> service;
  std::optional<Located<std::string>> instance; // null or absent = random name
  std::optional<Located<std::string>> instance_type;
  std::optional<Located<std::string>> group;
  std::optional<Located<int>> sleep;
  std::vector<ConfLink> links;
  std::vector<ConfEnvVar> env_vars;
  std::optional<Located<bool>> publish_ports, persistent_data, persistent_opt, persistent_log, nethost,
      linked, safemode, interactive, ssh_keys, autorun, wait;
  std::optional<Located<std::string>> hostname;
  std::optional<Located<std::string>> seed_command;
  std::vector<Located<std::string>> volumes; // "HOST:CONTAINER[:MODE]", unexpanded
  std::vector<Located<std::string>> ports;   // "[IP:]HOST:CONTAINER[/PROTO]"
  std::optional<Located<int>> ready_timeout;
  std::vector<Located<std::string>> watches;   // services whose membership this instance is told of
  ConfScale scale;                             // cpus, memory, memory_reservation, pids (scale_conf.hpp)
  std::optional<Located<std::string>> restart; // "no", "on-failure" or "always" (checked here)
};

// A parsed run conf.
struct RunConf {
  std::string filename; // "run.conf", used in messages and the dockerops.conf label
  int line = 1;         // where the list starts, for messages about the whole list
  std::vector<ConfEntry> entries;
};

// Size caps, checked before anything else so that a huge file is refused at once
// (the LIMITS section of man/dockerops-run.conf.5.scd): bytes of the file, entries of the list.
inline constexpr std::size_t k_max_run_conf_bytes = std::size_t{1024} * 1024;
inline constexpr std::size_t k_max_run_conf_entries = 1000;

// Throws the config Error for a run conf of more than k_max_run_conf_bytes.
void check_run_conf_size(std::uintmax_t bytes, const std::string& filename);

// Parses run conf text; throws a config Error "FILE:LINE: message" for invalid
// JSON, unknown keys (with did-you-mean), wrong types and duplicate (service,
// instance) pairs.
RunConf parse_run_conf(std::string_view text, const std::string& filename);

// The keys a run conf entry accepts, for did-you-mean.
const std::vector<std::string>& run_conf_keys();

} // namespace dockerops::project
