#pragma once

// Counted instances (docs/decisions.md 31): a run.conf entry with "instances": N stands for N
// instances named <instance>1 ... <instance>N (compose's service replicas, with dockerops' names:
// {"service": "web", "instance": "w", "instances": 3} gives web/w1, web/w2, web/w3). The count can
// be changed at runtime (scale:web=5); the runtime counts live in .dockerops/scale.json and run:all
// respects them, as `docker compose up --scale` does for one invocation, until the run conf's own
// count changes. Pure: the file's text in, the file's text out.

#include "project/run_conf.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockerops::project {

// True when the entry has "instances" (or "autoscale", which implies it).
bool is_counted(const ConfEntry& entry);

// The name prefix of a counted entry: its "instance", "" when it has none (names "1", "2", ...).
std::string counted_prefix(const ConfEntry& entry);

// "<prefix><number>".
std::string counted_name(std::string_view prefix, int number);

// The key of a counted entry in the runtime counts: "web/w".
std::string scale_key(std::string_view service, std::string_view prefix);

// One runtime count: what scale set, and the run conf's count when it did, so that an edit of the
// run conf's "instances" wins over an older runtime count.
struct RuntimeCount {
  int instances = 0;
  int declared = 0;
};

// The runtime counts by scale_key().
using RuntimeCounts = std::map<std::string, RuntimeCount>;

// .dockerops/scale.json: {"web/w": {"instances": 5, "declared": 3}, ...}. A file that does not
// parse is a config Error naming it; unknown members are ignored.
RuntimeCounts parse_runtime_counts(std::string_view text, const std::string& filename);
std::string format_runtime_counts(const RuntimeCounts& counts);

// The count of a counted entry: the runtime count when one is stored and the run conf's count
// has not changed since, else the run conf's ("instances", else autoscale's "min"). When a stored
// count is dropped because the run conf changed, `dropped` (if given) says so for the user.
int effective_count(const ConfEntry& entry, const RuntimeCounts& counts, std::string* dropped = nullptr);

// The count the run conf itself gives a counted entry.
int declared_count(const ConfEntry& entry);

// True when the observed (service, instance) is one of the entry's counted instances, whatever the count.
bool belongs_to(const ConfEntry& entry, std::string_view service, std::string_view instance);

} // namespace dockerops::project
