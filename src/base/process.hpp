#pragma once

#include <functional>
#include <string>
#include <vector>

namespace dockerops::process {

// Runs a program (never through a shell: arguments stay arguments) and waits.
// stdio is inherited unless `capture` is set, then stdout is returned in
// `output` and stderr is inherited. Returns the exit status, 128+signal when
// killed, and throws an io Error when the program cannot be started.
struct Result {
  int status = 0;
  std::string output;
};
Result run(const std::vector<std::string>& argv, bool capture = false);

// Runs a program with stdout and stderr merged into one pipe and hands each
// line (without its newline) to `on_line` as it arrives; returns the exit
// status as run() does. For showing a long tool's progress (debootstrap).
int run_lines(const std::vector<std::string>& argv, const std::function<void(const std::string&)>& on_line);

// True when `name` is an executable on PATH (or a path to one).
bool on_path(const std::string& name);

} // namespace dockerops::process
