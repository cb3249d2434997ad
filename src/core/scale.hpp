#pragma once

// scale:SERVICE=N: sets the count of a counted run.conf entry at runtime (docs/decisions.md 31) and
// makes the project match it: new instances are created, registered in the DNS and waited for;
// instances above the count go, highest number first, out of the DNS before they stop. The count
// is kept in .dockerops/scale.json, so run:all keeps it (compose's `up --scale`, made durable) until
// the run conf's own "instances" changes.

#include "core/execute.hpp"

#include <optional>
#include <string>

namespace dockerops::core {

// What scale() is asked for.
struct ScaleOptions {
  std::string service;
  std::optional<std::string> prefix; // which counted entry of the service; needed when it has several
  int instances = 0;
  bool dry_run = false;     // plan only: nothing is stored or changed
  bool no_wait = false;     // no readiness waits for the new instances
  std::string reason{};     // why, when not a person's command: the autoscaler's decision, shown in the plan
  std::string by = "scale"; // who asks, for .dockerops/intent.json ("scale", "autoscale")
  ExecOptions exec;
};

// The counted entry scale acts on: the service's one counted entry (or the one with `prefix`). A
// service without one, an unknown service and a count out of 1..250 are config/usage Errors that
// say what to write.
const project::ConfEntry& counted_entry(const LoadedProject& loaded, const std::string& command,
                                        const std::string& service, const std::optional<std::string>& prefix);

// Observes, plans the scale (plan header "scale", a notice "web: 3 -> 5 instances"), and unless
// dry_run stores the count and the user's intent (new instances "running", the ones above the count
// "removed", so that the agent's keep-alive does not bring them back), then executes the plan.
Outcome scale(engine::Engine& engine, LoadedProject& loaded, const ScaleOptions& options,
              apply::Reporter& reporter);

} // namespace dockerops::core
