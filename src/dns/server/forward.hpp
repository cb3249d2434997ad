#pragma once

// Forwarding of out-of-zone queries to upstream resolvers, for allowed
// clients only (an open resolver would be an amplification tool). Each server
// thread owns one Forwarder and drives it from its epoll loop: no thread ever
// blocks on an upstream.

#include "dns/proto/wire.hpp"

#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace dockerops::dns {

// An IPv4 or IPv6 network such as 172.30.0.0/24 or ::1/128, for --forward-allow.
struct Network {
  int family = 0;
  std::uint8_t bytes[16] = {};
  int prefix = 0;

  // Parses "ADDR/LEN" or a bare address (a host). Throws a usage Error.
  static Network parse(std::string_view text);
  // Whether the address (AF_INET or AF_INET6; v4-mapped v6 counts as v4) is inside.
  bool contains(const sockaddr_storage& address) const;
};

// Whether any network contains the address.
bool any_contains(const std::vector<Network>& networks, const sockaddr_storage& address);

// An upstream resolver address.
struct Upstream {
  sockaddr_storage address{};
  socklen_t length = 0;
  std::string text; // for logs: "127.0.0.2:53"
};

// Parses "IP", "IP:PORT", "[IPv6]:PORT" or a bare IPv6 address. Throws a usage Error.
Upstream parse_upstream(std::string_view text);

// The `nameserver` lines of a resolv.conf text, in order.
std::vector<std::string> resolv_conf_nameservers(std::string_view text);

// Forwarding state machine for one thread. Each query goes to the upstreams in
// order with a fresh random ID, k_forward_timeout per try, and k_forward_rounds
// rounds over the list; the first reply whose source, ID and question match
// wins; its ID is restored to the client's. When every try times out the
// client gets SERVFAIL.
class Forwarder {
public:
  // Receives the reply to send to the client (ID already restored).
  using Done = std::function<void(std::span<const std::uint8_t> reply)>;

  static constexpr std::chrono::milliseconds k_forward_timeout{2000};
  static constexpr int k_forward_rounds = 2;
  static constexpr std::size_t k_max_pending = 4096;

  explicit Forwarder(std::vector<Upstream> upstreams);
  ~Forwarder();
  Forwarder(const Forwarder&) = delete;
  Forwarder& operator=(const Forwarder&) = delete;

  bool enabled() const { return !m_upstreams.empty(); }
  // Sockets to watch for EPOLLIN (one per address family in use).
  std::vector<int> fds() const;
  // Sends a validated query upstream; `done` is called later from
  // on_readable() or on_timer(), or now with SERVFAIL when too many queries
  // are pending.
  void submit(std::span<const std::uint8_t> query, const Packet& packet, Done done);
  // Reads every pending upstream reply on fd.
  void on_readable(int fd);
  // Retries or fails queries whose try timed out.
  void on_timer();
  // Milliseconds until the next deadline, or -1 when nothing is pending.
  int next_timeout_ms() const;

private:
  struct Pending {
    std::vector<std::uint8_t> query; // with our upstream ID
    std::uint16_t client_id = 0;
    std::size_t tries = 0;
    std::chrono::steady_clock::time_point deadline;
    Done done;
  };
  void send_try(std::uint16_t id, Pending& pending);
  void fail(std::uint16_t id);
  std::uint16_t fresh_id();
  int socket_for(const Upstream& upstream) const;

  std::vector<Upstream> m_upstreams;
  int m_fd4 = -1;
  int m_fd6 = -1;
  std::unordered_map<std::uint16_t, Pending> m_pending;
  std::uint64_t m_rng;
};

} // namespace dockerops::dns
