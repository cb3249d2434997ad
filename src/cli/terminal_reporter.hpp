#pragma once

#include "apply/reporter.hpp"
#include "base/progress.hpp"

#include <memory>
#include <mutex>

namespace dockerops::cli {

// The core's progress on a terminal or a pipe: lines on stdout (none with -q), notices and warnings
// through the logger on stderr, and readiness as one updating "instances ready" line on a terminal
// (plain "demo/one: ready (2/3)" lines otherwise).
class TerminalReporter : public apply::Reporter {
public:
  void begin(int ready_total) override;
  void line(const std::string& text) override;
  void ready(int done, int total, const std::string& who) override;
  void notice(const std::string& text) override;
  void warning(const std::string& text) override;
  void end() override;

private:
  std::mutex m_mutex;
  std::unique_ptr<Progress> m_progress;
};

} // namespace dockerops::cli
