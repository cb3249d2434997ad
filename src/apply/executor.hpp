#pragma once

#include "apply/dns_retry.hpp"
#include "apply/fault.hpp"
#include "apply/registrar.hpp"
#include "apply/reporter.hpp"
#include "engine/engine.hpp"
#include "images/build_service.hpp"
#include "plan/plan.hpp"

#include <map>
#include <string>
#include <vector>

namespace dockerops::apply {

// How a plan is executed.
struct ApplyOptions {
  int jobs = 32; // daemon-heavy operations at once (create, start, remove, build, ...), as --jobs
  // Operations that mostly wait (stop, readiness, sleep, DNS updates, keep) may run besides
  // those, up to this many: a stop waiting out a grace period must not hold up a start.
  // 0 = they share the `jobs` slots (--jobs 1 runs everything one at a time).
  int waiting_jobs = 32;
  int build_jobs = 2;              // image builds at once (each already keeps the daemon busy)
  bool verbose_builds = false;     // the daemon's whole build output instead of one line per step
  images::BuiltinOptions builtins; // how a missing built-in image is made
  engine::Labels extra_labels;     // added to every container and network created
  Registrar* registrar = nullptr;  // empty = DNS steps are skipped (the server is in each operation)
  DnsRetryPolicy dns_retry;        // how long a DNS update is retried while dnsd starts
  int stop_timeout = 10;           // seconds before SIGKILL
  FaultInjector* faults = nullptr; // DOCKEROPS_FAIL_AFTER_OPS
  bool rollback = true;            // remove what this run created when an operation fails
  // "service/instance" by container name, for progress lines of operations on observed
  // containers (stop, remove, start); the container name is shown otherwise.
  std::map<std::string, std::string> display_names;
  // Where progress goes ("demo/one: started"); nullptr = nowhere.
  Reporter* reporter = nullptr;
};

// What happened.
struct ApplyResult {
  std::vector<images::BuiltImage> built; // service images this run built, in completion order
  std::vector<std::string> created;      // containers this run created (names)
  bool interactive = false;              // an interactive instance ran attached
  int interactive_exit = 0;              // its exit code
  // Watch deliveries that failed (reported as warnings, never fatal): "lb/main web EXIT".
  std::vector<std::string> watch_failures;
};

// Walks the plan (compose's executor): each operation starts once those it comes `after` are
// done, up to `jobs` daemon-heavy ones at once plus up to `waiting_jobs` waiting ones. On the first failure
// no new operation starts, running ones finish, the containers this run created are removed (rollback) and
// the error is rethrown with what was rolled back. Every step is idempotent so a run killed half-way
// converges when repeated: a leftover container with our labels and the same name is replaced; a foreign one
// is a conflict.
ApplyResult apply_plan(engine::Engine& engine, const plan::Plan& plan, const ApplyOptions& options);

} // namespace dockerops::apply
