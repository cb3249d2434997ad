// The forwarding state machine (forward.hpp): one UDP socket per address family shared by all
// queries, one TCP connection per query that needs it, all in the forwarder's own epoll set so
// the TCP thread's loop watches a single descriptor.

#include "dns/server/forward.hpp"

#include "base/error.hpp"
#include "base/log.hpp"
#include "base/strings.hpp"
#include "dns/server/reply.hpp"

#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace dockerops::dns {

namespace {

// Whether the reply's question is the one we asked (names without regard to case).
bool same_question(std::span<const std::uint8_t> ours, std::span<const std::uint8_t> reply) {
  std::size_t ours_end = k_header_size;
  std::size_t reply_end = k_header_size;
  if (!check_name(ours, ours_end, ours.size()) || !check_name(reply, reply_end, reply.size()) ||
      ours_end != reply_end || reply_end + 4 > reply.size() || ours_end + 4 > ours.size())
    return false;
  auto text = [](std::span<const std::uint8_t> m, std::size_t end) {
    return strings::to_lower(
        std::string_view(reinterpret_cast<const char*>(m.data()) + k_header_size, end + 4 - k_header_size));
  };
  return text(ours, ours_end) == text(reply, reply_end);
}

void watch(int ep, int fd, std::uint32_t events, int op = EPOLL_CTL_ADD) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  if (::epoll_ctl(ep, op, fd, &ev) != 0 && op == EPOLL_CTL_ADD)
    fail(ErrorKind::io, "epoll_ctl: {}", std::strerror(errno));
}

} // namespace

