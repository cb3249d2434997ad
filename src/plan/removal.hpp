#pragma once

// Taking one observed container out of service, in the order that lets its clients go first
// (issue 15 item 3): dns-deregister, then drain, then stop, then remove. Used by scale-in (plan_run) and by
// stop and clean.

#include "plan/observed.hpp"
#include "plan/plan.hpp"

#include <string>
#include <vector>

namespace dockerops::plan::detail {

// How one container is taken out.
struct RemovalSteps {
  bool deregister = false; // a running container leaves the DNS first
  std::string dns_server;  // where the deregistration goes (may be unknown: apply then skips it)
  std::string zone;        // the project zone
  int drain = 0;           // seconds between the deregistration and the stop (0: none)
  bool remove = true;      // false: stop only
  bool best_effort = true; // a DNS that does not answer is a warning: the container goes anyway
  std::vector<int> after;  // what the first step waits for
  std::string cause;       // why it goes ("scale-in: ..."); "" = "running", then "stopped"
};

// Appends the steps of `c` to `plan` (ids continue the plan's) and returns the id of the last one,
// or 0 when there was nothing to do.
int add_removal(Plan& plan, const ObservedContainer& c, const RemovalSteps& steps);

// The drain period of an observed container: its dockerops.drain label (run.conf "drain" when it was
// created), else the TTL its records were registered with (project::k_record_ttl).
int drain_of(const ObservedContainer& c);

// The instances of a counted entry numbered above its count, observed by their labels
// (dockerops.instance-prefix, dockerops.instance-number), highest number first.
std::vector<const ObservedContainer*> beyond_count(const ObservedState& observed, const std::string& project,
                                                   const project::CountedSet& set);

} // namespace dockerops::plan::detail
