#include "cli/arguments.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"

#include <algorithm>
#include <charconv>

namespace dockerops::cli {

Arguments Arguments::bind(const Invocation& invocation, const CommandSpec& spec) {
  Arguments args;
  args.m_command = spec.name;
  args.m_passthrough = invocation.passthrough;
  std::vector<std::string> key_names;
  for (const auto& key : spec.keys)
    key_names.push_back(key.name);

  auto set = [&](const std::string& name, const std::string& value) {
    const KeySpec* key = nullptr;
    for (const auto& candidate : spec.keys)
      if (candidate.name == name)
        key = &candidate;
    if (key == nullptr)
      fail(ErrorKind::usage, "{}: unknown key \"{}\"{}", spec.name, name,
           strings::did_you_mean(name, key_names));
    if (args.m_values.count(name) > 0)
      fail(ErrorKind::usage, "{}: key \"{}\" given twice", spec.name, name);
    if (key->type == KeyType::boolean && !strings::parse_bool(value))
      fail(ErrorKind::usage, "{}: {}={}: not a boolean (use true/false, yes/no or 1/0)", spec.name, name,
           value);
    if (key->type == KeyType::integer) {
      long number = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
      if (ec != std::errc() || end != value.data() + value.size())
        fail(ErrorKind::usage, "{}: {}={}: not a whole number", spec.name, name, value);
    }
    args.m_values[name] = value;
  };

  Invocation given = invocation;
  if (spec.assignment && spec.positional.size() >= 2 && given.positional.size() <= 1) {
    // scale:web=5 arrives as the key "web"; scale web=5 as one positional word.
    auto known = [&](const std::string& name) {
      return std::find(key_names.begin(), key_names.end(), name) != key_names.end();
    };
    if (given.positional.empty()) {
      auto it = std::find_if(given.keys.begin(), given.keys.end(),
                             [&](const auto& key) { return !known(key.first); });
      if (it != given.keys.end()) {
        given.positional = {it->first, it->second};
        given.keys.erase(it);
      }
    } else if (auto equals = given.positional[0].find('='); equals != std::string::npos && equals > 0) {
      std::string word = given.positional[0];
      given.positional = {word.substr(0, equals), word.substr(equals + 1)};
    }
  }
  if (given.positional.size() > spec.positional.size())
    fail(ErrorKind::usage, "{}: too many arguments (takes {})", spec.name,
         spec.positional.empty() ? std::string("none") : strings::join(spec.positional, ", "));
  for (std::size_t i = 0; i < given.positional.size(); ++i)
    set(spec.positional[i], given.positional[i]);
  for (const auto& [name, value] : given.keys)
    set(name, value);
  return args;
}

std::optional<std::string> Arguments::get(const std::string& key) const {
  auto it = m_values.find(key);
  if (it == m_values.end())
    return std::nullopt;
  return it->second;
}

std::string Arguments::get_or(const std::string& key, const std::string& fallback) const {
  return get(key).value_or(fallback);
}

std::string Arguments::remote_command() const {
  if (m_passthrough.empty())
    return get_or("command", "");
  std::vector<std::string> quoted;
  for (const auto& word : m_passthrough)
    quoted.push_back(strings::shell_quote(word));
  return strings::join(quoted, " ");
}

std::optional<bool> Arguments::get_bool(const std::string& key) const {
  auto value = get(key);
  if (!value)
    return std::nullopt;
  return strings::parse_bool(*value);
}

std::optional<long> Arguments::get_int(const std::string& key) const {
  auto value = get(key);
  if (!value)
    return std::nullopt;
  return std::stol(*value);
}

} // namespace dockerops::cli
