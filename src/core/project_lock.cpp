#include "core/project_lock.hpp"

#include "base/error.hpp"
#include "base/fs.hpp"
#include "base/interrupt.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace dockerops::core {

namespace {

// What the holder wrote: "dockerops run:all (pid 1234)", or a generic text while it has not yet.
std::string holder_of(int fd) {
  char buffer[512];
  ssize_t n = ::pread(fd, buffer, sizeof(buffer) - 1, 0);
  std::string text(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.pop_back();
  auto space = text.find(' ');
  if (text.empty() || space == std::string::npos)
    return "another dockerops command";
  return fmt::format("{} (pid {})", text.substr(space + 1), text.substr(0, space));
}

} // namespace

bool project_locked(const std::filesystem::path& project_dir) {
  int fd = ::open((project_dir / ".dockerops" / "lock").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false; // never locked
  bool locked = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd); // drops the probe's lock, if it got one
  return locked;
}

ProjectLock::ProjectLock(const std::filesystem::path& project_dir, const std::string& project,
                         const std::string& command, bool wait,
                         const std::function<void(const std::string& holder)>& waiting) {
  std::filesystem::path dir = project_dir / ".dockerops";
  if (!std::filesystem::is_directory(dir)) {
    fs::make_dirs(dir);
    fs::chown_to_invoking_user(dir);
  }
  std::filesystem::path path = dir / "lock";
  m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (m_fd < 0)
    fail(ErrorKind::io, "{}: cannot open: {}", path.string(), std::strerror(errno));
  fs::chown_to_invoking_user(path);
  bool told = false;
  while (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      int error = errno;
      ::close(m_fd);
      fail(ErrorKind::io, "{}: cannot lock: {}", path.string(), std::strerror(error));
    }
    std::string holder = holder_of(m_fd);
    if (!wait) {
      ::close(m_fd);
      fail(ErrorKind::conflict,
           "project {} is busy: {} is changing it; try again when it is done (without "
           "--no-wait, dockerops waits for it)",
           project, holder);
    }
    if (!told && waiting)
      waiting(holder);
    told = true;
    try {
      interrupt::check();
    } catch (...) {
      ::close(m_fd);
      throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::string text = fmt::format("{} {}\n", ::getpid(), command);
  if (::ftruncate(m_fd, 0) != 0 || ::pwrite(m_fd, text.data(), text.size(), 0) < 0) {
    // The holder's description is for messages only: a waiter then says "another dockerops command".
  }
}

ProjectLock::~ProjectLock() {
  if (m_fd >= 0) {
    // Emptied first, so that a waiter never names a holder that is gone.
    if (::ftruncate(m_fd, 0) != 0) {
      // For messages only, as above.
    }
    ::close(m_fd); // releases the flock
  }
}

} // namespace dockerops::core
