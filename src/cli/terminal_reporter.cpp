#include "cli/terminal_reporter.hpp"

#include "base/log.hpp"

#include <cstdio>

namespace dockerops::cli {

void TerminalReporter::begin(int ready_total) {
  std::lock_guard lock(m_mutex);
  if (ready_total > 0)
    m_progress = std::make_unique<Progress>("instances ready", ready_total);
}

void TerminalReporter::line(const std::string& text) {
  if (!log::enabled(log::Level::notice))
    return; // -q: only warnings and errors
  std::lock_guard lock(m_mutex);
  if (m_progress) {
    m_progress->print_above(text); // keeps the "instances ready" line below
    return;
  }
  std::fputs((text + "\n").c_str(), stdout);
  std::fflush(stdout);
}

void TerminalReporter::ready(int done, int total, const std::string& who) {
  {
    std::lock_guard lock(m_mutex);
    if (m_progress && m_progress->in_place()) {
      m_progress->update(done, who);
      return;
    }
  }
  line(fmt::format("{}: ready ({}/{})", who, done, total));
}

void TerminalReporter::notice(const std::string& text) {
  log::notice("{}", text);
}

void TerminalReporter::warning(const std::string& text) {
  log::warning("{}", text);
}

void TerminalReporter::end() {
  std::lock_guard lock(m_mutex);
  m_progress.reset();
}

} // namespace dockerops::cli
