#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace dockerops::agent {

using Clock = std::chrono::steady_clock;

// Capped exponential back-off for retrying a connection (the Engine event stream): `first`,
// then doubled on each failure up to `cap`; reset() after a success.
class Backoff {
public:
  Backoff(std::chrono::milliseconds first, std::chrono::milliseconds cap) : m_first(first), m_cap(cap) {}

  // The delay before the next attempt; each call doubles the following one.
  std::chrono::milliseconds next();
  void reset() { m_failures = 0; }
  unsigned failures() const { return m_failures; }

private:
  std::chrono::milliseconds m_first;
  std::chrono::milliseconds m_cap;
  unsigned m_failures = 0;
};

// How long to wait before bringing an instance back after its n-th failure in a row: the first
// at once (a kill is answered in a second), then 1 s, 2 s, 4 s... capped at 60 s. A run of
// k_stable_period without failing ends the loop.
std::chrono::milliseconds restart_delay(unsigned consecutive_failures);
inline constexpr std::chrono::seconds k_stable_period{10};
inline constexpr std::chrono::seconds k_restart_delay_cap{60};

// Crash-loop bookkeeping per instance ("service/instance"): failures in a row and when the
// next attempt is allowed (Kubernetes' CrashLoopBackOff, Docker's restart back-off). Pure: the
// caller gives the time.
class CrashLoops {
public:
  // The instance failed at `now`: counts it (a new loop when it had run stably since the last
  // failure) and returns when it may be brought back. `death` names this failure (the container
  // and the time it finished): the same death seen again on the next pass is not counted twice.
  Clock::time_point failed(const std::string& key, const std::string& death, Clock::time_point now);

  // The instance runs, since `since`: after k_stable_period the loop is over.
  void running(const std::string& key, Clock::time_point since, Clock::time_point now);

  // True when this death was counted already.
  bool seen(const std::string& key, const std::string& death) const;

  // Failures in the current loop (0 when none).
  unsigned failures(const std::string& key) const;

  // The time before which the instance must not be brought back, if any.
  std::optional<Clock::time_point> not_before(const std::string& key) const;

  void forget(const std::string& key) { m_loops.erase(key); }

private:
  struct Loop {
    std::set<std::string> deaths{}; // counted already (the loop's, so bounded by its length)
    unsigned failures = 0;
    Clock::time_point last_failure{};
    Clock::time_point not_before{};
  };
  std::map<std::string, Loop> m_loops{};
};

} // namespace dockerops::agent
