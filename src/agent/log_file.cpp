#include "agent/log_file.hpp"

#include "base/error.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace dockerops::agent::log_file {

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    reset(other.m_fd);
    other.m_fd = -1;
  }
  return *this;
}

void Fd::reset(int fd) {
  if (m_fd >= 0)
    ::close(m_fd);
  m_fd = fd;
}

Fd lock_file(const std::filesystem::path& path, int operation, bool create) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | (create ? O_CREAT : 0), 0644));
  if (!fd && create && errno == EACCES)
    fd.reset(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT || errno == EACCES)
      return Fd();
    fail(ErrorKind::io, "{}: cannot open: {}", path.string(), std::strerror(errno));
  }
  while (::flock(fd.get(), operation) != 0)
    if (errno != EINTR)
      fail(ErrorKind::io, "{}: cannot lock: {}", path.string(), std::strerror(errno));
  return fd;
}

off_t size_of(int fd) {
  struct stat s {};
  return ::fstat(fd, &s) == 0 ? s.st_size : 0;
}

ino_t inode_of(int fd) {
  struct stat s {};
  return ::fstat(fd, &s) == 0 ? s.st_ino : 0;
}

std::string read_from(int fd, off_t offset) {
  std::string out;
  char buffer[64 * 1024];
  while (true) {
    ssize_t n = ::pread(fd, buffer, sizeof buffer, offset);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    out.append(buffer, static_cast<std::size_t>(n));
    offset += n;
  }
  return out;
}

off_t end_of_last_line(int fd, off_t size) {
  char buffer[4096];
  off_t end = size;
  while (end > 0) {
    off_t start = end > static_cast<off_t>(sizeof buffer) ? end - static_cast<off_t>(sizeof buffer) : 0;
    ssize_t n = ::pread(fd, buffer, static_cast<std::size_t>(end - start), start);
    if (n <= 0)
      return 0;
    for (ssize_t i = n - 1; i >= 0; --i)
      if (buffer[i] == '\n')
        return start + i + 1;
    end = start;
  }
  return 0;
}

void sync_folder(const std::filesystem::path& folder) {
  Fd fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd)
    ::fsync(fd.get());
}

} // namespace dockerops::agent::log_file
