#pragma once

// Watch deliveries outside a command (docs/decisions.md 32): what the resident agent calls when it
// sees members change that no command changed (an instance that crashed, or was removed behind
// dockerops' back), and the pacing it delivers with: a quiet period that coalesces changes, and a
// capped exponential back-off after a failed delivery.

#include "core/execute.hpp"

#include <map>
#include <optional>
#include <string>

namespace dockerops::core {

// Observes the project's containers and what each watcher was last told, plans only the watch
// deliveries that differ (plan "watch") and, unless dry_run, executes them.
Outcome watch_sync(engine::Engine& engine, LoadedProject& loaded, const ExecOptions& exec,
                   apply::Reporter& reporter, bool dry_run = false);

// The members of every service of the observed project, as one comparable text
// ("web=172.30.5.3,172.30.5.4;db=..."): what the agent watches for changes.
std::string membership_fingerprint(const plan::ObservedState& observed, const std::string& project);

// When the agent delivers. Pure: times are seconds from any fixed origin.
class WatchPacing {
public:
  explicit WatchPacing(double quiet_seconds = 1.0, double backoff_first = 1.0, double backoff_max = 60.0)
      : m_quiet(quiet_seconds), m_first(backoff_first), m_max(backoff_max) {}

  // The membership observed at `now`.
  void observe(const std::string& fingerprint, double now);
  // Whether to run watch_sync now: the membership has not changed for the quiet period and it was
  // not delivered yet, or the last delivery failed and its back-off (first, 2x, 4x ... max) is over.
  bool due(double now) const;
  // When due() turns true if nothing else is observed meanwhile (nothing: it will not).
  std::optional<double> next_due() const;
  // The outcome of a watch_sync started when due(): `ok` false = some hook failed.
  void delivered(bool ok, double now);

private:
  double m_quiet, m_first, m_max;
  std::string m_seen;      // the last membership observed
  double m_seen_since = 0; // since when it is that
  std::string m_delivered; // the membership last delivered without failure
  bool m_any = false;      // anything observed yet
  int m_failures = 0;
  double m_retry_at = 0;
};

} // namespace dockerops::core
