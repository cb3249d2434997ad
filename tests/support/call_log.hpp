#pragma once

// The record of mutating calls shared by the fakes (fake_engine.hpp, fake_swarm.hpp): each call
// appends one line ("start demo-web-one"); a test reads them with calls() and makes a line fail with
// fail_on(line, kind, message). Thread-safe on its own lock, so a fake may record while holding its own.

#include "base/error.hpp"

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace dockerops::engine::testing {

class CallLog {
public:
  std::vector<std::string> calls() const {
    std::lock_guard lock(m_log_mutex);
    return m_calls;
  }
  void clear_calls() {
    std::lock_guard lock(m_log_mutex);
    m_calls.clear();
  }
  void fail_on(const std::string& call_line, ErrorKind kind, const std::string& message) {
    std::lock_guard lock(m_log_mutex);
    m_failures.insert_or_assign(call_line, Error(kind, message));
  }

protected:
  // Appends the line, then throws the failure injected for it, if any.
  void record(const std::string& line) {
    std::lock_guard lock(m_log_mutex);
    m_calls.push_back(line);
    if (auto it = m_failures.find(line); it != m_failures.end())
      throw it->second;
  }

private:
  mutable std::mutex m_log_mutex;
  std::vector<std::string> m_calls;
  std::map<std::string, Error> m_failures;
};

} // namespace dockerops::engine::testing
