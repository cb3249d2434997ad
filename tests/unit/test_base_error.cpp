#include "base/error.hpp"

#include <gtest/gtest.h>

using namespace dockerops;

TEST(Error, ExitCodesAreDocumented) {
  EXPECT_EQ(exit_code_for(ErrorKind::usage), 2);
  EXPECT_EQ(exit_code_for(ErrorKind::interrupted), 130);
  EXPECT_EQ(exit_code_for(ErrorKind::config), 1);
  EXPECT_EQ(exit_code_for(ErrorKind::engine_unreachable), 1);
  EXPECT_EQ(exit_code_for(ErrorKind::internal), 1);
}

TEST(Error, FailFormatsAndKeepsKind) {
  try {
    fail(ErrorKind::conflict, "port {} is already taken", 8080);
    FAIL() << "fail() returned";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::conflict);
    EXPECT_STREQ(error.what(), "port 8080 is already taken");
  }
}

TEST(Error, PrinterWritesOneLinePrefixedLine) {
  testing::internal::CaptureStderr();
  print_error("dockerops", "run.conf:12: unknown key \"isntance\"; did you mean \"instance\"?\n");
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "dockerops: error: run.conf:12: unknown key \"isntance\"; did you mean \"instance\"?\n");
}

TEST(Error, PrinterShowsControlCharactersInsteadOfCuttingTheMessage) {
  testing::internal::CaptureStderr();
  print_error("dockerops", std::string("run.conf:3: unknown key \"a\0b\x1b[31m\"", 34));
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "dockerops: error: run.conf:3: unknown key \"a\\x00b\\x1B[31m\"\n");
}
