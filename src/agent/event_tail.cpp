#include "agent/event_tail.hpp"

#include "agent/event_log.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

namespace dockerops::agent {

EventTail::EventTail(std::filesystem::path log_path, bool from_end)
    : m_path(std::move(log_path)), m_from_end(from_end) {
  if (!open_current())
    m_from_end = false; // the log does not exist yet: all of it will be new
}

bool EventTail::open_current() {
  m_fd.reset(::open(m_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!m_fd)
    return false;
  m_offset = m_from_end ? log_file::end_of_last_line(m_fd.get(), log_file::size_of(m_fd.get())) : 0;
  m_from_end = false; // a file that appears later, or the next one after a rotation, is new: read it all
  m_torn_reported_at = -1;
  return true;
}

std::size_t EventTail::read_lines(std::vector<Event>& events, std::vector<std::string>* problems) {
  off_t size = log_file::size_of(m_fd.get());
  if (size < m_offset)
    m_offset = log_file::end_of_last_line(m_fd.get(), size); // cut back (a torn line repaired)
  std::string text = log_file::read_from(m_fd.get(), m_offset);
  std::size_t rest = parse_event_lines(text, m_path.filename().string(), events, problems);
  m_offset += static_cast<off_t>(text.size() - rest);
  return rest;
}

std::vector<Event> EventTail::poll(std::vector<std::string>* problems) {
  std::vector<Event> events;
  if (!m_fd && !open_current())
    return events;
  for (int round = 0; round < 4; ++round) {
    std::size_t rest = read_lines(events, problems);
    struct stat named {};
    bool rotated = ::stat(m_path.c_str(), &named) != 0 || named.st_ino != log_file::inode_of(m_fd.get());
    if (rotated) {
      // The file we read was renamed away complete (writers rotate after a repair): go on with
      // the new one from its start.
      if (!open_current())
        return events;
      continue;
    }
    if (rest > 0 && m_torn_reported_at != m_offset) {
      // Writers append a whole line under the exclusive lock: under the shared lock, a line still
      // incomplete was torn.
      log_file::Fd lock = log_file::lock_file(m_path.parent_path() / "events.lock", LOCK_SH, false);
      if (lock) {
        rest = read_lines(events, problems);
        if (rest > 0) {
          m_torn_reported_at = m_offset;
          if (problems != nullptr)
            problems->push_back(m_path.filename().string() + ": skipped a torn last line (" +
                                std::to_string(rest) + " bytes)");
        }
      }
    }
    break;
  }
  return events;
}

} // namespace dockerops::agent
