#pragma once

#include "core/execute.hpp"

namespace dockerops::cli {

class Arguments;
class Context;

// The execution options every changing command shares: --jobs, timeout= (stops), -v builds.
core::ExecOptions exec_options(const Context& context, const Arguments& args);

// Prints an Outcome's plan (--dry-run) and returns true, else returns false.
bool print_if_dry_run(const Context& context, const core::Outcome& outcome);

} // namespace dockerops::cli
