#pragma once

// The run.conf keys of scale and resources (docs/decisions.md 31): cpus, memory,
// memory_reservation and pids. Kept apart from run_conf.cpp's general keys: one concept per file.

#include "project/jsonc.hpp"
#include "project/located.hpp"

#include <cstdint>
#include <optional>
#include <string>
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
};

// The keys read_scale_key() takes, for "did you mean".
const std::vector<std::string>& scale_conf_keys();

// Reads `key` of an entry into `scale` when it is one of scale_conf_keys(); false otherwise.
// Throws a config Error "FILE:LINE: ..." naming the key for a value that does not parse or is out of
// range.
bool read_scale_key(ConfScale& scale, const std::string& key, const JsonValue& value,
                    const std::string& filename);

// Checks between keys of one entry (memory_reservation at most memory), once all are read.
void check_scale(const ConfScale& scale, const std::string& filename);

} // namespace dockerops::project
