// The UDP thread: recvmmsg -> QueryEngine -> sendmmsg (see server.hpp).

#include "base/log.hpp"
#include "dns/server_impl.hpp"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace dockerops::dns {

namespace {

constexpr unsigned k_batch = 64;
constexpr std::size_t k_receive_size = 65536;
constexpr std::size_t k_reply_size = 4096; // >= k_edns_payload; UDP replies never exceed it

// Buffers for one recvmmsg/sendmmsg batch, allocated once per thread.
struct Batch {
  std::vector<std::uint8_t> in = std::vector<std::uint8_t>(k_batch * k_receive_size);
  std::vector<std::uint8_t> out = std::vector<std::uint8_t>(k_batch * k_reply_size);
  mmsghdr recv_msgs[k_batch]{};
  iovec recv_iov[k_batch]{};
  sockaddr_storage peers[k_batch]{};
  mmsghdr send_msgs[k_batch]{};
  iovec send_iov[k_batch]{};

  Batch() {
    for (unsigned i = 0; i < k_batch; ++i) {
      recv_iov[i] = {in.data() + i * k_receive_size, k_receive_size};
      recv_msgs[i].msg_hdr.msg_iov = &recv_iov[i];
      recv_msgs[i].msg_hdr.msg_iovlen = 1;
      recv_msgs[i].msg_hdr.msg_name = &peers[i];
    }
  }
};

} // namespace

void Server::Impl::run_udp() {
  int ep = ::epoll_create1(EPOLL_CLOEXEC);
  QueryEngine engine(zones);
  engine.set_updates_enabled(update != nullptr);
  Forwarder forwarder(config.upstreams);
  epoll_watch(ep, udp_wake);
  for (int fd : udp_fds)
    epoll_watch(ep, fd);
  for (int fd : forwarder.fds())
    epoll_watch(ep, fd);
  auto forwarder_fds = forwarder.fds();
  auto batch = std::make_unique<Batch>();
  Packet packet;

  while (!stopping.load(std::memory_order_relaxed)) {
    epoll_event events[16];
    int n = ::epoll_wait(ep, events, 16, forwarder.next_timeout_ms());
    for (int e = 0; e < n; ++e) {
      int fd = events[e].data.fd;
      if (fd == udp_wake)
        continue;
      if (std::find(forwarder_fds.begin(), forwarder_fds.end(), fd) != forwarder_fds.end()) {
        forwarder.on_readable(fd);
        continue;
      }
      for (;;) {
        for (unsigned i = 0; i < k_batch; ++i) {
          batch->recv_msgs[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
          batch->recv_msgs[i].msg_hdr.msg_flags = 0;
        }
        int got = ::recvmmsg(fd, batch->recv_msgs, k_batch, MSG_DONTWAIT, nullptr);
        if (got <= 0)
          break;
        unsigned replies = 0;
        for (int i = 0; i < got; ++i) {
          mmsghdr& m = batch->recv_msgs[i];
          if (m.msg_hdr.msg_flags & MSG_TRUNC)
            continue; // larger than any DNS message
          std::span<const std::uint8_t> wire(batch->in.data() + static_cast<std::size_t>(i) * k_receive_size, m.msg_len);
          std::span<std::uint8_t> reply(batch->out.data() + replies * k_reply_size, k_reply_size);
          std::size_t reply_size = 0;
          const auto& peer = batch->peers[i];
          Action action = engine.handle(wire, false, may_forward(peer), packet, reply, reply_size);
          if (action == Action::reply) {
            batch->send_iov[replies] = {reply.data(), reply_size};
            msghdr& h = batch->send_msgs[replies].msg_hdr;
            h = msghdr{};
            h.msg_name = const_cast<sockaddr_storage*>(&peer);
            h.msg_namelen = m.msg_hdr.msg_namelen;
            h.msg_iov = &batch->send_iov[replies];
            h.msg_iovlen = 1;
            ++replies;
          } else if (action == Action::forward) {
            socklen_t peer_length = m.msg_hdr.msg_namelen;
            sockaddr_storage client = peer;
            forwarder.submit(wire, packet, [fd, client, peer_length](std::span<const std::uint8_t> answer) {
              ::sendto(fd, answer.data(), answer.size(), 0, reinterpret_cast<const sockaddr*>(&client), peer_length);
            });
          } else if (action == Action::update) {
            QueuedUpdate q;
            q.wire.assign(wire.begin(), wire.end());
            q.client.address = peer;
            q.client.address_length = m.msg_hdr.msg_namelen;
            q.fd = fd;
            {
              std::lock_guard lock(queue_mutex);
              if (queue.size() < 1024)
                queue.push_back(std::move(q));
            }
            std::uint64_t one = 1;
            (void)!::write(tcp_wake, &one, sizeof one);
          }
        }
        for (unsigned sent = 0; sent < replies;) {
          int k = ::sendmmsg(fd, batch->send_msgs + sent, replies - sent, 0);
          if (k <= 0) {
            if (errno == EINTR)
              continue;
            log::debug("sendmmsg failed: {}", std::strerror(errno));
            ++sent; // skip the datagram the kernel refused, keep the others
            continue;
          }
          sent += static_cast<unsigned>(k);
        }
        if (static_cast<unsigned>(got) < k_batch)
          break;
      }
    }
    forwarder.on_timer();
  }
  ::close(ep);
}

} // namespace dockerops::dns
