#include "cli/grammar.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"

#include <algorithm>

namespace dockerops::cli {
namespace {

std::vector<std::string> command_names(const std::vector<CommandSpec>& table) {
  std::vector<std::string> names;
  names.reserve(table.size());
  for (const auto& spec : table)
    names.push_back(spec.name);
  return names;
}

const CommandSpec& lookup(const std::string& name, const std::vector<CommandSpec>& table) {
  for (const auto& spec : table)
    if (spec.name == name)
      return spec;
  fail(ErrorKind::usage, "unknown command \"{}\"{} (see \"dockerops help\")", name,
       strings::did_you_mean(name, command_names(table)));
}

const KeySpec* find_key(const CommandSpec& spec, const std::string& name) {
  for (const auto& key : spec.keys)
    if (key.name == name)
      return &key;
  return nullptr;
}

const KeySpec* find_short(const CommandSpec& spec, char flag) {
  for (const auto& key : spec.keys)
    if (key.short_flag == flag)
      return &key;
  return nullptr;
}

// Adds `item` of a colon argument list: KEY=VALUE or a positional value.
void add_colon_item(Invocation& invocation, const std::string& item) {
  std::size_t equals = item.find('=');
  if (equals != std::string::npos && equals > 0 &&
      item.find_first_of(" /:", 0) > equals) { // "command=a=b" is a key; "/a=b" is not
    invocation.keys.emplace_back(normalize_key(item.substr(0, equals)), item.substr(equals + 1));
    return;
  }
  if (!invocation.keys.empty())
    fail(ErrorKind::usage, "{}: positional argument \"{}\" after KEY=VALUE arguments", invocation.command,
         item);
  invocation.positional.push_back(item);
}

} // namespace

std::string normalize_key(std::string name) {
  while (!name.empty() && name.front() == '-')
    name.erase(name.begin());
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

std::vector<std::string> split_arguments(const std::string& text) {
  std::vector<std::string> items;
  std::string current;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size() && text[i + 1] == ',') {
      current += ',';
      ++i;
    } else if (c == ',') {
      items.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  items.push_back(current);
  return items;
}

std::vector<Invocation> parse_command_line(const std::vector<std::string>& words,
                                           const std::vector<CommandSpec>& table) {
  std::vector<Invocation> invocations;
  const CommandSpec* spec = nullptr;
  auto start = [&](const std::string& word) {
    std::size_t colon = word.find(':');
    std::string name = word.substr(0, colon);
    spec = &lookup(name, table);
    invocations.push_back(Invocation{name, {}, {}, {}});
    if (colon != std::string::npos)
      for (const auto& item : split_arguments(word.substr(colon + 1)))
        if (!item.empty())
          add_colon_item(invocations.back(), item);
  };
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (spec == nullptr) {
      if (!word.empty() && word[0] == '-')
        fail(ErrorKind::usage, "unknown option \"{}\" (see \"dockerops help\")", word);
      start(word);
      continue;
    }
    Invocation& current = invocations.back();
    if (word == "--") {
      if (!spec->passthrough)
        fail(ErrorKind::usage, "{}: does not take arguments after \"--\"", spec->name);
      current.passthrough.assign(words.begin() + static_cast<long>(i) + 1, words.end());
      break;
    }
    if (word.size() > 1 && word[0] == '-') {
      std::string name;
      std::string value;
      bool has_value = false;
      if (word[1] == '-') {
        std::size_t equals = word.find('=');
        name = normalize_key(word.substr(0, equals));
        if (equals != std::string::npos) {
          value = word.substr(equals + 1);
          has_value = true;
        }
      } else {
        if (word.size() != 2)
          fail(ErrorKind::usage, "{}: unknown option \"{}\"", spec->name, word);
        const KeySpec* key = find_short(*spec, word[1]);
        if (key == nullptr)
          fail(ErrorKind::usage, "{}: unknown option \"{}\"", spec->name, word);
        name = key->name;
      }
      const KeySpec* key = find_key(*spec, name);
      if (key == nullptr) {
        std::vector<std::string> names;
        for (const auto& candidate : spec->keys)
          names.push_back(candidate.name);
        fail(ErrorKind::usage, "{}: unknown key \"{}\"{}", spec->name, name,
             strings::did_you_mean(name, names));
      }
      if (!has_value) {
        if (key->type == KeyType::boolean) {
          value = "true";
        } else {
          if (i + 1 >= words.size())
            fail(ErrorKind::usage, "{}: option \"{}\" needs a value", spec->name, word);
          value = words[++i];
        }
      }
      current.keys.emplace_back(name, value);
      continue;
    }
    bool names_command = std::any_of(table.begin(), table.end(), [&](const CommandSpec& s) {
      return word == s.name || word.rfind(s.name + ":", 0) == 0;
    });
    bool slot_left = current.positional.size() < spec->positional.size();
    if (names_command && (word.find(':') != std::string::npos || !slot_left)) {
      start(word);
      continue;
    }
    if (!slot_left)
      fail(ErrorKind::usage, "{}: unexpected argument \"{}\"{}", spec->name, word,
           strings::did_you_mean(word, command_names(table)));
    // A command word where an instance name goes is far more often a second command than an
    // instance called "ps": ask, and say how to name such an instance.
    const std::string& slot = spec->positional[current.positional.size()];
    if (names_command && slot == "instance")
      fail(ErrorKind::usage,
           "{}: \"{}\" is a command; did you mean two commands (\"{}:{}\", then \"{}\")? For an instance "
           "named {}, write instance={} or --instance {}",
           spec->name, word, spec->name, strings::join(current.positional, ","), word, word, word, word);
    current.positional.push_back(word);
  }
  return invocations;
}

} // namespace dockerops::cli
