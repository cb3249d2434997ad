#pragma once

#include "http/message.hpp"

#include <functional>
#include <mutex>
#include <optional>

namespace dockerops::http {

// A response that another thread completes (an agent action that takes seconds): the server
// parks the connection, and answers once complete() is called. Thread-safe.
class Deferred {
public:
  // Sets the response; only the first call counts.
  void complete(Response response);

  // Server side: the response once complete, else nullopt.
  std::optional<Response> take();

  // Server side: how to wake the connection on completion (called at once when already done).
  void set_waker(const std::function<void()>& waker);

private:
  std::mutex m_mutex{};
  std::optional<Response> m_response{};
  bool m_taken = false;
  std::function<void()> m_waker{};
};

} // namespace dockerops::http
