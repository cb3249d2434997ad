#include "base/error.hpp"
#include "base/process.hpp"
#include "base/progress.hpp"

#include <gtest/gtest.h>

using namespace dockerops;

TEST(Progress, PlainLinesWhenNotATerminal) {
  testing::internal::CaptureStderr();
  {
    Progress progress("starting instances", 3);
    EXPECT_FALSE(progress.in_place()); // gtest's stderr capture is a file, not a terminal
    progress.update(1, "demo/one ready");
    progress.note("waiting for demo/two");
  }
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "starting instances: 1/3 (demo/one ready)\nstarting instances: waiting for demo/two\n");
}

TEST(Process, RunLinesMergesStreamsLineByLine) {
  std::vector<std::string> lines;
  int status = process::run_lines({"sh", "-c", "echo one; echo two >&2; printf three; exit 4"},
                                  [&](const std::string& line) { lines.push_back(line); });
  EXPECT_EQ(status, 4);
  EXPECT_EQ(lines, (std::vector<std::string>{"one", "two", "three"}));
}

TEST(Process, RunCapturesAndReportsMissingPrograms) {
  EXPECT_EQ(process::run({"sh", "-c", "echo out"}, true).output, "out\n");
  EXPECT_THROW(process::run({"/nonexistent/program"}), Error);
  EXPECT_TRUE(process::on_path("sh"));
  EXPECT_FALSE(process::on_path("no-such-program-dockerops"));
}
