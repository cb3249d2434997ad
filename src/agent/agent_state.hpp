#pragma once

#include "agent/snapshot.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace dockerops::engine {
struct Event;
}

namespace dockerops::agent {

// What the agent's threads share: the published snapshot, the figures, and the loop's wake-up.
// The loop publishes, the API reads (a shared_ptr swap under a mutex), the Engine watch wakes.
class AgentState {
public:
  explicit AgentState(std::string project);

  std::shared_ptr<const Snapshot> snapshot() const;
  void publish(std::shared_ptr<const Snapshot> snapshot);

  // Asks the loop for a reconcile now (an event said something changed).
  void wake();
  // Waits until woken or `deadline`; returns true when woken (and clears it).
  bool wait_until(std::chrono::steady_clock::time_point deadline);

  std::atomic<std::uint64_t> failures{0};
  std::atomic<std::uint64_t> replacements{0};
  std::atomic<std::uint64_t> relocations{0};
  const std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

private:
  mutable std::mutex m_mutex{};
  std::shared_ptr<const Snapshot> m_snapshot{};
  std::condition_variable m_cv{};
  bool m_woken = false;
};

// The engine actions the agent records and reacts to; the rest (exec_*, attach, resize, top...,
// which health checks emit every few seconds) are ignored.
bool is_notable_action(const std::string& action);

} // namespace dockerops::agent
