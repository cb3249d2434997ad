#pragma once

// Internal to plan/: the DNS side of the run plan (run_dns.cpp), used by plan_run.cpp.

#include "plan/planner.hpp"

#include <string>
#include <vector>

namespace dockerops::plan::detail {

// The address every instance of the project registers at: the DNS instance's pinned address, else
// the resolver the instances were given (a DNS that runs but is not in the selection).
std::string project_dns_server(const project::ResolvedProject& project);

// A dns-register operation of `r`.
Operation register_op(const project::ResolvedInstance& r, const std::string& zone, std::vector<int> after,
                      std::string cause);

// True when the observed zone lacks a record a running instance at `ip` should have: its own name,
// or (APPEND) its address under the service name (docs/decisions.md 14).
bool records_missing(const ObservedState& observed, const project::ResolvedInstance& r, const std::string& ip,
                     const std::string& zone);

// A new DNS starts with an empty zone unless persistent, and an observed zone may hold records of
// containers that are gone: one dns-sync once everything else in `plan` is done.
void add_dns_sync(Plan& plan, const project::ResolvedProject& project, const ObservedState& observed);

// Appends `sync` (a dns-sync) to `plan` after every operation nothing else waits for.
void append_last(Plan& plan, Operation sync);

} // namespace dockerops::plan::detail
