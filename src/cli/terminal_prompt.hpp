#pragma once

// --ask (inventory F23): required variables without a value are asked for on the terminal
// instead of failing, and the answer may be saved in host.conf for the next runs.

#include "project/host_info.hpp"

#include <string>

namespace dockerops::cli {

// The HostInfo::ask of a project: asks once per variable and command (resolution may run
// twice), on stderr, reading a line from stdin; an empty line or end of input is no answer.
// Unless `may_save` is false (--dry-run changes nothing), it offers to save the answer in the
// project's host.conf.
decltype(project::HostInfo::ask) terminal_prompt(const std::string& project_dir, bool may_save);

} // namespace dockerops::cli
