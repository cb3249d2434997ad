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

// Runs a stop / start plan: --dry-run prints it, else it is executed.
int run_simple_plan(Context& context, const plan::Plan& plan, const LoadedProject& loaded,
                    int stop_timeout = 10);

} // namespace dockerops::cli
