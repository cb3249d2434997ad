// The TCP/update thread (see server.hpp): RFC 7766 connections, forwarding,
// and the hand-over of every UPDATE to the update path's committer thread
// (UpdateContext::submit, group commit); finished replies come back through
// UpdateCompletions' eventfd, so this loop never waits for an fsync.
// Zone transfers are written a window at a time, when the socket has taken
// the previous messages, so a large zone or a slow reader never holds up the
// other connections.

#include "base/log.hpp"
#include "dns/server_impl.hpp"
#include "dns/tsig.hpp"
#include "dns/update_context.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <map>

namespace dockerops::dns {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t k_max_output = 1 << 20; // a client that never reads gets dropped
// A transfer keeps at most this much queued; the next messages are written
// when the socket has taken it (EPOLLOUT).
constexpr std::size_t k_transfer_window = 128 * 1024;

struct Connection {
  int fd = -1;
  ClientInfo client;
  std::vector<std::uint8_t> in;
  std::vector<std::uint8_t> out;
  std::size_t out_sent = 0;
  Clock::time_point last_activity; // accept, last complete message or transfer progress; partial data never
  bool want_write = false;
  std::unique_ptr<TransferWriter> transfer; // a zone transfer being written; input waits meanwhile
};

// Where an update's reply goes once the committer has finished it.
struct UpdateTarget {
  bool tcp = false;
  int fd = -1;                  // connection, or the UDP socket
  std::uint64_t generation = 0; // connection generation (TCP)
  sockaddr_storage to{};        // UDP client
  socklen_t to_length = 0;
  std::size_t udp_limit = 0;
};

} // namespace

