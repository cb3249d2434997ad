#pragma once

#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace dockerops::http {

// The body of a streamed response (SSE): producers on any thread push bytes, the server's event
// thread reads them when the client can take more. Between pushes the connection is parked
// (suspended) at no cost, so idle streams never hold a thread.
class Stream {
public:
  explicit Stream(std::size_t max_backlog);
  virtual ~Stream() = default;
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  // Appends output. Returns false once the stream is over (finished, the client gone, or the
  // backlog over its bound: a client that does not read is cut off rather than buffered forever).
  bool push(std::string_view bytes);

  // Ends the stream after the pending output.
  void finish();

  // True once the stream is over or the client went away: producers stop.
  bool done() const;

  // What read() found.
  enum class Read { data, empty, end };

  // Server side: moves up to `max` pending bytes into `buffer` (count in `taken`).
  Read read(char* buffer, std::size_t max, std::size_t& taken);

  // Server side: called when pending output appears (push, finish) to wake the connection.
  void set_waker(std::function<void()> waker);

  // Server side: the client went away (or the server stops); the stream is over.
  void close();

  // Called once when the stream is closed or finished (producers unsubscribe here).
  void on_close(std::function<void()> callback);

private:
  void wake_and_notify(std::unique_lock<std::mutex>& lock, bool ended);

  mutable std::mutex m_mutex{};
  std::string m_pending{};
  std::size_t m_max_backlog;
  bool m_finished = false;
  bool m_closed = false;
  std::function<void()> m_waker{};
  std::function<void()> m_on_close{};
};

} // namespace dockerops::http
