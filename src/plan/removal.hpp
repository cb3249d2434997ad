#pragma once

// Taking one observed container out of service, in the order that lets its clients go first
// (issue 15 item 3): dns-deregister, then stop, then remove. Used by scale-in (plan_run) and by
// stop and clean.

#include "plan/observed.hpp"
#include "plan/plan.hpp"

#include <string>
#include <vector>

namespace dockerops::plan::detail {

// How one container is taken out.
struct RemovalSteps {
  std::string dns_server;  // where to deregister it; "" = no deregistration (or it is not running)
  std::string zone;        // the project zone
  bool remove = true;      // false: stop only
  bool best_effort = true; // a DNS that does not answer is a warning: the container goes anyway
  std::vector<int> after;  // what the first step waits for
  std::string cause;       // why it goes ("scale-in: ..."); "" = "running", then "stopped"
};

// Appends the steps of `c` to `plan` (ids continue the plan's) and returns the id of the last one,
// or 0 when there was nothing to do.
int add_removal(Plan& plan, const ObservedContainer& c, const RemovalSteps& steps);

// The instances of a counted entry numbered above its count, observed by their labels
// (dockerops.instance-prefix, dockerops.instance-number), highest number first.
std::vector<const ObservedContainer*> beyond_count(const ObservedState& observed, const std::string& project,
                                                   const project::CountedSet& set);

} // namespace dockerops::plan::detail
