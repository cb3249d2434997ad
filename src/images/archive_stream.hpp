#pragma once

#include "engine/types.hpp"

#include <exception>
#include <functional>
#include <memory>
#include <thread>

struct archive;

namespace dockerops::images {

// Streams a tar made with libarchive into an Engine request body without a temporary file:
// `fill` writes entries into a ustar/pax archive on a worker thread; the bytes travel through a
// socket pair and come out of reader(). An error in `fill` surfaces from reader() at the end;
// destroying the stream early (the request failed) stops the worker.
class ArchiveStream {
public:
  using Fill = std::function<void(struct archive* writer)>;

  explicit ArchiveStream(Fill fill);
  ~ArchiveStream();
  ArchiveStream(const ArchiveStream&) = delete;
  ArchiveStream& operator=(const ArchiveStream&) = delete;

  // Fills up to `size` bytes; 0 at the end. Throws the worker's error, if any, at the end.
  std::size_t read(char* buffer, std::size_t size);

  // A BodyReader bound to this stream (which must outlive the request).
  engine::BodyReader reader();

private:
  void run(const Fill& fill);

  int m_read_fd = -1;
  int m_write_fd = -1;
  std::exception_ptr m_error;
  std::thread m_worker;
};

// Throws an io Error with libarchive's message for `what`.
[[noreturn]] void archive_fail(struct archive* a, const char* what);

} // namespace dockerops::images
