#include "dns/server/server.hpp"

#include "base/error.hpp"
#include "base/log.hpp"
#include "dns/server/server_impl.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstring>

namespace dockerops::dns {

namespace {

// Parses a listen address into a sockaddr with `port`.
socklen_t make_address(const std::string& text, std::uint16_t port, sockaddr_storage& out) {
  out = {};
  auto* a4 = reinterpret_cast<sockaddr_in*>(&out);
  auto* a6 = reinterpret_cast<sockaddr_in6*>(&out);
  if (inet_pton(AF_INET, text.c_str(), &a4->sin_addr) == 1) {
    a4->sin_family = AF_INET;
    a4->sin_port = htons(port);
    return sizeof(sockaddr_in);
  }
  if (inet_pton(AF_INET6, text.c_str(), &a6->sin6_addr) == 1) {
    a6->sin6_family = AF_INET6;
    a6->sin6_port = htons(port);
    return sizeof(sockaddr_in6);
  }
  fail(ErrorKind::usage, "--listen: \"{}\" is not an IPv4 or IPv6 address", text);
}

int open_socket(const std::string& text, std::uint16_t port, int type, std::uint16_t& bound_port) {
  sockaddr_storage address;
  socklen_t length = make_address(text, port, address);
  int fd = ::socket(address.ss_family, type | (type == SOCK_STREAM ? SOCK_NONBLOCK : 0) | SOCK_CLOEXEC, 0);
  if (fd < 0)
    fail(ErrorKind::io, "cannot create a socket for {}: {}", text, std::strerror(errno));
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (address.ss_family == AF_INET6)
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  if (type == SOCK_DGRAM) {
    int size = 4 << 20; // absorb bursts; the kernel caps it at rmem_max
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    timeval timeout{1, 0}; // the UDP threads block in recvmmsg; they look at the stop flag this often
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0) {
    int e = errno;
    ::close(fd);
    fail(ErrorKind::io, "cannot listen on {} port {} ({}): {}{}", text, port,
         type == SOCK_DGRAM ? "udp" : "tcp", std::strerror(e),
         e == EACCES ? "; ports below 1024 need root or CAP_NET_BIND_SERVICE" : "");
  }
  if (type == SOCK_STREAM && ::listen(fd, 128) != 0)
    fail(ErrorKind::io, "cannot listen on {} port {}: {}", text, port, std::strerror(errno));
  socklen_t l = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &l);
  bound_port = ntohs(address.ss_family == AF_INET ? reinterpret_cast<sockaddr_in&>(address).sin_port
                                                  : reinterpret_cast<sockaddr_in6&>(address).sin6_port);
  return fd;
}

} // namespace

void epoll_watch(int epoll_fd, int fd, std::uint32_t events) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  if (::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0)
    fail(ErrorKind::io, "epoll_ctl failed: {}", std::strerror(errno));
}

Server::Impl::~Impl() {
  for (int fd : udp_fds)
    ::close(fd);
  for (int fd : tcp_fds)
    ::close(fd);
  if (tcp_wake >= 0)
    ::close(tcp_wake);
}

bool Server::Impl::hand_off(Handoff item) {
  {
    std::lock_guard lock(queue_mutex);
    if (queue.size() >= 1024)
      return false;
    queue.push_back(std::move(item));
  }
  std::uint64_t one = 1;
  (void)!::write(tcp_wake, &one, sizeof one);
  return true;
}

Server::Server(ServerConfig config, ZoneSet& zones, std::shared_ptr<UpdateContext> update)
    : m_impl(std::make_unique<Impl>(std::move(config), zones, std::move(update))) {}

Server::~Server() {
  stop();
}

void Server::start() {
  Impl& s = *m_impl;
  // With port 0 the first socket picks a free UDP port and the others reuse
  // its number, which may already be taken for TCP: then start over with a
  // new number (a fixed port gets one attempt and its error).
  const int attempts = s.config.port == 0 ? 32 : 1;
  for (int attempt = 1;; ++attempt) {
    try {
      std::uint16_t port = s.config.port;
      for (const auto& address : s.config.listen) {
        s.udp_fds.push_back(open_socket(address, port, SOCK_DGRAM, m_bound_port));
        port = m_bound_port;
        s.tcp_fds.push_back(open_socket(address, port, SOCK_STREAM, m_bound_port));
      }
      break;
    } catch (const Error&) {
      for (int fd : s.udp_fds)
        ::close(fd);
      for (int fd : s.tcp_fds)
        ::close(fd);
      s.udp_fds.clear();
      s.tcp_fds.clear();
      if (attempt >= attempts)
        throw;
    }
  }
  s.tcp_wake = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  for (int fd : s.udp_fds)
    s.udp_threads.emplace_back([&s, fd] { s.run_udp(fd); });
  s.tcp_thread = std::thread([&s] { s.run_tcp(); });
}

void Server::stop() {
  if (!m_impl || m_impl->stopping.exchange(true))
    return;
  std::uint64_t one = 1;
  if (m_impl->tcp_wake >= 0)
    (void)!::write(m_impl->tcp_wake, &one, sizeof one);
  // shutdown() wakes a thread blocked in recvmmsg on the socket (Linux); the
  // 1 s receive timeout of the UDP sockets is the fallback.
  for (int fd : m_impl->udp_fds)
    ::shutdown(fd, SHUT_RDWR);
  for (auto& t : m_impl->udp_threads)
    if (t.joinable())
      t.join();
  if (m_impl->tcp_thread.joinable())
    m_impl->tcp_thread.join();
}

} // namespace dockerops::dns
