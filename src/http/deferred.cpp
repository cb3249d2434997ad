#include "http/deferred.hpp"

namespace dockerops::http {

void Deferred::complete(Response response) {
  std::function<void()> waker;
  {
    std::lock_guard lock(m_mutex);
    if (m_response || m_taken)
      return;
    m_response = std::move(response);
    waker = m_waker;
  }
  if (waker)
    waker();
}

std::optional<Response> Deferred::take() {
  std::lock_guard lock(m_mutex);
  if (!m_response)
    return std::nullopt;
  m_taken = true;
  auto response = std::move(m_response);
  m_response.reset();
  return response;
}

void Deferred::set_waker(const std::function<void()>& waker) {
  bool ready = false;
  {
    std::lock_guard lock(m_mutex);
    m_waker = waker;
    ready = m_response.has_value();
  }
  if (ready && waker)
    waker();
}

} // namespace dockerops::http
