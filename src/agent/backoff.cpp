#include "agent/backoff.hpp"

#include <algorithm>

namespace dockerops::agent {

std::chrono::milliseconds Backoff::next() {
  auto delay = m_first;
  for (unsigned i = 0; i < m_failures && delay < m_cap; ++i)
    delay *= 2;
  ++m_failures;
  return std::min(delay, m_cap);
}

std::chrono::milliseconds restart_delay(unsigned consecutive_failures) {
  if (consecutive_failures <= 1)
    return std::chrono::milliseconds(0);
  std::chrono::milliseconds delay(1000);
  for (unsigned i = 2; i < consecutive_failures && delay < k_restart_delay_cap; ++i)
    delay *= 2;
  return std::min<std::chrono::milliseconds>(delay, k_restart_delay_cap);
}

Clock::time_point CrashLoops::failed(const std::string& key, const std::string& death,
                                     Clock::time_point now) {
  Loop& loop = m_loops[key];
  if (!death.empty() && loop.deaths.count(death))
    return loop.not_before;
  // A failure long after the previous one (the instance ran stably in between) starts over.
  if (loop.failures > 0 && now - loop.last_failure > k_stable_period + restart_delay(loop.failures)) {
    loop.failures = 0;
    loop.deaths.clear();
  }
  loop.deaths.insert(death);
  ++loop.failures;
  loop.last_failure = now;
  loop.not_before = now + restart_delay(loop.failures);
  return loop.not_before;
}

void CrashLoops::running(const std::string& key, Clock::time_point since, Clock::time_point now) {
  auto it = m_loops.find(key);
  if (it != m_loops.end() && since >= it->second.last_failure && now - since >= k_stable_period)
    m_loops.erase(it);
}

bool CrashLoops::seen(const std::string& key, const std::string& death) const {
  auto it = m_loops.find(key);
  return it != m_loops.end() && it->second.deaths.count(death) > 0;
}

unsigned CrashLoops::failures(const std::string& key) const {
  auto it = m_loops.find(key);
  return it == m_loops.end() ? 0 : it->second.failures;
}

std::optional<Clock::time_point> CrashLoops::not_before(const std::string& key) const {
  auto it = m_loops.find(key);
  if (it == m_loops.end())
    return std::nullopt;
  return it->second.not_before;
}

} // namespace dockerops::agent
