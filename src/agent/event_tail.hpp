#pragma once

#include "agent/event.hpp"
#include "agent/log_file.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace dockerops::agent {

// Follows the event log as other processes append to it (`dockerops events -f`, and the agent,
// which learns this way about events that commands write too). Survives rotation (the renamed
// file is read to its end, then the new one from its start) and a repair of a torn line. Not
// thread-safe: one owner polls it.
class EventTail {
public:
  // Starts at the end of the log (only new events), or at its beginning.
  EventTail(std::filesystem::path log_path, bool from_end);

  // The events appended since the last call. A line without its newline is left for the next
  // call unless, under the log's shared lock, it is still incomplete: then it was torn, and it is
  // described once in `problems`.
  std::vector<Event> poll(std::vector<std::string>* problems = nullptr);

private:
  bool open_current();
  // Reads complete lines from m_offset on; returns the size of the incomplete rest.
  std::size_t read_lines(std::vector<Event>& events, std::vector<std::string>* problems);

  std::filesystem::path m_path;
  bool m_from_end;
  log_file::Fd m_fd{};
  off_t m_offset = 0;
  off_t m_torn_reported_at = -1;
};

} // namespace dockerops::agent
