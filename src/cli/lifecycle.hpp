#pragma once

#include "cli/project_loader.hpp"
#include "plan/planner.hpp"

namespace dockerops::cli {

class Arguments;
class Context;

// The planner's filter for stop / start / clean from SERVICE, instance and group (a group's
// members come from the run conf entries that name it).
plan::Filter lifecycle_filter(const Arguments& args, const LoadedProject& loaded);

// Removes the project network when no container of the project is left (clean).
void remove_network_if_unused(Context& context, const std::string& project);

// A planner of stop / start / restart (plan::plan_stop and its siblings).
using LifecyclePlanner = plan::Plan (*)(const std::string& project, const plan::ObservedState& observed,
                                        const plan::Filter& filter, const std::string& zone);

// stop / start / restart: plans the instances that SERVICE, instance and group select, then
// --dry-run prints the plan, else it is executed (stops wait `timeout=` seconds, default 10).
int run_lifecycle(Context& context, const Arguments& args, LifecyclePlanner planner);

} // namespace dockerops::cli
