#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace dockerops::engine {

// Splits a byte stream that arrives in arbitrary chunks into lines (JSON-lines endpoints: /build,
// /events, /images/create). Empty and whitespace-only lines are skipped; a trailing "\r" is dropped.
class JsonLineSplitter {
public:
  // Called per complete line; returns false to stop (feed then returns false too).
  using LineHandler = std::function<bool(std::string_view line)>;

  explicit JsonLineSplitter(LineHandler handler) : m_handler(std::move(handler)) {}

  // Feeds a chunk; returns false once the handler asked to stop.
  bool feed(std::string_view chunk);
  // Delivers a last line that had no newline; returns false if the handler asked to stop.
  bool finish();

private:
  bool deliver(std::string_view line);

  LineHandler m_handler;
  std::string m_pending;
  bool m_stopped = false;
};

} // namespace dockerops::engine
