// A UDP thread: recvmmsg -> QueryEngine -> sendmmsg (see server.hpp).

#include "base/log.hpp"
#include "dns/server/server_impl.hpp"
#include "dns/update/context.hpp"

#include <sys/socket.h>

#include <cerrno>
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

void Server::Impl::run_udp(int fd) {
  QueryEngine engine(zones);
  engine.set_updates_enabled(update != nullptr);
  engine.set_tsig(update ? &update->keys() : nullptr); // signed queries: RFC 8945 §5.2
  engine.set_classic_answer_limit(config.classic_answer_limit);
  auto batch = std::make_unique<Batch>();
  Packet packet;

  while (!stopping.load(std::memory_order_relaxed)) {
    for (unsigned i = 0; i < k_batch; ++i) {
      batch->recv_msgs[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
      batch->recv_msgs[i].msg_hdr.msg_flags = 0;
    }
    // Blocks until one datagram is there, then takes whatever else is queued.
    int got = ::recvmmsg(fd, batch->recv_msgs, k_batch, MSG_WAITFORONE, nullptr);
    if (got <= 0)
      continue; // timeout (stop flag check), EINTR, or shutdown at stop
    unsigned replies = 0;
    for (int i = 0; i < got; ++i) {
      mmsghdr& m = batch->recv_msgs[i];
      if (m.msg_hdr.msg_flags & MSG_TRUNC)
        continue; // larger than any DNS message
      std::span<const std::uint8_t> wire(batch->in.data() + static_cast<std::size_t>(i) * k_receive_size,
                                         m.msg_len);
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
      } else if (action == Action::update || action == Action::forward) {
        Handoff item;
        item.action = action;
        item.wire.assign(wire.begin(), wire.end());
        item.client.address = peer;
        item.client.address_length = m.msg_hdr.msg_namelen;
        item.fd = fd;
        if (!hand_off(std::move(item)))
          log::debug("handoff queue full: dropping a UDP {}",
                     action == Action::update ? "update" : "forward");
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
  }
}

} // namespace dockerops::dns
