#pragma once

#include "cli/command_spec.hpp"

#include <string>
#include <utility>
#include <vector>

namespace dockerops::cli {

// One command of a command line, as written: `run:demo,instance=one` or
// `run demo --instance one` both give {run, [demo], [(instance, one)]}.
struct Invocation {
  std::string command;
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> keys; // normalized names (instance_type)
  std::vector<std::string> passthrough;                  // what followed "--"
};

// Splits the words left after global options into invocations, following the
// original grammar `CMD[:ARG[,KEY=VALUE...]]` (with `\,` escaping a comma) and
// the flag form. A bare word starts a new command when it names one and the
// current command has no positional slot left, so `build:all run:all` and
// `build all run all` are both two commands. Throws a usage Error.
std::vector<Invocation> parse_command_line(const std::vector<std::string>& words,
                                           const std::vector<CommandSpec>& table);

// Splits `a,b\,c,k=v` on unescaped commas: {"a", "b,c", "k=v"}.
std::vector<std::string> split_arguments(const std::string& text);

// `--instance-type` and `instance-type` both become `instance_type`.
std::string normalize_key(std::string name);

} // namespace dockerops::cli
