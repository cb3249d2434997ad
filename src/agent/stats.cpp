#include "agent/stats.hpp"

#include "base/error.hpp"
#include "base/log.hpp"
#include "engine/engine.hpp"

#include <set>

namespace dockerops::agent {

double cpu_percent(std::uint64_t previous_ns, std::uint64_t current_ns, std::chrono::nanoseconds elapsed) {
  if (elapsed.count() <= 0 || current_ns < previous_ns)
    return 0.0;
  return 100.0 * static_cast<double>(current_ns - previous_ns) / static_cast<double>(elapsed.count());
}

StatsSampler::StatsSampler(engine::Engine& engine, CgroupReader reader, std::size_t history)
    : m_engine(engine), m_reader(std::move(reader)), m_history_size(history) {}

std::vector<InstanceStats> StatsSampler::sample(const std::vector<SampleTarget>& targets,
                                                std::chrono::steady_clock::time_point now) {
  std::vector<InstanceStats> result;
  std::set<std::string> seen;
  for (const auto& target : targets) {
    InstanceStats stats{target.service, target.instance, target.container_id};
    std::optional<CounterSample> counters = m_reader.read(target.container_id);
    if (counters) {
      stats.source = "cgroup";
    } else {
      try {
        engine::ContainerStats engine_stats = m_engine.stats(target.container_id);
        counters =
            CounterSample{engine_stats.cpu_total_ns, engine_stats.memory_bytes, engine_stats.memory_limit};
        stats.source = "engine";
      } catch (const Error& e) {
        if (e.kind() == ErrorKind::interrupted)
          throw;
        log::debug("agent: no stats for {}/{}: {}", target.service, target.instance, e.what());
      }
    }
    if (counters) {
      stats.memory_bytes = counters->memory_bytes;
      stats.memory_limit = counters->memory_limit;
      auto previous = m_previous.find(target.container_id);
      if (previous != m_previous.end())
        stats.cpu_percent = cpu_percent(previous->second.cpu_ns, counters->cpu_ns, now - previous->second.at);
      m_previous[target.container_id] = {counters->cpu_ns, now};
    }
    seen.insert(target.container_id);
    auto& ring = m_history[target.service + "/" + target.instance];
    ring.push_back(stats);
    while (ring.size() > m_history_size)
      ring.pop_front();
    result.push_back(std::move(stats));
  }
  // Containers that are gone: forget their counters (a new container starts from zero).
  for (auto it = m_previous.begin(); it != m_previous.end();) {
    if (seen.count(it->first) == 0) {
      m_reader.forget(it->first);
      it = m_previous.erase(it);
    } else {
      ++it;
    }
  }
  return result;
}

std::vector<InstanceStats> StatsSampler::history(const std::string& service,
                                                 const std::string& instance) const {
  auto it = m_history.find(service + "/" + instance);
  if (it == m_history.end())
    return {};
  return {it->second.begin(), it->second.end()};
}

} // namespace dockerops::agent
