#include "dns/client/tcp.hpp"

#include "base/error.hpp"
#include "dns/proto/record.hpp"
#include "dns/proto/tsig.hpp"
#include "dns/proto/wire.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace dockerops::dns::client_tcp {

namespace {

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

void wait_for(int fd, short events, Clock::time_point deadline, const char* what) {
  for (;;) {
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n > 0)
      return;
    if (n == 0)
      fail(ErrorKind::dns_unreachable, "timed out {}", what);
    if (errno != EINTR)
      fail(ErrorKind::dns_unreachable, "poll: {}", std::strerror(errno));
  }
}

} // namespace

std::uint16_t random_id() {
  std::uint16_t id = 0;
  if (::getrandom(&id, sizeof id, 0) != sizeof id)
    id = static_cast<std::uint16_t>(Clock::now().time_since_epoch().count());
  return id;
}

std::vector<std::uint8_t> query_message(std::uint16_t id, const WireName& name, std::uint16_t type) {
  std::vector<std::uint8_t> q(k_header_size + name.size() + 4, 0);
  put16(q.data(), id);
  put16(q.data() + 4, 1); // QDCOUNT
  std::memcpy(q.data() + k_header_size, name.data(), name.size());
  put16(q.data() + k_header_size + name.size(), type);
  put16(q.data() + k_header_size + name.size() + 2, k_class_in);
  return q;
}

std::string tsig_error_hint(std::uint16_t error, const TsigKey& key) {
  switch (error) {
  case static_cast<std::uint16_t>(TsigError::badkey):
    return fmt::format("the server does not know TSIG key {}; the key file differs from the server's",
                       key.name);
  case static_cast<std::uint16_t>(TsigError::badsig):
    return fmt::format("the server rejected the signature of key {}; the secret differs from the server's",
                       key.name);
  case static_cast<std::uint16_t>(TsigError::badtime):
    return "the clocks of this host and the DNS server differ by more than 300 seconds";
  default:
    return fmt::format("TSIG error {}", error);
  }
}

Connection::Connection(const ClientOptions& options) {
  sockaddr_storage addr{};
  socklen_t length = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&addr);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&addr);
  if (::inet_pton(AF_INET, options.server_ip.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(options.port);
    length = sizeof *v4;
  } else if (::inet_pton(AF_INET6, options.server_ip.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(options.port);
    length = sizeof *v6;
  } else {
    fail(ErrorKind::dns, "dns server address \"{}\" is not an IP address", options.server_ip);
  }
  m_fd = ::socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (m_fd < 0)
    fail(ErrorKind::dns_unreachable, "socket: {}", std::strerror(errno));
  auto deadline = Clock::now() + options.connect_timeout;
  if (::connect(m_fd, reinterpret_cast<sockaddr*>(&addr), length) != 0) {
    if (errno != EINPROGRESS) {
      int e = errno;
      ::close(m_fd);
      fail(ErrorKind::dns_unreachable, "connect: {}", std::strerror(e));
    }
    try {
      wait_for(m_fd, POLLOUT, deadline, "connecting");
    } catch (const Error&) {
      ::close(m_fd);
      throw;
    }
    int error = 0;
    socklen_t size = sizeof error;
    ::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &size);
    if (error != 0) {
      ::close(m_fd);
      fail(ErrorKind::dns_unreachable, "connect: {}", std::strerror(error));
    }
  }
  int one = 1;
  ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

Connection::~Connection() {
  ::close(m_fd);
}

void Connection::send(const std::vector<std::uint8_t>& message, Clock::time_point deadline) {
  std::vector<std::uint8_t> out(2);
  put16(out.data(), static_cast<std::uint16_t>(message.size()));
  out.insert(out.end(), message.begin(), message.end());
  std::size_t sent = 0;
  while (sent < out.size()) {
    ssize_t n = ::send(m_fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      wait_for(m_fd, POLLOUT, deadline, "sending");
      continue;
    }
    if (n < 0)
      fail(ErrorKind::dns_unreachable, "send: {}", std::strerror(errno));
    sent += static_cast<std::size_t>(n);
  }
}

std::vector<std::uint8_t> Connection::receive(Clock::time_point deadline) {
  std::vector<std::uint8_t> in;
  std::size_t want = 2;
  while (in.size() < want) {
    std::uint8_t buffer[16384];
    ssize_t n = ::recv(m_fd, buffer, std::min(sizeof buffer, want - in.size()), 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      wait_for(m_fd, POLLIN, deadline, "waiting for the reply");
      continue;
    }
    if (n <= 0)
      fail(ErrorKind::dns_unreachable, "{}",
           n == 0 ? std::string("connection closed before the reply")
                  : fmt::format("recv: {}", std::strerror(errno)));
    in.insert(in.end(), buffer, buffer + n);
    if (want == 2 && in.size() == 2)
      want = 2 + get16(in.data());
  }
  return std::vector<std::uint8_t>(in.begin() + 2, in.end());
}

} // namespace dockerops::dns::client_tcp
