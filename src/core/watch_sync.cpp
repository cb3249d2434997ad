#include "core/watch_sync.hpp"

#include "apply/watch_state.hpp"
#include "base/strings.hpp"
#include "plan/planner.hpp"

#include <algorithm>
#include <cmath>

namespace dockerops::core {

Outcome watch_sync(engine::Engine& engine, LoadedProject& loaded, const ExecOptions& exec,
                   apply::Reporter& reporter, bool dry_run) {
  observe(engine, loaded, false);
  Outcome out;
  out.plan.command = "watch";
  out.plan.project = loaded.project.name;
  add_watches(out.plan, loaded);
  if (out.plan.operations.empty())
    out.plan.notices.push_back("nothing to do: every watcher knows the current members");
  if (!dry_run)
    out.applied = execute(engine, out.plan, loaded, exec, reporter);
  return out;
}

std::string membership_fingerprint(const plan::ObservedState& observed, const std::string& project) {
  std::map<std::string, std::vector<std::string>> members;
  for (const auto& c : observed.containers)
    if (c.label(project::k_label_project) == project && c.is_up() && !c.ip.empty())
      members[c.label(project::k_label_service)].push_back(c.ip);
  std::vector<std::string> parts;
  parts.reserve(members.size());
  for (auto& [service, addresses] : members)
    parts.push_back(service + "=" + strings::join(plan::sorted_addresses(addresses), ","));
  return strings::join(parts, ";");
}

void WatchPacing::observe(const std::string& fingerprint, double now) {
  if (!m_any || fingerprint != m_seen) {
    m_seen = fingerprint;
    m_seen_since = now;
  }
  m_any = true;
}

bool WatchPacing::due(double now) const {
  if (!m_any)
    return false;
  if (m_failures > 0)
    return now >= m_retry_at && now - m_seen_since >= m_quiet;
  return m_seen != m_delivered && now - m_seen_since >= m_quiet;
}

std::optional<double> WatchPacing::next_due() const {
  if (!m_any || (m_failures == 0 && m_seen == m_delivered))
    return std::nullopt;
  double quiet_over = m_seen_since + m_quiet;
  return m_failures > 0 ? std::max(m_retry_at, quiet_over) : quiet_over;
}

void WatchPacing::delivered(bool ok, double now) {
  if (ok) {
    m_delivered = m_seen;
    m_failures = 0;
    return;
  }
  ++m_failures;
  m_retry_at = now + std::min(m_max, m_first * std::pow(2.0, m_failures - 1));
}

} // namespace dockerops::core
