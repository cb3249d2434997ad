#include "engine/json_lines.hpp"

namespace dockerops::engine {

bool JsonLineSplitter::deliver(std::string_view line) {
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  if (line.find_first_not_of(" \t\r") == std::string_view::npos)
    return true;
  if (!m_handler(line))
    m_stopped = true;
  return !m_stopped;
}

bool JsonLineSplitter::feed(std::string_view chunk) {
  if (m_stopped)
    return false;
  while (!chunk.empty()) {
    auto newline = chunk.find('\n');
    if (newline == std::string_view::npos) {
      m_pending.append(chunk);
      break;
    }
    bool keep_going;
    if (m_pending.empty()) {
      keep_going = deliver(chunk.substr(0, newline));
    } else {
      m_pending.append(chunk.substr(0, newline));
      std::string line = std::move(m_pending);
      m_pending.clear();
      keep_going = deliver(line);
    }
    if (!keep_going)
      return false;
    chunk.remove_prefix(newline + 1);
  }
  return true;
}

bool JsonLineSplitter::finish() {
  if (m_stopped)
    return false;
  std::string line = std::move(m_pending);
  m_pending.clear();
  return deliver(line);
}

} // namespace dockerops::engine
