// The docs-coverage test: every command, command key and run.conf key that
// exists in the code is described in the man pages (issue 7).
#include "base/fs.hpp"
#include "cli/command_spec.hpp"
#include "project/run_conf.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

using namespace dockerops;

namespace {

std::string page(const std::string& name) {
  return fs::read_file(std::string(DOCKEROPS_SOURCE_DIR) + "/man/" + name);
}

// scdoc escapes '_' as "\_" in some places; compare without the escapes.
std::string unescape(std::string text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (!(text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '_'))
      out += text[i];
  return out;
}

// The entry of `command` in dockerops.1: from its line "*command*..." (a definition starts a line)
// to the next definition; empty when there is none.
std::string command_entry(const std::string& text, const std::string& command) {
  std::regex start("(^|\n)\\*" + command + "\\*[^\\n]*\\n\\t");
  std::smatch found;
  if (!std::regex_search(text, found, start))
    return "";
  std::size_t from = static_cast<std::size_t>(found.position(0));
  std::size_t to = text.find("\n*", from + 1);
  return text.substr(from, to == std::string::npos ? std::string::npos : to - from);
}

} // namespace

TEST(Docs, EveryCommandAndKeyIsInDockerops1) {
  // Each key in its command's own entry, written as in the synopsis: KEY=... for a keyed argument,
  // _KEY_ for a positional one (a bare word such as "service" would match anywhere).
  std::string text = unescape(page("dockerops.1.scd"));
  for (const auto& spec : cli::command_table()) {
    std::string entry = command_entry(text, spec.name);
    EXPECT_FALSE(entry.empty()) << "command " << spec.name << " has no entry in man/dockerops.1.scd";
    for (const auto& key : spec.keys) {
      bool positional =
          std::find(spec.positional.begin(), spec.positional.end(), key.name) != spec.positional.end();
      bool documented = entry.find(key.name + "=") != std::string::npos ||
                        (positional && entry.find("_" + key.name + "_") != std::string::npos);
      EXPECT_TRUE(documented) << "key " << spec.name << "." << key.name << " is not in the entry of "
                              << spec.name << " in man/dockerops.1.scd";
    }
  }
}

TEST(Docs, EveryRunConfKeyIsInRunConf5) {
  // Defined in KEYS: a line "*key* (type)", or "*a*, *key*, *b* (type)" for keys described together.
  std::string text = unescape(page("dockerops-run.conf.5.scd"));
  for (const auto& key : project::run_conf_keys()) {
    std::regex definition("\n(\\*[a-z_]+\\*, )*\\*" + key + "\\*(, \\*[a-z_]+\\*)* \\(");
    EXPECT_TRUE(std::regex_search(text, definition)) << "run.conf key " << key << " has no definition";
  }
}

TEST(Docs, EveryInstanceTypeIsInTheTable) {
  std::string text = page("dockerops-run.conf.5.scd");
  for (const char* type : {"standard", "published", "persistent", "master", "debug"})
    EXPECT_TRUE(std::regex_search(text, std::regex(std::string("\\|\\s+") + type))) << type;
}
