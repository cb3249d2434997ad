#pragma once

// What the user last asked of each instance (docs/decisions.md 35): the resident agent brings back
// instances that should run and leaves alone those a command stopped or removed. The core records
// it before it executes a plan (run, rerun, start, restart -> running; stop -> stopped; clean ->
// removed), under the project lock, in <project>/.dockerops/intent.json (mode 0600: it keeps the
// values the environment gave, so that a replacement resolves to the same configuration).

#include "project/resolve.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <string>

namespace dockerops::core {

// One instance's record.
struct InstanceIntent {
  std::string desired{};                    // "running", "stopped" or "removed"
  std::string by{};                         // the command that said so ("run", "stop", "agent"...)
  std::string at{};                         // when (RFC 3339)
  std::string conf{};                       // the run conf it was started from ("run.conf")
  std::string restart = "no";               // its restart policy when it was started
  project::Overrides overrides{};           // the command-line switches it was started with
  std::map<std::string, std::string> env{}; // the values its resolution took from the environment
};

// By "service/instance".
using Intents = std::map<std::string, InstanceIntent>;

// The project's records; none when the file does not exist. A file that cannot be read or parsed
// is an io Error naming it.
Intents read_intents(const std::filesystem::path& project_dir);

// Reads the records, lets `change` edit them, and replaces the file atomically. Call it holding the
// project lock (docs/decisions.md 34), which orders writers.
void update_intents(const std::filesystem::path& project_dir, const std::function<void(Intents&)>& change);

// The records a run of `resolved` makes: each instance "running", with its conf, policy, switches
// and environment values.
void record_running(Intents& intents, const project::ResolvedProject& resolved,
                    const project::Overrides& overrides, const std::string& by, const std::string& at);

// Marks instances ("service/instance") with `desired`, keeping what else was recorded of them.
void record_desired(Intents& intents, const std::vector<std::string>& keys, const std::string& desired,
                    const std::string& by, const std::string& at);

} // namespace dockerops::core