void Server::Impl::run_tcp() {
  int ep = ::epoll_create1(EPOLL_CLOEXEC);
  QueryEngine engine(zones);
  engine.set_updates_enabled(update != nullptr);
  engine.set_tsig(update ? &update->keys() : nullptr); // signed queries: RFC 8945 §5.2
  Forwarder forwarder(config.upstreams);
  epoll_watch(ep, tcp_wake);
  for (int fd : tcp_fds)
    epoll_watch(ep, fd);
  auto forwarder_fds = forwarder.fds();
  for (int fd : forwarder_fds)
    epoll_watch(ep, fd);
  std::map<int, Connection> connections;
  // Forwarded answers can arrive after their connection closed: a generation
  // number per fd tells a reused fd from the original connection.
  std::map<int, std::uint64_t> generation;
  std::uint64_t next_generation = 1;
  std::vector<std::uint8_t> reply(k_max_message_size);
  Packet packet;
  // Shared with the committer's callbacks, which may outlive this loop.
  auto completions = std::make_shared<UpdateCompletions>();
  epoll_watch(ep, completions->fd());
  std::map<std::uint64_t, UpdateTarget> update_targets;
  std::uint64_t next_token = 1;

  auto close_connection = [&](int fd) {
    ::epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr);
    ::close(fd);
    connections.erase(fd);
    generation.erase(fd);
  };
  auto flush = [&](Connection& c) -> bool {
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
      ::epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &ev);
      c.want_write = want;
    }
    return c.out.size() - c.out_sent <= k_max_output;
  };
  auto queue_reply = [](Connection& c, std::span<const std::uint8_t> bytes) {
    c.out.push_back(static_cast<std::uint8_t>(bytes.size() >> 8));
    c.out.push_back(static_cast<std::uint8_t>(bytes.size()));
    c.out.insert(c.out.end(), bytes.begin(), bytes.end());
  };
  // Queues the next messages of a connection's transfer, up to the window.
  std::vector<std::uint8_t> transfer_message;
  auto pump = [&](Connection& c) {
    while (c.transfer && c.out.size() - c.out_sent < k_transfer_window) {
      if (!c.transfer->next(transfer_message, tsig_wall_seconds())) {
        c.transfer.reset();
        break;
      }
      queue_reply(c, transfer_message);
    }
  };
  // Hands an UPDATE to the committer thread; the reply comes back through
  // `completions` (RFC 2136 §3.5: only after the change is durable and visible).
  auto submit_update = [&](std::span<const std::uint8_t> wire, const ClientInfo& client,
                           const UpdateTarget& target) {
    std::uint64_t token = next_token++;
    update_targets[token] = target;
    UpdateRequest request;
    request.wire.assign(wire.begin(), wire.end());
    request.client = client;
    update->submit(std::move(request), [completions, token](std::optional<std::vector<std::uint8_t>> answer) {
      completions->push(token, std::move(answer));
    });
  };
  auto deliver_updates = [&] {
    for (auto& [token, answer] : completions->drain()) {
      auto it = update_targets.find(token);
      if (it == update_targets.end())
        continue;
      UpdateTarget target = it->second;
      update_targets.erase(it);
      if (!answer)
        continue;
      if (target.tcp) {
        auto conn = connections.find(target.fd);
        if (conn == connections.end() || generation[target.fd] != target.generation)
          continue; // the client hung up meanwhile
        queue_reply(conn->second, *answer);
        if (!flush(conn->second))
          close_connection(target.fd);
        continue;
      }
      if (answer->size() > target.udp_limit) {
        // Too big for UDP (RFC 1035 §4.2.1): header with TC, the client retries over TCP.
        answer->resize(k_header_size);
        (*answer)[2] |= flag::tc >> 8;
        for (std::size_t i = 4; i < k_header_size; ++i)
          (*answer)[i] = 0;
      }
      ::sendto(target.fd, answer->data(), answer->size(), 0, reinterpret_cast<const sockaddr*>(&target.to),
               target.to_length);
    }
  };
  // Handles every complete message buffered on a connection (pipelining).
  auto process = [&](Connection& c) -> bool {
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
      Action action = engine.handle(wire, true, may_forward(c.client.address), packet, reply, reply_size);
      if (action == Action::reply) {
        queue_reply(c, std::span<const std::uint8_t>(reply.data(), reply_size));
      } else if (action == Action::transfer) {
        // Later messages on this connection wait until the transfer is written
        // (its messages must not interleave with other replies).
        c.transfer = std::make_unique<TransferWriter>(engine.take_transfer());
        pump(c);
      } else if (action == Action::update) {
        UpdateTarget target;
        target.tcp = true;
        target.fd = c.fd;
        target.generation = generation[c.fd];
        submit_update(wire, c.client, target);
      } else if (action == Action::forward) {
        int fd = c.fd;
        std::uint64_t gen = generation[fd];
        forwarder.submit(wire, packet, [&, fd, gen](std::span<const std::uint8_t> answer) {
          auto it = connections.find(fd);
          if (it == connections.end() || generation[fd] != gen)
            return;
          queue_reply(it->second, answer);
          flush(it->second); // may run inside process(): never close here, the sweep does
        });
      }
    }
    c.in.erase(c.in.begin(), c.in.begin() + static_cast<std::ptrdiff_t>(pos));
    return true;
  };
  // UDP messages handed over by the UDP threads: updates (may block on
  // fsync here, never in a UDP thread) and queries to forward.
  auto drain_handoffs = [&] {
    for (;;) {
      Handoff item;
      {
        std::lock_guard lock(queue_mutex);
        if (queue.empty())
          return;
        item = std::move(queue.front());
        queue.pop_front();
      }
      if (!validate(item.wire, packet).ok())
        continue;
      int fd = item.fd;
      sockaddr_storage to = item.client.address;
      socklen_t to_length = item.client.address_length;
      if (item.action == Action::forward) {
        forwarder.submit(item.wire, packet, [fd, to, to_length](std::span<const std::uint8_t> answer) {
          ::sendto(fd, answer.data(), answer.size(), 0, reinterpret_cast<const sockaddr*>(&to), to_length);
        });
        continue;
      }
      UpdateTarget target;
      target.fd = fd;
      target.to = to;
      target.to_length = to_length;
      target.udp_limit = packet.has_opt ? std::max<std::size_t>(packet.udp_payload, k_classic_udp_payload)
                                        : k_classic_udp_payload;
      submit_update(item.wire, item.client, target);
    }
  };

  while (!stopping.load(std::memory_order_relaxed)) {
    int timeout = 1000; // idle sweeps at least once a second
    if (int f = forwarder.next_timeout_ms(); f >= 0)
      timeout = std::min(timeout, f);
    epoll_event events[64];
    int n = ::epoll_wait(ep, events, 64, timeout);
    for (int e = 0; e < n; ++e) {
      int fd = events[e].data.fd;
      if (fd == completions->fd()) {
        deliver_updates();
        continue;
      }
      if (fd == tcp_wake) {
        std::uint64_t value;
        (void)!::read(tcp_wake, &value, sizeof value);
        drain_handoffs();
        continue;
      }
      if (std::find(forwarder_fds.begin(), forwarder_fds.end(), fd) != forwarder_fds.end()) {
        forwarder.on_readable(fd);
        continue;
      }
      if (std::find(tcp_fds.begin(), tcp_fds.end(), fd) != tcp_fds.end()) {
        for (;;) {
          sockaddr_storage peer{};
          socklen_t length = sizeof peer;
          int cfd = ::accept4(fd, reinterpret_cast<sockaddr*>(&peer), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (cfd < 0)
            break;
          if (connections.size() >= config.max_connections) {
            ::close(cfd); // RFC 7766 §6.2.2: servers may refuse connections over their limit
            continue;
          }
          int one = 1;
          ::setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          Connection& c = connections[cfd];
          c.fd = cfd;
          c.client.address = peer;
          c.client.address_length = length;
          c.client.tcp = true;
          c.last_activity = Clock::now();
          generation[cfd] = next_generation++;
          epoll_watch(ep, cfd);
        }
        continue;
      }
      auto it = connections.find(fd);
      if (it == connections.end())
        continue;
      Connection& c = it->second;
      bool alive = true;
      if (events[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
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
          continue;
        }
      }
      if (events[e].events & EPOLLOUT) {
        const bool transferring = c.transfer != nullptr;
        pump(c);
        // A finished transfer lets the messages that waited behind it run.
        if (!flush(c) || (transferring && !c.transfer && (!process(c) || !flush(c))))
          close_connection(fd);
      }
    }
    forwarder.on_timer();
    // Idle and slowloris sweep: a connection without a complete message for
    // idle_timeout is closed, however many partial bytes it trickles in.
    auto now = Clock::now();
    std::vector<int> expired;
    for (auto& [fd, c] : connections)
      if (now - c.last_activity > config.idle_timeout && c.out.empty() && !c.transfer)
        expired.push_back(fd);
      else if (now - c.last_activity > 3 * config.idle_timeout)
        expired.push_back(fd); // a reader that never drains its replies
    for (int fd : expired)
      close_connection(fd);
  }
  for (auto& [fd, c] : connections)
    ::close(fd);
  ::close(ep);
}

} // namespace dockerops::dns
