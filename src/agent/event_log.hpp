#pragma once

#include "agent/event.hpp"

#include <cstddef>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace dockerops::agent {

// Past this size the log is rotated: events.jsonl becomes events.jsonl.1 (replacing the older
// one), so the history on disk stays under twice this size (~10,000 events).
inline constexpr std::size_t k_event_log_max_bytes = 1024 * 1024;

// The project's event log (docs/decisions.md 29): `.dockerops/events.jsonl`, one JSON object per
// line, appended and fsynced, so that history survives an agent restart and `dockerops events`
// reads it without the agent. Writers (the agent, commands) hold an exclusive flock on
// `events.lock` while they append, readers a shared one: a line without its newline seen under
// the lock was torn by a writer that died mid-line; readers skip it and say so, and the next writer cuts it
// off and records that it did (a "log-repaired" event).
class EventLog {
public:
  explicit EventLog(std::filesystem::path state_dir, std::size_t max_bytes = k_event_log_max_bytes);

  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path rotated_path() const;
  // Writers hold it exclusively while they append (or rotate), readers shared while they read.
  std::filesystem::path lock_path() const;

  // Appends one event, setting its id (last id + 1) and its time (now, unless set); returns it as
  // stored. Safe across threads and processes. Throws an io Error when the file cannot be written.
  Event append(Event event);

  // Every event, oldest first (the rotated file, then the current one). Lines that are not events
  // and a torn last line are skipped; each is described in `problems` ("events.jsonl: skipped a
  // torn last line (12 bytes)").
  std::vector<Event> read_all(std::vector<std::string>* problems = nullptr) const;

private:
  std::filesystem::path m_dir;
  std::filesystem::path m_path;
  std::size_t m_max_bytes;
  std::mutex m_mutex{};
};

// Parses the complete lines of `text` (a log file's content) into `events`; a trailing part
// without its newline is not parsed: its size is returned. `name` prefixes problems ("NAME:LINE").
std::size_t parse_event_lines(const std::string& text, const std::string& name, std::vector<Event>& events,
                              std::vector<std::string>* problems, std::size_t first_line = 1);

} // namespace dockerops::agent
