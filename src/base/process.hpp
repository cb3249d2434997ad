#pragma once

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

// True when `name` is an executable on PATH (or a path to one).
bool on_path(const std::string& name);

} // namespace dockerops::process
