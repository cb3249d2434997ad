#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

// File plumbing shared by the event log's writer and its readers: descriptors that close
// themselves, a lock file, and reading ranges.
namespace dockerops::agent::log_file {

// A file descriptor closed on destruction.
class Fd {
public:
  Fd() = default;
  explicit Fd(int fd) : m_fd(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int get() const { return m_fd; }
  explicit operator bool() const { return m_fd >= 0; }
  void reset(int fd = -1);

private:
  int m_fd = -1;
};

// Opens a lock file and takes flock(`operation`: LOCK_SH or LOCK_EX) on it, waiting as long as
// another process holds it. Returns an empty Fd when the file does not exist and `create` is
// false (or it cannot be created: a reader without write access to the folder); throws an io Error
// when an existing file cannot be opened or locked.
Fd lock_file(const std::filesystem::path& path, int operation, bool create);

// The size and inode of an open file.
off_t size_of(int fd);
ino_t inode_of(int fd);

// Bytes [offset, end of file) of an open file.
std::string read_from(int fd, off_t offset);

// The offset just after the last '\n' in the file (0 when there is none).
off_t end_of_last_line(int fd, off_t size);

// fsync of the folder, after a file in it was created or renamed.
void sync_folder(const std::filesystem::path& folder);

} // namespace dockerops::agent::log_file
