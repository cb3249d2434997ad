#pragma once

#include "agent/cgroup_stats.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dockerops::engine {
class Engine;
}

namespace dockerops::agent {

// One instance's figures from one sampling pass.
struct InstanceStats {
  std::string service{};
  std::string instance{};
  std::string container_id{};
  std::optional<double> cpu_percent{};        // of one core, over the last interval (none on the first pass)
  std::optional<std::int64_t> memory_bytes{}; // without the inactive file cache
  std::optional<std::int64_t> memory_limit{}; // none when unlimited
  std::string source{};                       // "cgroup", "engine", or "" when unavailable
};

// A running container to sample.
struct SampleTarget {
  std::string service;
  std::string instance;
  std::string container_id;
};

// CPU % of one core between two counter readings (0 when the clock did not move or the counter
// went back, e.g. a new container behind the same name).
double cpu_percent(std::uint64_t previous_ns, std::uint64_t current_ns, std::chrono::nanoseconds elapsed);

// Samples every running instance in one pass: cgroup counters where the hierarchy is visible
// (a few file reads per container), else one Engine API call per container; CPU % from the
// difference with the previous pass. Keeps a bounded history per instance (autoscaling reads it).
// Called by one thread.
class StatsSampler {
public:
  StatsSampler(engine::Engine& engine, CgroupReader reader, std::size_t history = 120);

  std::vector<InstanceStats>
  sample(const std::vector<SampleTarget>& targets,
         std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

  // The last samples of an instance, oldest first.
  std::vector<InstanceStats> history(const std::string& service, const std::string& instance) const;

private:
  struct Previous {
    std::uint64_t cpu_ns = 0;
    std::chrono::steady_clock::time_point at{};
  };

  engine::Engine& m_engine;
  CgroupReader m_reader;
  std::size_t m_history_size;
  std::map<std::string, Previous> m_previous{};                 // by container id
  std::map<std::string, std::deque<InstanceStats>> m_history{}; // by "service/instance"
};

} // namespace dockerops::agent
