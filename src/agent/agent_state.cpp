#include "agent/agent_state.hpp"

namespace dockerops::agent {

AgentState::AgentState(std::string project) {
  auto empty = std::make_shared<Snapshot>();
  empty->project = std::move(project);
  m_snapshot = empty;
}

std::shared_ptr<const Snapshot> AgentState::snapshot() const {
  std::lock_guard lock(m_mutex);
  return m_snapshot;
}

void AgentState::publish(std::shared_ptr<const Snapshot> snapshot) {
  std::lock_guard lock(m_mutex);
  m_snapshot = std::move(snapshot);
}

void AgentState::wake() {
  {
    std::lock_guard lock(m_mutex);
    m_woken = true;
  }
  m_cv.notify_all();
}

bool AgentState::wait_until(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(m_mutex);
  m_cv.wait_until(lock, deadline, [this] { return m_woken; });
  bool woken = m_woken;
  m_woken = false;
  return woken;
}

bool is_notable_action(const std::string& action) {
  static const std::set<std::string> k_actions = {"create", "start", "restart", "die",   "kill",
                                                  "stop",   "oom",   "destroy", "pause", "unpause"};
  return k_actions.count(action) > 0 || action.rfind("health_status", 0) == 0;
}

} // namespace dockerops::agent
