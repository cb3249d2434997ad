#include "images/archive_stream.hpp"

#include "base/error.hpp"

#include <archive.h>
#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

namespace dockerops::images {
namespace {

la_ssize_t write_callback(struct archive* a, void* data, const void* buffer, size_t length) {
  int fd = *static_cast<int*>(data);
  const char* bytes = static_cast<const char*>(buffer);
  size_t done = 0;
  while (done < length) {
    // MSG_NOSIGNAL: a reader that went away gives EPIPE, not a SIGPIPE that kills dockerops.
    ssize_t n = ::send(fd, bytes + done, length - done, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      archive_set_error(a, errno, "%s", std::strerror(errno));
      return -1;
    }
    done += static_cast<size_t>(n);
  }
  return static_cast<la_ssize_t>(length);
}

} // namespace

void archive_fail(struct archive* a, const char* what) {
  const char* message = archive_error_string(a);
  fail(ErrorKind::io, "{}: {}", what, message != nullptr ? message : "libarchive error");
}

ArchiveStream::ArchiveStream(Fill fill) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    fail(ErrorKind::io, "cannot create a socket pair for the tar stream: {}", std::strerror(errno));
  m_read_fd = fds[0];
  m_write_fd = fds[1];
  m_worker = std::thread([this, f = std::move(fill)] { run(f); });
}

ArchiveStream::~ArchiveStream() {
  // Closing the read end first makes a worker blocked in send() fail with EPIPE and finish.
  if (m_read_fd >= 0)
    ::close(m_read_fd);
  if (m_worker.joinable())
    m_worker.join();
}

void ArchiveStream::run(const Fill& fill) {
  struct archive* a = archive_write_new();
  try {
    if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK)
      archive_fail(a, "tar format");
    // Docker reads plain tar; the default 10 KiB blocking is fine, but no compression.
    if (archive_write_open(a, &m_write_fd, nullptr, write_callback, nullptr) != ARCHIVE_OK)
      archive_fail(a, "tar stream");
    fill(a);
    if (archive_write_close(a) != ARCHIVE_OK)
      archive_fail(a, "tar stream");
  } catch (...) {
    m_error = std::current_exception();
  }
  archive_write_free(a);
  ::shutdown(m_write_fd, SHUT_WR);
  ::close(m_write_fd);
}

std::size_t ArchiveStream::read(char* buffer, std::size_t size) {
  while (true) {
    ssize_t n = ::recv(m_read_fd, buffer, size, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      fail(ErrorKind::io, "reading the tar stream: {}", std::strerror(errno));
    if (n == 0) {
      if (m_worker.joinable())
        m_worker.join();
      if (m_error)
        std::rethrow_exception(m_error);
    }
    return static_cast<std::size_t>(n);
  }
}

engine::BodyReader ArchiveStream::reader() {
  return [this](char* buffer, std::size_t size) { return read(buffer, size); };
}

} // namespace dockerops::images
