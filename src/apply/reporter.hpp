#pragma once

#include <string>

namespace dockerops::apply {

// Where applying a plan reports what happens: the CLI prints it (cli/terminal_reporter.hpp), a
// resident agent logs or streams it. apply/ and core/ never print.
class Reporter {
public:
  virtual ~Reporter() = default;
  // A plan with `ready_total` readiness waits starts (0: none).
  virtual void begin(int ready_total) = 0;
  // One line of progress: "demo/one: created and started", "web | Step 2/5 : RUN ...".
  virtual void line(const std::string& text) = 0;
  // An instance became ready: `done` of `total`.
  virtual void ready(int done, int total, const std::string& who) = 0;
  // Something the user should know (the resolver's and planner's notices) or fix (warnings).
  virtual void notice(const std::string& text) = 0;
  virtual void warning(const std::string& text) = 0;
  // The plan is done (or failed): an updating line ends.
  virtual void end() = 0;
};

// A Reporter that keeps nothing (tests, --quiet callers that only want the result).
class SilentReporter : public Reporter {
public:
  void begin(int) override {}
  void line(const std::string&) override {}
  void ready(int, int, const std::string&) override {}
  void notice(const std::string&) override {}
  void warning(const std::string&) override {}
  void end() override {}
};

} // namespace dockerops::apply
