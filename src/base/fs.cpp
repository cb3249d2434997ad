#include "base/fs.hpp"

#include "base/error.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace dockerops::fs {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    fail(ErrorKind::io, "{}: cannot read: {}", path.string(), std::strerror(errno));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file_atomic(const std::filesystem::path& path, const std::string& content, unsigned mode) {
  std::filesystem::path tmp = path;
  tmp += ".tmp." + std::to_string(getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0)
    fail(ErrorKind::io, "{}: cannot write: {}", path.string(), std::strerror(errno));
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, data, left);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int saved = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      fail(ErrorKind::io, "{}: cannot write: {}", path.string(), std::strerror(saved));
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  ::fchmod(fd, mode);
  ::fsync(fd);
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int saved = errno;
    ::unlink(tmp.c_str());
    fail(ErrorKind::io, "{}: cannot replace: {}", path.string(), std::strerror(saved));
  }
}

void make_dirs(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec)
    fail(ErrorKind::io, "{}: cannot create folder: {}", path.string(), ec.message());
}

void chown_to_invoking_user(const std::filesystem::path& path) {
  const char* uid = std::getenv("SUDO_UID");
  const char* gid = std::getenv("SUDO_GID");
  if (uid == nullptr || gid == nullptr || geteuid() != 0)
    return;
  // Best effort: a failure leaves a root-owned file, which still works.
  (void)::chown(path.c_str(), static_cast<uid_t>(std::strtoul(uid, nullptr, 10)),
                static_cast<gid_t>(std::strtoul(gid, nullptr, 10)));
}

} // namespace dockerops::fs
