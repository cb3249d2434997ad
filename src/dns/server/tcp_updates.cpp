// The TCP/update thread's side of updates (see tcp_loop.hpp): every UPDATE, from TCP or
// handed over by a UDP thread, goes to the update path's committer thread (UpdateContext::submit,
// group commit); its reply comes back through UpdateCompletions' eventfd, so this loop never
// waits for an fsync. UDP queries to forward are handed over here too.

#include "dns/server/tcp_loop.hpp"

#include <sys/socket.h>

#include <algorithm>

namespace dockerops::dns {

// RFC 2136 §3.5: the reply is sent only once the change is durable and visible.
void TcpLoop::submit_update(std::span<const std::uint8_t> wire, const ClientInfo& client,
                            const UpdateTarget& target) {
  std::uint64_t token = m_next_token++;
  m_update_targets[token] = target;
  UpdateRequest request;
  request.wire.assign(wire.begin(), wire.end());
  request.client = client;
  m_server.update->submit(std::move(request), [completions = m_completions,
                                               token](std::optional<std::vector<std::uint8_t>> answer) {
    completions->push(token, std::move(answer));
  });
}

void TcpLoop::deliver_updates() {
  for (auto& [token, answer] : m_completions->drain()) {
    auto it = m_update_targets.find(token);
    if (it == m_update_targets.end())
      continue;
    UpdateTarget target = it->second;
    m_update_targets.erase(it);
    if (!answer)
      continue;
    if (target.tcp) {
      Connection* c = current(target.fd, target.generation);
      if (!c)
        continue; // the client hung up meanwhile
      queue_reply(*c, *answer);
      if (!flush(*c))
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
}

// UDP messages handed over by the UDP threads: updates (their fsync never blocks a UDP thread)
// and queries to forward (which wait for an upstream).
void TcpLoop::drain_handoffs() {
  for (;;) {
    Handoff item;
    {
      std::lock_guard lock(m_server.queue_mutex);
      if (m_server.queue.empty())
        return;
      item = std::move(m_server.queue.front());
      m_server.queue.pop_front();
    }
    if (!validate(item.wire, m_packet).ok())
      continue;
    int fd = item.fd;
    sockaddr_storage to = item.client.address;
    socklen_t to_length = item.client.address_length;
    if (item.action == Action::forward) {
      m_forwarder.submit(
          item.wire, m_packet, false, [fd, to, to_length](std::span<const std::uint8_t> answer) {
            ::sendto(fd, answer.data(), answer.size(), 0, reinterpret_cast<const sockaddr*>(&to), to_length);
          });
      continue;
    }
    UpdateTarget target;
    target.fd = fd;
    target.to = to;
    target.to_length = to_length;
    target.udp_limit = m_packet.has_opt ? std::max<std::size_t>(m_packet.udp_payload, k_classic_udp_payload)
                                        : k_classic_udp_payload;
    submit_update(item.wire, item.client, target);
  }
}

} // namespace dockerops::dns
