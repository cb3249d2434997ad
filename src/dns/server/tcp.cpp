// The TCP/update thread's loop and its RFC 7766 connections (see tcp_loop.hpp). Zone
// transfers are written a window at a time, when the socket has taken the previous messages, so a
// large zone or a slow reader never holds up the other connections.

#include "dns/server/tcp_loop.hpp"

#include "base/error.hpp"
#include "dns/proto/tsig.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace dockerops::dns {

namespace {

constexpr std::size_t k_max_output = 1 << 20; // a client that never reads gets dropped
// A transfer keeps at most this much queued; the next messages are written
// when the socket has taken it (EPOLLOUT).
constexpr std::size_t k_transfer_window = 128 * 1024;

bool contains(const std::vector<int>& fds, int fd) {
  return std::find(fds.begin(), fds.end(), fd) != fds.end();
}

} // namespace

void Server::Impl::run_tcp() {
  TcpLoop(*this).run();
}

TcpLoop::TcpLoop(Server::Impl& server)
    : m_server(server), m_ep(::epoll_create1(EPOLL_CLOEXEC)), m_engine(server.zones),
      m_forwarder(server.config.upstreams), m_reply(k_max_message_size) {
  if (m_ep < 0)
    fail(ErrorKind::io, "epoll_create1: {}", std::strerror(errno));
  m_engine.set_updates_enabled(server.update != nullptr);
  m_engine.set_tsig(server.update ? &server.update->keys() : nullptr); // signed queries: RFC 8945 §5.2
  m_engine.set_classic_answer_limit(server.config.classic_answer_limit);
  epoll_watch(m_ep, server.tcp_wake);
  for (int fd : server.tcp_fds)
    epoll_watch(m_ep, fd);
  if (m_forwarder.enabled())
    epoll_watch(m_ep, m_forwarder.fd());
  epoll_watch(m_ep, m_completions->fd());
}

TcpLoop::~TcpLoop() {
  for (auto& [fd, c] : m_connections)
    ::close(fd);
  ::close(m_ep);
}

void TcpLoop::run() {
  while (!m_server.stopping.load(std::memory_order_relaxed)) {
    int timeout = 1000; // idle sweeps at least once a second
    if (int f = m_forwarder.next_timeout_ms(); f >= 0)
      timeout = std::min(timeout, f);
    epoll_event events[64];
    int n = ::epoll_wait(m_ep, events, 64, timeout);
    for (int e = 0; e < n; ++e) {
      int fd = events[e].data.fd;
      if (fd == m_completions->fd()) {
        deliver_updates();
      } else if (fd == m_server.tcp_wake) {
        std::uint64_t value;
        (void)!::read(m_server.tcp_wake, &value, sizeof value);
        drain_handoffs();
      } else if (fd == m_forwarder.fd()) {
        m_forwarder.on_readable();
      } else if (contains(m_server.tcp_fds, fd)) {
        accept_all(fd);
      } else {
        on_connection_event(fd, events[e].events);
      }
    }
    m_forwarder.on_timer();
    sweep_idle();
  }
}

void TcpLoop::accept_all(int listen_fd) {
  for (;;) {
    sockaddr_storage peer{};
    socklen_t length = sizeof peer;
    int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&peer), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0)
      return;
    if (m_connections.size() >= m_server.config.max_connections) {
      ::close(fd); // RFC 7766 §6.2.2: servers may refuse connections over their limit
      continue;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    Connection& c = m_connections[fd];
    c.fd = fd;
    c.generation = m_next_generation++;
    c.client.address = peer;
    c.client.address_length = length;
    c.client.tcp = true;
    c.last_activity = Clock::now();
    epoll_watch(m_ep, fd);
  }
}

void TcpLoop::on_connection_event(int fd, std::uint32_t events) {
  auto it = m_connections.find(fd);
  if (it == m_connections.end())
    return;
  Connection& c = it->second;
  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
    bool alive = true;
    std::uint8_t buffer[16384];
    for (;;) {
      ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
      if (got > 0) {
        c.in.insert(c.in.end(), buffer, buffer + got);
        if (c.in.size() > 2 * (k_max_message_size + 2)) {
          alive = process(c) && c.in.size() <= k_max_message_size + 2;
          if (!alive)
            break;
        }
        continue;
      }
      if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
        alive = false; // EOF: answer what is complete, then close
      break;
    }
    if (!process(c))
      alive = false;
    if (!flush(c))
      alive = false;
    if (!alive) {
      close_connection(fd);
      return;
    }
  }
  if (events & EPOLLOUT) {
    const bool transferring = c.transfer != nullptr;
    pump(c);
    // A finished transfer lets the messages that waited behind it run.
    if (!flush(c) || (transferring && !c.transfer && (!process(c) || !flush(c))))
      close_connection(fd);
  }
}

