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

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void write_file_atomic(const std::filesystem::path& path, const std::string& content, unsigned mode) {
  std::filesystem::path tmp = path;
  tmp += ".tmp." + std::to_string(getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0)
    fail(ErrorKind::io, "{}: cannot write: {}", path.string(), std::strerror(errno));
  auto give_up = [&](const char* what) {
    int saved = errno;
    if (fd >= 0)
      ::close(fd);
    ::unlink(tmp.c_str());
    fail(ErrorKind::io, "{}: cannot {}: {}", path.string(), what, std::strerror(saved));
  };
  if (!write_all(fd, content))
    give_up("write");
  if (::fchmod(fd, mode) != 0)
    give_up("set the mode of");
  if (::fsync(fd) != 0)
    give_up("sync");
  if (::close(fd) != 0) {
    fd = -1;
    give_up("write");
  }
  fd = -1;
  if (::rename(tmp.c_str(), path.c_str()) != 0)
    give_up("replace");
  // The rename is durable once the folder is.
  std::filesystem::path dir = path.parent_path();
  int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

unsigned file_mode_or(const std::filesystem::path& path, unsigned otherwise) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<unsigned>(st.st_mode & 07777) : otherwise;
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
