#pragma once

// Questions on the terminal: --ask (docs/compatibility.md §ask), where required variables without a value
// are asked for instead of failing and the answer may be saved in host.conf for the next runs,
// and yes/no confirmations (clean).

#include "project/host_info.hpp"

#include <string>

namespace dockerops::cli {

// The HostInfo::ask of a project: asks once per variable and command (resolution may run
// twice), on stderr, reading a line from stdin; an empty line or end of input is no answer.
// Unless `may_save` is false (--dry-run changes nothing), it offers to save the answer in the
// project's host.conf.
decltype(project::HostInfo::ask) terminal_prompt(const std::string& project_dir, bool may_save);

// Asks a yes/no question on stderr and reads the answer from stdin: "y", "Y" or "yes" is yes;
// anything else, an empty line or the end of input is no. Ctrl-C ends the wait.
bool confirm(const std::string& question);

} // namespace dockerops::cli
