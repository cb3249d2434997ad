#pragma once

// Resource limits of an instance, as compose's deploy.resources maps them onto the Engine API's
// HostConfig (docs/decisions.md 31): cpus -> NanoCpus, memory -> Memory, memory_reservation ->
// MemoryReservation, pids -> PidsLimit. Pure values and their text forms; nothing here does I/O.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace dockerops::project {

// The limits of one instance; 0 means "not set" (the daemon's default: unlimited).
struct Resources {
  double cpus = 0;                     // CPUs (0.5 = half of one core)
  std::int64_t memory = 0;             // bytes
  std::int64_t memory_reservation = 0; // bytes (a soft limit)
  std::int64_t pids = 0;               // processes

  bool empty() const { return cpus == 0 && memory == 0 && memory_reservation == 0 && pids == 0; }
  // HostConfig.NanoCpus: CPUs x 10^9.
  std::int64_t nano_cpus() const;
  bool operator==(const Resources&) const = default;
};

// The Engine refuses a memory limit under 6 MiB (HostConfig.Memory).
inline constexpr std::int64_t k_min_memory = 6 * 1024 * 1024;

// A byte size as compose and `docker run --memory` write it: a whole number of bytes, or a number
// with a unit b, k, m, g or t (powers of 1024, any case, an optional "b"/"ib" after the unit):
// "256m", "1g", "1.5GiB", "1048576". nullopt when it does not parse or overflows.
std::optional<std::int64_t> parse_byte_size(std::string_view text);

// The shortest exact form of a byte size: "256m", "1g", "1536k", else the bytes.
std::string fmt_byte_size(std::int64_t bytes);

// CPUs with no trailing zeros: "0.5", "2".
std::string fmt_cpus(double cpus);

// "cpus 0.5, memory 256m, pids 100" for --dry-run and info; "" when empty.
std::string describe(const Resources& resources);

// The labels that carry the limits on a container (dockerops.cpus, dockerops.memory,
// dockerops.memory-reservation, dockerops.pids, each only when set), so that ps --json and the
// agent read them without an inspect per container.
std::map<std::string, std::string> resource_labels(const Resources& resources);

// The limits from a container's labels (resource_labels' inverse; unreadable values count as unset).
Resources resources_from_labels(const std::map<std::string, std::string>& labels);

// {"cpus", "memory", "memory_reservation", "pids"}, each null when unset (ps --json, info --json and
// the agent's state).
nlohmann::json resources_json(const Resources& resources);

inline constexpr std::string_view k_label_cpus = "dockerops.cpus";
inline constexpr std::string_view k_label_memory = "dockerops.memory";
inline constexpr std::string_view k_label_memory_reservation = "dockerops.memory-reservation";
inline constexpr std::string_view k_label_pids = "dockerops.pids";

} // namespace dockerops::project
