#pragma once

#include "cli/command_spec.hpp"
#include "cli/grammar.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dockerops::cli {

// The checked arguments of one invocation: every key exists for the command,
// has the right type and is given once. Lookups by key name.
class Arguments {
public:
  // Binds an invocation to its spec; throws a usage Error with "did you mean".
  static Arguments bind(const Invocation& invocation, const CommandSpec& spec);

  std::optional<std::string> get(const std::string& key) const;
  std::string get_or(const std::string& key, const std::string& fallback) const;
  std::optional<bool> get_bool(const std::string& key) const;
  bool flag(const std::string& key) const { return get_bool(key).value_or(false); }
  std::optional<long> get_int(const std::string& key) const;
  bool has(const std::string& key) const { return m_values.count(key) > 0; }

  // Every key given, in name order (for the planner's command-line overrides).
  const std::map<std::string, std::string>& all() const { return m_values; }
  const std::vector<std::string>& passthrough() const { return m_passthrough; }
  // The command to run in a container (ssh, shell): the words after "--", shell-quoted and
  // joined, else the command= key, else empty.
  std::string remote_command() const;
  const std::string& command() const { return m_command; }

private:
  std::string m_command;
  std::map<std::string, std::string> m_values;
  std::vector<std::string> m_passthrough;
};

} // namespace dockerops::cli
