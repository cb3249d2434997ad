#include "agent/event_log.hpp"

#include "agent/log_file.hpp"
#include "base/error.hpp"
#include "base/fs.hpp"
#include "base/time_text.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace dockerops::agent {
namespace {

using log_file::Fd;

// The id of the newest event among the complete lines of a file (0 when none).
std::uint64_t last_id_in(int fd, off_t size) {
  std::vector<Event> events;
  off_t end = log_file::end_of_last_line(fd, size);
  if (end == 0)
    return 0;
  // Usually the last line says it; a damaged last line makes us read the whole file.
  off_t start = log_file::end_of_last_line(fd, end - 1);
  parse_event_lines(log_file::read_from(fd, start).substr(0, static_cast<std::size_t>(end - start)), "",
                    events, nullptr);
  if (events.empty())
    parse_event_lines(log_file::read_from(fd, 0), "", events, nullptr);
  std::uint64_t last = 0;
  for (const auto& e : events)
    last = std::max(last, e.id);
  return last;
}

void write_synced(int fd, const std::string& text, const std::filesystem::path& path) {
  if (!fs::write_all(fd, text))
    fail(ErrorKind::io, "{}: cannot append: {}", path.string(), std::strerror(errno));
  if (::fsync(fd) != 0)
    fail(ErrorKind::io, "{}: cannot sync: {}", path.string(), std::strerror(errno));
}

// Opens (creating) a log file for appending; a new file's folder entry is made durable.
Fd open_for_append(const std::filesystem::path& path) {
  Fd fd(::open(path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC));
  if (!fd && errno == ENOENT) {
    fd.reset(::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644));
    if (fd)
      log_file::sync_folder(path.parent_path());
  }
  if (!fd)
    fail(ErrorKind::io, "{}: cannot open for appending: {}", path.string(), std::strerror(errno));
  return fd;
}

std::string line_of(const Event& event) {
  return to_json(event).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace

std::size_t parse_event_lines(const std::string& text, const std::string& name, std::vector<Event>& events,
                              std::vector<std::string>* problems, std::size_t first_line) {
  std::size_t start = 0;
  std::size_t line_number = first_line;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos)
      return text.size() - start;
    std::string_view line(text.data() + start, end - start);
    if (!line.empty()) {
      try {
        events.push_back(event_from_json(nlohmann::json::parse(line)));
      } catch (const std::exception& e) {
        if (problems != nullptr)
          problems->push_back(name + ":" + std::to_string(line_number) +
                              ": skipped a line that is not an event (" + e.what() + ")");
      }
    }
    start = end + 1;
    ++line_number;
  }
  return 0;
}

EventLog::EventLog(std::filesystem::path state_dir, std::size_t max_bytes)
    : m_dir(std::move(state_dir)), m_path(m_dir / "events.jsonl"), m_max_bytes(max_bytes) {}

std::filesystem::path EventLog::rotated_path() const {
  return m_dir / "events.jsonl.1";
}

std::filesystem::path EventLog::lock_path() const {
  return m_dir / "events.lock";
}

Event EventLog::append(Event event) {
  std::lock_guard guard(m_mutex);
  fs::make_dirs(m_dir);
  Fd lock = log_file::lock_file(lock_path(), LOCK_EX, true);
  if (!lock)
    fail(ErrorKind::io, "{}: cannot create the lock of the event log", lock_path().string());
  Fd fd = open_for_append(m_path);
  off_t size = log_file::size_of(fd.get());
  // A writer that died mid-line left a torn tail: cut it off, and say so in the log itself.
  off_t complete = log_file::end_of_last_line(fd.get(), size);
  std::string text;
  std::uint64_t last = last_id_in(fd.get(), complete);
  if (complete == 0) {
    Fd rotated(::open(rotated_path().c_str(), O_RDONLY | O_CLOEXEC));
    if (rotated)
      last = last_id_in(rotated.get(), log_file::size_of(rotated.get()));
  }
  if (complete < size) {
    if (::ftruncate(fd.get(), complete) != 0)
      fail(ErrorKind::io, "{}: cannot cut off a torn line: {}", m_path.string(), std::strerror(errno));
    Event repaired;
    repaired.id = ++last;
    repaired.time = time_text::rfc3339(std::chrono::system_clock::now());
    repaired.action = "log-repaired";
    repaired.reason = "a torn last line of " + std::to_string(size - complete) +
                      " bytes was cut off (a writer stopped in the middle of it)";
    repaired.outcome = "ok";
    repaired.source = "agent";
    text += line_of(repaired);
    size = complete;
  }
  event.id = ++last;
  if (event.time.empty())
    event.time = time_text::rfc3339(std::chrono::system_clock::now());
  text += line_of(event);
  if (size > 0 && static_cast<std::size_t>(size) + text.size() > m_max_bytes) {
    // Rotated under the lock: readers and other writers see both files before or after, never between.
    if (::rename(m_path.c_str(), rotated_path().c_str()) != 0)
      fail(ErrorKind::io, "{}: cannot rotate: {}", m_path.string(), std::strerror(errno));
    Fd fresh = open_for_append(m_path);
    write_synced(fresh.get(), text, m_path);
    return event;
  }
  write_synced(fd.get(), text, m_path);
  return event;
}

std::vector<Event> EventLog::read_all(std::vector<std::string>* problems) const {
  std::vector<Event> events;
  // The shared lock keeps writers (and so rotations and repairs) out while both files are read.
  Fd lock = log_file::lock_file(lock_path(), LOCK_SH, false);
  Fd current(::open(m_path.c_str(), O_RDONLY | O_CLOEXEC));
  Fd rotated(::open(rotated_path().c_str(), O_RDONLY | O_CLOEXEC));
  if (rotated) {
    std::string text = log_file::read_from(rotated.get(), 0);
    std::size_t torn = parse_event_lines(text, "events.jsonl.1", events, problems);
    if (torn > 0 && problems != nullptr)
      problems->push_back("events.jsonl.1: skipped a torn last line (" + std::to_string(torn) + " bytes)");
  }
  if (current) {
    std::string text = log_file::read_from(current.get(), 0);
    std::size_t torn = parse_event_lines(text, "events.jsonl", events, problems);
    if (torn > 0 && problems != nullptr)
      problems->push_back("events.jsonl: skipped a torn last line (" + std::to_string(torn) + " bytes)");
  }
  return events;
}

} // namespace dockerops::agent
