#pragma once

#include "core/lifecycle.hpp"

namespace dockerops::cli {

class Arguments;
class Context;

// stop / start / restart / clean: loads and observes the project, builds the filter from SERVICE,
// instance and group, calls core::lifecycle, and prints the plan with --dry-run (stops wait
// `timeout=` seconds, default 10). Returns the command's exit code.
int run_lifecycle(Context& context, const Arguments& args, core::Lifecycle action);

} // namespace dockerops::cli
