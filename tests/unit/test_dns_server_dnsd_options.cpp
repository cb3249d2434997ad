// dockerops-dnsd's command line: defaults, and bad numbers refused with one plain message.

#include "base/error.hpp"
#include "dns/server/dnsd_options.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dockerops::dns {
namespace {

DnsdOptions parse(std::vector<std::string> args) {
  args.insert(args.begin(), "dockerops-dnsd");
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  return parse_dnsd_options(static_cast<int>(argv.size()), argv.data()).value();
}

std::string error_of(std::vector<std::string> args) {
  try {
    parse(std::move(args));
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    return e.what();
  }
  return "no error";
}

TEST(DnsdOptions, Defaults) {
  DnsdOptions o = parse({});
  EXPECT_EQ(o.listen, std::vector<std::string>{"127.0.0.1"});
  EXPECT_EQ(o.port, 53);
  EXPECT_EQ(o.journal_compact_after, k_default_journal_compact_after);
  EXPECT_EQ(o.max_records_per_name, k_default_max_records_per_name);
  EXPECT_EQ(parse({"--journal-compact-after", "0", "--port", "5353"}).journal_compact_after, 0u);
}

// CLI11 alone would read "-1" into an unsigned option as a huge number.
TEST(DnsdOptions, NegativeNumbersAreRefused) {
  EXPECT_EQ(error_of({"--journal-compact-after", "-1"}),
            "--journal-compact-after: must not be negative; see dockerops-dnsd --help");
  EXPECT_EQ(error_of({"--max-records-per-name", "-5"}),
            "--max-records-per-name: must not be negative; see dockerops-dnsd --help");
  EXPECT_EQ(error_of({"--tcp-idle-timeout", "-2"}),
            "--tcp-idle-timeout: must not be negative; see dockerops-dnsd --help");
  EXPECT_NE(error_of({"--port", "many"}).find("--port"), std::string::npos);
}

} // namespace
} // namespace dockerops::dns
