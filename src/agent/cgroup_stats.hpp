#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace dockerops::agent {

// The counters of one container at one moment.
struct CounterSample {
  std::uint64_t cpu_ns = 0;                   // CPU time used since the container started
  std::int64_t memory_bytes = 0;              // usage without the inactive file cache (as docker stats)
  std::optional<std::int64_t> memory_limit{}; // none when unlimited
};

// Reads containers' CPU and memory counters straight from the cgroup filesystem: a few small
// files per container, no Engine API call (which costs a daemon round trip and a second of
// sampling per container). Knows cgroup v1 (cpuacct and memory controllers) and v2 (unified),
// and both cgroup drivers' layouts (cgroupfs: docker/<id>, systemd: system.slice/docker-<id>.scope).
// The agent in a container reads the host's hierarchy mounted read-only (DOCKEROPS_CGROUP_ROOT).
class CgroupReader {
public:
  explicit CgroupReader(std::filesystem::path root = "/sys/fs/cgroup");

  // The container's counters, or nullopt when its cgroup is not visible here (a remote daemon,
  // another layout): the caller falls back to the Engine API.
  std::optional<CounterSample> read(const std::string& container_id);

  // Forgets the folders found for containers that are gone.
  void forget(const std::string& container_id);

  bool unified() const { return m_unified; }

private:
  struct Folders {
    std::filesystem::path cpu;    // holds cpuacct.usage (v1) or cpu.stat (v2)
    std::filesystem::path memory; // holds memory.usage_in_bytes (v1) or memory.current (v2)
  };
  std::optional<Folders> locate(const std::string& container_id) const;

  std::filesystem::path m_root;
  bool m_unified = false;
  std::map<std::string, Folders> m_found{};
};

// Parsers of the cgroup files' formats, for tests: "key value" lines (memory.stat, cpu.stat) and
// a single number or "max".
std::optional<std::int64_t> stat_value(const std::string& text, const std::string& key);
std::optional<std::int64_t> single_value(const std::string& text);

} // namespace dockerops::agent