// Handles every complete message buffered on a connection (pipelining).
bool TcpLoop::process(Connection& c) {
  std::size_t pos = 0;
  while (!c.transfer && c.in.size() - pos >= 2) {
    std::size_t length = get16(c.in.data() + pos);
    if (length == 0)
      return false;
    if (c.in.size() - pos - 2 < length)
      break;
    std::span<const std::uint8_t> wire(c.in.data() + pos + 2, length);
    pos += 2 + length;
    c.last_activity = Clock::now();
    std::size_t reply_size = 0;
    Action action =
        m_engine.handle(wire, true, m_server.may_forward(c.client.address), m_packet, m_reply, reply_size);
    if (action == Action::reply) {
      queue_reply(c, std::span<const std::uint8_t>(m_reply.data(), reply_size));
    } else if (action == Action::transfer) {
      // Later messages on this connection wait until the transfer is written
      // (its messages must not interleave with other replies).
      c.transfer = std::make_unique<TransferWriter>(m_engine.take_transfer());
      pump(c);
    } else if (action == Action::update) {
      UpdateTarget target;
      target.tcp = true;
      target.fd = c.fd;
      target.generation = c.generation;
      submit_update(wire, c.client, target);
    } else if (action == Action::forward) {
      int fd = c.fd;
      std::uint64_t generation = c.generation;
      m_forwarder.submit(wire, m_packet, true, [this, fd, generation](std::span<const std::uint8_t> answer) {
        if (Connection* target = current(fd, generation)) {
          queue_reply(*target, answer);
          flush(*target); // may run inside process(): never close here, the sweep does
        }
      });
    }
  }
  c.in.erase(c.in.begin(), c.in.begin() + static_cast<std::ptrdiff_t>(pos));
  return true;
}

// Writes what the socket takes; false when the client has fallen too far behind.
bool TcpLoop::flush(Connection& c) {
  while (c.out_sent < c.out.size()) {
    ssize_t n = ::send(c.fd, c.out.data() + c.out_sent, c.out.size() - c.out_sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        break;
      return false;
    }
    c.out_sent += static_cast<std::size_t>(n);
    if (c.transfer)
      c.last_activity = Clock::now(); // a transfer read slowly is alive while it moves
  }
  if (c.out_sent == c.out.size()) {
    c.out.clear();
    c.out_sent = 0;
  }
  bool want = !c.out.empty() || c.transfer != nullptr;
  if (want != c.want_write) {
    epoll_event ev{};
    ev.events = EPOLLIN | (want ? EPOLLOUT : 0u);
    ev.data.fd = c.fd;
    ::epoll_ctl(m_ep, EPOLL_CTL_MOD, c.fd, &ev);
    c.want_write = want;
  }
  return c.out.size() - c.out_sent <= k_max_output;
}

// Queues the next messages of a connection's transfer, up to the window.
void TcpLoop::pump(Connection& c) {
  while (c.transfer && c.out.size() - c.out_sent < k_transfer_window) {
    if (!c.transfer->next(m_transfer_message, tsig_wall_seconds())) {
      c.transfer.reset();
      break;
    }
    queue_reply(c, m_transfer_message);
  }
}

void TcpLoop::queue_reply(Connection& c, std::span<const std::uint8_t> bytes) {
  c.out.push_back(static_cast<std::uint8_t>(bytes.size() >> 8));
  c.out.push_back(static_cast<std::uint8_t>(bytes.size()));
  c.out.insert(c.out.end(), bytes.begin(), bytes.end());
}

TcpLoop::Connection* TcpLoop::current(int fd, std::uint64_t generation) {
  auto it = m_connections.find(fd);
  return it != m_connections.end() && it->second.generation == generation ? &it->second : nullptr;
}

void TcpLoop::close_connection(int fd) {
  ::epoll_ctl(m_ep, EPOLL_CTL_DEL, fd, nullptr);
  ::close(fd);
  m_connections.erase(fd);
}

// Idle and slowloris sweep: a connection without a complete message for idle_timeout is closed,
// however many partial bytes it trickles in.
void TcpLoop::sweep_idle() {
  auto now = Clock::now();
  auto idle = m_server.config.idle_timeout;
  std::vector<int> expired;
  for (auto& [fd, c] : m_connections) {
    bool quiet = c.out.empty() && !c.transfer;
    // A busy connection gets three times longer: a reader that never drains its replies.
    if (now - c.last_activity > (quiet ? idle : 3 * idle))
      expired.push_back(fd);
  }
  for (int fd : expired)
    close_connection(fd);
}

} // namespace dockerops::dns
