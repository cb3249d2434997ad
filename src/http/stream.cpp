#include "http/stream.hpp"

#include <cstring>

namespace dockerops::http {

Stream::Stream(std::size_t max_backlog) : m_max_backlog(max_backlog) {}

bool Stream::push(std::string_view bytes) {
  std::unique_lock lock(m_mutex);
  if (m_finished || m_closed)
    return false;
  if (m_pending.size() + bytes.size() > m_max_backlog) {
    // The client does not read: end the stream instead of buffering without bound.
    m_pending.clear();
    m_finished = true;
    wake_and_notify(lock, true);
    return false;
  }
  m_pending.append(bytes);
  wake_and_notify(lock, false);
  return true;
}

void Stream::finish() {
  std::unique_lock lock(m_mutex);
  if (m_finished || m_closed)
    return;
  m_finished = true;
  wake_and_notify(lock, true);
}

bool Stream::done() const {
  std::lock_guard lock(m_mutex);
  return m_finished || m_closed;
}

Stream::Read Stream::read(char* buffer, std::size_t max, std::size_t& taken) {
  std::lock_guard lock(m_mutex);
  taken = 0;
  if (!m_pending.empty() && !m_closed) {
    taken = m_pending.size() < max ? m_pending.size() : max;
    std::memcpy(buffer, m_pending.data(), taken);
    m_pending.erase(0, taken);
    return Read::data;
  }
  return m_finished || m_closed ? Read::end : Read::empty;
}

void Stream::set_waker(std::function<void()> waker) {
  std::lock_guard lock(m_mutex);
  m_waker = std::move(waker);
}

void Stream::close() {
  std::unique_lock lock(m_mutex);
  if (m_closed)
    return;
  m_closed = true;
  m_waker = nullptr;
  auto callback = std::move(m_on_close);
  m_on_close = nullptr;
  lock.unlock();
  if (callback)
    callback();
}

void Stream::on_close(std::function<void()> callback) {
  std::unique_lock lock(m_mutex);
  if (m_closed || m_finished) {
    lock.unlock();
    callback();
    return;
  }
  m_on_close = std::move(callback);
}

void Stream::wake_and_notify(std::unique_lock<std::mutex>& lock, bool ended) {
  auto waker = m_waker;
  std::function<void()> callback;
  if (ended) {
    callback = std::move(m_on_close);
    m_on_close = nullptr;
  }
  lock.unlock();
  if (waker)
    waker();
  if (callback)
    callback();
}

} // namespace dockerops::http
