#include "base/progress.hpp"

#include "base/log.hpp"

#include <unistd.h>

#include <cstdio>

namespace dockerops {

Progress::Progress(std::string label, int total) : m_label(std::move(label)), m_total(total) {
  m_in_place = isatty(STDERR_FILENO) == 1 && log::enabled(log::Level::notice);
}

Progress::~Progress() {
  finish();
}

void Progress::update(int done, std::string_view detail) {
  std::string text = m_label + ": ";
  text += m_total > 0 ? std::to_string(done) + "/" + std::to_string(m_total) : std::to_string(done);
  if (!detail.empty())
    text += " (" + std::string(detail) + ")";
  emit(text);
}

void Progress::note(std::string_view detail) {
  emit(m_label + ": " + std::string(detail));
}

void Progress::print_above(const std::string& line) {
  if (!log::enabled(log::Level::notice))
    return;
  std::lock_guard lock(m_mutex);
  bool showing = m_in_place && !m_finished && m_last_width > 0;
  if (showing)
    std::fprintf(stderr, "\r%s\r", std::string(m_last_width, ' ').c_str());
  std::fflush(stderr);
  std::fputs((line + "\n").c_str(), stdout);
  std::fflush(stdout);
  if (showing) {
    std::fputs(m_current.c_str(), stderr);
    std::fflush(stderr);
  }
}

void Progress::finish() {
  std::lock_guard lock(m_mutex);
  if (m_in_place && !m_finished && m_last_width > 0)
    std::fputc('\n', stderr);
  m_finished = true;
}

void Progress::emit(const std::string& text) {
  if (!log::enabled(log::Level::notice))
    return;
  std::lock_guard lock(m_mutex);
  if (!m_in_place) {
    log::notice("{}", text);
    return;
  }
  // Pad with spaces to wipe what the previous, longer line left behind.
  std::string line = text;
  if (line.size() < m_last_width)
    line.append(m_last_width - line.size(), ' ');
  std::fprintf(stderr, "\r%s", line.c_str());
  std::fflush(stderr);
  m_last_width = text.size();
  m_current = text;
  m_finished = false;
}

} // namespace dockerops
