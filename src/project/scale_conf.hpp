#pragma once

// The run.conf keys of scale and resources (docs/decisions.md 31): cpus, memory,
// memory_reservation, pids, instances, drain and autoscale. Kept apart from run_conf.cpp's general keys: one
// concept per file.

#include "project/autoscale_conf.hpp"
#include "project/jsonc.hpp"
#include "project/located.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockerops::project {

// Resource limits as written (checked: each parses and is in range).
struct ConfResources {
  std::optional<Located<double>> cpus;
  std::optional<Located<std::int64_t>> memory, memory_reservation, pids;
};

// The scale and resource keys of one run.conf entry.
struct ConfScale {
  ConfResources resources;
  std::optional<Located<int>> instances;  // counted instances (project/counted.hpp)
  std::optional<Located<int>> drain;      // seconds from the DNS deregistration to the stop
  std::optional<AutoscaleSpec> autoscale; // the agent scales the entry (project/autoscale_conf.hpp)
};

// The number of `instance` when it is "<prefix><N>" with N a decimal from 1 without leading
// zeros; nullopt otherwise (counted instances are named <prefix>1 ... <prefix>N).
std::optional<int> counted_number(std::string_view prefix, std::string_view instance);

// What check_counted_names() needs of one run.conf entry.
struct EntryName {
  std::string service;
  std::optional<std::string> instance; // the name, or the counted entry's prefix
  bool counted = false;
  int line = 0;
  int hostname_line = 0; // 0 = no "hostname"
};

// Checks the counted entries of a whole run conf: no named instance and no other counted entry of
// the same service can take one of their names (web/w3 beside "instance": "w", "instances": N), and
// none has a "hostname" (each instance registers its own name). Throws "FILE:LINE: ..." Errors.
void check_counted_names(const std::vector<EntryName>& entries, const std::string& filename);

// The keys read_scale_key() takes, for "did you mean".
const std::vector<std::string>& scale_conf_keys();

// Reads `key` of an entry into `scale` when it is one of scale_conf_keys(); false otherwise.
// Throws a config Error "FILE:LINE: ..." naming the key for a value that does not parse or is out of
// range.
bool read_scale_key(ConfScale& scale, const std::string& key, const JsonValue& value,
                    const std::string& filename);

// Checks between keys of one entry, once all are read: memory_reservation at most memory, "instances"
// within autoscale's min..max, a memory limit for autoscale's metric memory.
void check_scale(const ConfScale& scale, const std::string& filename);

} // namespace dockerops::project
