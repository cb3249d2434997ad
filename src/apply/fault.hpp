#pragma once

#include <atomic>
#include <optional>

namespace dockerops::apply {

// Fault injection for "killed in the middle" tests (docs/decisions.md 25): with
// DOCKEROPS_FAIL_AFTER_OPS=N, the process ends abruptly (exit 137, no rollback, no
// cleanup, as a SIGKILL would) once N engine-writing operations have completed.
class FaultInjector {
public:
  // Reads DOCKEROPS_FAIL_AFTER_OPS; absent or empty = never.
  static FaultInjector from_environment();

  explicit FaultInjector(std::optional<int> limit = std::nullopt) : m_limit(limit) {}

  // Called after each completed operation; ends the process when the limit is reached.
  void operation_done();

  // How many operations completed so far.
  int count() const { return m_count.load(); }

private:
  std::optional<int> m_limit;
  std::atomic<int> m_count{0};
};

} // namespace dockerops::apply
