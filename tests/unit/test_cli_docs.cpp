// The docs-coverage test: every command, command key and run.conf key that
// exists in the code is described in the man pages (issue 7).
#include "base/fs.hpp"
#include "cli/command_spec.hpp"
#include "project/run_conf.hpp"

#include <gtest/gtest.h>

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

} // namespace

TEST(Docs, EveryCommandAndKeyIsInDockerops1) {
  std::string text = unescape(page("dockerops.1.scd"));
  for (const auto& spec : cli::command_table()) {
    EXPECT_NE(text.find("*" + spec.name + "*"), std::string::npos) << "command " << spec.name;
    for (const auto& key : spec.keys)
      EXPECT_NE(text.find(key.name), std::string::npos)
          << "key " << spec.name << "." << key.name << " is not in man/dockerops.1.scd";
  }
}

TEST(Docs, EveryRunConfKeyIsInRunConf5) {
  std::string text = unescape(page("dockerops-run.conf.5.scd"));
  for (const auto& key : project::run_conf_keys())
    EXPECT_NE(text.find("*" + key + "*"), std::string::npos) << "run.conf key " << key;
}

TEST(Docs, EveryInstanceTypeIsInTheTable) {
  std::string text = page("dockerops-run.conf.5.scd");
  for (const char* type : {"standard", "published", "persistent", "master", "debug"})
    EXPECT_TRUE(std::regex_search(text, std::regex(std::string("\\|\\s+") + type))) << type;
}