Forwarder::Forwarder(std::vector<Upstream> upstreams) : m_upstreams(std::move(upstreams)) {
  if (getrandom(&m_rng, sizeof m_rng, 0) != sizeof m_rng)
    m_rng = 0x9e3779b97f4a7c15ull ^ static_cast<std::uint64_t>(getpid());
  m_ep = ::epoll_create1(EPOLL_CLOEXEC);
  if (m_ep < 0)
    dockerops::fail(ErrorKind::io, "epoll_create1: {}", std::strerror(errno));
  for (const auto& u : m_upstreams) {
    int& fd = u.address.ss_family == AF_INET ? m_fd4 : m_fd6;
    if (fd >= 0)
      continue;
    fd = ::socket(u.address.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
      dockerops::fail(ErrorKind::io, "cannot create a forwarding socket: {}", std::strerror(errno));
    watch(m_ep, fd, EPOLLIN);
  }
}

Forwarder::~Forwarder() {
  for (auto& [id, p] : m_pending)
    close_tcp(p);
  for (int fd : {m_fd4, m_fd6, m_ep})
    if (fd >= 0)
      ::close(fd);
}

int Forwarder::socket_for(const Upstream& upstream) const {
  return upstream.address.ss_family == AF_INET ? m_fd4 : m_fd6;
}

std::uint16_t Forwarder::fresh_id() {
  for (;;) {
    // xorshift64*: IDs unpredictable enough for an upstream on a trusted path.
    m_rng ^= m_rng >> 12;
    m_rng ^= m_rng << 25;
    m_rng ^= m_rng >> 27;
    auto id = static_cast<std::uint16_t>((m_rng * 2685821657736338717ull) >> 48);
    if (!m_pending.contains(id))
      return id;
  }
}

void Forwarder::submit(std::span<const std::uint8_t> query, const Packet& packet, bool tcp, Done done) {
  if (m_upstreams.empty() || m_pending.size() >= k_max_pending) {
    std::uint8_t reply[512];
    done(std::span<const std::uint8_t>(reply, write_error_reply(query, packet, rcode::servfail, reply)));
    return;
  }
  std::uint16_t id = fresh_id();
  Pending& p = m_pending[id];
  p.client_query.assign(query.begin(), query.end());
  p.client_packet = packet;
  p.limit = reply_limit(packet, tcp);
  p.query = upstream_query(query, packet, id);
  p.tcp = tcp;
  p.done = std::move(done);
  send_try(id, p);
}

void Forwarder::send_try(std::uint16_t id, Pending& p) {
  const Upstream& u = m_upstreams[p.upstream];
  ++p.tries;
  p.deadline = std::chrono::steady_clock::now() + k_forward_timeout;
  if (!p.tcp) {
    if (::sendto(socket_for(u), p.query.data(), p.query.size(), 0,
                 reinterpret_cast<const sockaddr*>(&u.address), u.length) < 0)
      log::debug("forward to {} failed: {}", u.text, std::strerror(errno));
    return;
  }
  p.tcp_fd = ::socket(u.address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (p.tcp_fd < 0 || (::connect(p.tcp_fd, reinterpret_cast<const sockaddr*>(&u.address), u.length) != 0 &&
                       errno != EINPROGRESS)) {
    log::debug("forward to {} over TCP failed: {}", u.text, std::strerror(errno));
    close_tcp(p); // the deadline moves it on
    return;
  }
  p.tcp_out.assign(2, 0);
  put16(p.tcp_out.data(), static_cast<std::uint16_t>(p.query.size()));
  p.tcp_out.insert(p.tcp_out.end(), p.query.begin(), p.query.end());
  p.tcp_sent = 0;
  p.tcp_in.clear();
  m_tcp[p.tcp_fd] = id;
  watch(m_ep, p.tcp_fd, EPOLLOUT);
}

void Forwarder::close_tcp(Pending& p) {
  if (p.tcp_fd < 0)
    return;
  m_tcp.erase(p.tcp_fd);
  ::close(p.tcp_fd); // leaves the epoll set with it
  p.tcp_fd = -1;
}

void Forwarder::retry(std::uint16_t id) {
  Pending& p = m_pending.at(id);
  close_tcp(p);
  if (p.tries >= m_upstreams.size() * k_forward_rounds) {
    fail(id);
    return;
  }
  p.upstream = (p.upstream + 1) % m_upstreams.size();
  send_try(id, p);
}

bool Forwarder::finish(std::uint16_t id, std::span<const std::uint8_t> upstream_reply) {
  Pending& p = m_pending.at(id);
  std::optional<std::vector<std::uint8_t>> reply =
      client_reply(upstream_reply, p.client_query, p.client_packet, p.limit);
  if (!reply)
    return false;
  close_tcp(p);
  Done done = std::move(p.done);
  m_pending.erase(id);
  done(*reply);
  return true;
}

void Forwarder::fail(std::uint16_t id) {
  auto it = m_pending.find(id);
  Pending p = std::move(it->second);
  m_pending.erase(it);
  close_tcp(p);
  std::uint8_t reply[512];
  p.done(std::span<const std::uint8_t>(
      reply, write_error_reply(p.client_query, p.client_packet, rcode::servfail, reply)));
}

void Forwarder::on_readable() {
  epoll_event events[64];
  int n = ::epoll_wait(m_ep, events, 64, 0);
  for (int i = 0; i < n; ++i) {
    const int fd = events[i].data.fd;
    if (fd == m_fd4 || fd == m_fd6) {
      on_udp(fd);
    } else if (auto it = m_tcp.find(fd); it != m_tcp.end()) {
      on_tcp(it->second, events[i].events);
    }
  }
}

void Forwarder::on_udp(int fd) {
  std::uint8_t buffer[65536];
  for (;;) {
    sockaddr_storage from{};
    socklen_t from_length = sizeof from;
    ssize_t n = ::recvfrom(fd, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&from), &from_length);
    if (n < 0)
      return;
    std::span<const std::uint8_t> reply(buffer, static_cast<std::size_t>(n));
    if (reply.size() < k_header_size)
      continue;
    auto it = m_pending.find(get16(buffer));
    if (it == m_pending.end() || it->second.tcp)
      continue;
    Pending& p = it->second;
    // Accept only the upstream we asked, with our question (anti-spoofing).
    if (!same_endpoint(from, m_upstreams[p.upstream].address) || !(buffer[2] & 0x80) ||
        !same_question(p.query, reply))
      continue;
    if (buffer[2] & (flag::tc >> 8)) {
      // Truncated: the same upstream again over TCP (RFC 7766 §6.2.1).
      p.tcp = true;
      --p.tries;
      send_try(it->first, p);
      continue;
    }
    finish(it->first, reply); // an unusable reply: the deadline moves on
  }
}

void Forwarder::on_tcp(std::uint16_t id, std::uint32_t events) {
  Pending& p = m_pending.at(id);
  if (events & (EPOLLERR | EPOLLHUP) && !(events & EPOLLIN)) {
    retry(id);
    return;
  }
  while (p.tcp_sent < p.tcp_out.size()) {
    ssize_t n = ::send(p.tcp_fd, p.tcp_out.data() + p.tcp_sent, p.tcp_out.size() - p.tcp_sent, MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EINPROGRESS))
      return;
    if (n <= 0) {
      retry(id);
      return;
    }
    p.tcp_sent += static_cast<std::size_t>(n);
    if (p.tcp_sent == p.tcp_out.size())
      watch(m_ep, p.tcp_fd, EPOLLIN, EPOLL_CTL_MOD);
  }
  std::uint8_t buffer[16384];
  for (;;) {
    ssize_t n = ::recv(p.tcp_fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EAGAIN)
      return;
    if (n <= 0) {
      retry(id); // closed before a whole reply
      return;
    }
    p.tcp_in.insert(p.tcp_in.end(), buffer, buffer + n);
    if (p.tcp_in.size() < 2 || p.tcp_in.size() < 2u + get16(p.tcp_in.data()))
      continue;
    std::span<const std::uint8_t> reply(p.tcp_in.data() + 2, get16(p.tcp_in.data()));
    if (reply.size() < k_header_size || get16(reply.data()) != id || !same_question(p.query, reply) ||
        !finish(id, reply))
      retry(id);
    return;
  }
}

void Forwarder::on_timer() {
  auto now = std::chrono::steady_clock::now();
  std::vector<std::uint16_t> expired;
  for (auto& [id, p] : m_pending)
    if (p.deadline <= now)
      expired.push_back(id);
  for (auto id : expired)
    retry(id);
}

int Forwarder::next_timeout_ms() const {
  if (m_pending.empty())
    return -1;
  auto next = std::chrono::steady_clock::time_point::max();
  for (const auto& [id, p] : m_pending)
    next = std::min(next, p.deadline);
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(next - std::chrono::steady_clock::now()).count();
  return static_cast<int>(std::max<long long>(ms + 1, 0));
}

} // namespace dockerops::dns
