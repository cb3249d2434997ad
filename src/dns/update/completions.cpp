#include "base/error.hpp"
#include "dns/update/context.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace dockerops::dns {

UpdateCompletions::UpdateCompletions() {
  m_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (m_fd < 0)
    fail(ErrorKind::io, "eventfd: {}", std::strerror(errno));
}

UpdateCompletions::~UpdateCompletions() {
  if (m_fd >= 0)
    ::close(m_fd);
}

void UpdateCompletions::push(std::uint64_t token, std::optional<std::vector<std::uint8_t>> reply) {
  {
    std::lock_guard lock(m_mutex);
    m_done.emplace_back(token, std::move(reply));
  }
  std::uint64_t one = 1;
  (void)!::write(m_fd, &one, sizeof one);
}

std::vector<std::pair<std::uint64_t, std::optional<std::vector<std::uint8_t>>>> UpdateCompletions::drain() {
  std::uint64_t count;
  (void)!::read(m_fd, &count, sizeof count);
  std::lock_guard lock(m_mutex);
  return std::exchange(m_done, {});
}

} // namespace dockerops::dns
