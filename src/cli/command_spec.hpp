#pragma once

#include <string>
#include <vector>

namespace dockerops::cli {

class Context;
class Arguments;

// The type of a command key; booleans accept true/false/yes/no/1/0 uniformly.
enum class KeyType { string, boolean, integer };

// One KEY=VALUE a command accepts (also `--key VALUE`, or `--key` for booleans).
struct KeySpec {
  std::string name; // snake_case, as in the original (instance_type)
  KeyType type = KeyType::string;
  std::string help;       // one line, for `dockerops help CMD` and the man page test
  char short_flag = '\0'; // e.g. 'f' for logs -f
};

// What a command is: its name, summary, positional keys (in order) and keys.
struct CommandSpec {
  std::string name;
  std::string summary;
  std::vector<std::string> positional; // names of keys that may be given by position
  std::vector<KeySpec> keys;
  bool passthrough = false; // accepts `-- ARGS...` (ssh, shell)
  int (*handler)(Context&, const Arguments&) = nullptr;
  // Takes NAME=VALUE for its first two positional keys (scale:web=5, scale web=5) when NAME is not
  // one of its keys.
  bool assignment = false;
};

// The table of every dockerops command, in help order.
const std::vector<CommandSpec>& command_table();

// The spec named `name`, or nullptr.
const CommandSpec* find_command(const std::string& name);

} // namespace dockerops::cli
