#pragma once

// Forwarding of out-of-zone queries to upstream resolvers, for allowed
// clients only (an open resolver would be an amplification tool). The TCP
// thread owns one Forwarder and drives it from its epoll loop: no thread ever
// blocks on an upstream. Addresses in forward.cpp, the state machine in
// forwarder.cpp, the messages in forward_message.cpp.

#include "dns/proto/wire.hpp"

#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
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

// The gateways of the default routes in the texts of /proc/net/route and /proc/net/ipv6_route
// ("172.30.0.1", "fd00::1"). Inside a container that is the network's bridge: the address that
// queries through a published port (Docker's proxy or masquerade) and the host's own come from.
std::vector<std::string> default_gateways(std::string_view route, std::string_view ipv6_route);

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

// Whether two socket addresses are the same endpoint (family, address, port).
bool same_endpoint(const sockaddr_storage& a, const sockaddr_storage& b);

// The query sent upstream for a client's validated query: ID `id`, the client's opcode, RD, CD,
// AD and question (case kept), and our OPT (k_edns_payload, the client's DO bit) whether or not
// the client sent one (EDNS is hop by hop, RFC 6891 §6.1.1).
std::vector<std::uint8_t> upstream_query(std::span<const std::uint8_t> query, const Packet& packet,
                                         std::uint16_t id);

// The reply for the client from an upstream reply: the client's ID and question, the upstream's
// flags (RA set, AA cleared), rcode and records without the upstream's OPT (nor anything after it), the
// client's view of EDNS (our OPT when its query had one, none otherwise), and the question alone with TC when
// it passes `limit` (the client's transport). nullopt when the upstream reply is malformed or carries an
// extended rcode (about our exchange, not the client's).
std::optional<std::vector<std::uint8_t>> client_reply(std::span<const std::uint8_t> upstream,
                                                      std::span<const std::uint8_t> query,
                                                      const Packet& packet, std::size_t limit);

// Forwarding state machine for one thread. Each query goes to the upstreams in order with a
// fresh random ID, k_forward_timeout per try, and k_forward_rounds rounds over the list; the
// first reply whose source, ID and question match wins. It goes over UDP, or over TCP when the
// client came over TCP or the upstream's UDP reply was truncated (RFC 7766 §6.2.1), so a TCP
// client always gets the whole answer. When every try fails the client gets SERVFAIL.
class Forwarder {
public:
  // Receives the reply to send to the client (built by client_reply()).
  using Done = std::function<void(std::span<const std::uint8_t> reply)>;

  static constexpr std::chrono::milliseconds k_forward_timeout{2000};
  static constexpr int k_forward_rounds = 2;
  static constexpr std::size_t k_max_pending = 4096;

  explicit Forwarder(std::vector<Upstream> upstreams);
  ~Forwarder();
  Forwarder(const Forwarder&) = delete;
  Forwarder& operator=(const Forwarder&) = delete;

  bool enabled() const { return !m_upstreams.empty(); }

  // The one descriptor to watch for EPOLLIN: an epoll set of the forwarder's UDP sockets and
  // upstream TCP connections.
  int fd() const { return m_ep; }

  // Sends a validated query upstream for a client that came over TCP when `tcp`; `done` is
  // called later from on_readable() or on_timer(), or now with SERVFAIL when too many queries
  // are pending.
  void submit(std::span<const std::uint8_t> query, const Packet& packet, bool tcp, Done done);

  // Handles everything ready on fd(): UDP replies, TCP connects, writes and reads.
  void on_readable();

  // Retries or fails queries whose try timed out.
  void on_timer();

  // Milliseconds until the next deadline, or -1 when nothing is pending.
  int next_timeout_ms() const;

private:
  struct Pending {
    std::vector<std::uint8_t> client_query; // as the client sent it
    Packet client_packet;                   // its validated view
    std::size_t limit = 0;                  // the largest reply the client's transport takes
    std::vector<std::uint8_t> query;        // what goes upstream, with our ID
    std::size_t upstream = 0;               // index of the current try's upstream
    std::size_t tries = 0;
    bool tcp = false;
    int tcp_fd = -1;
    std::vector<std::uint8_t> tcp_out; // length-prefixed query
    std::size_t tcp_sent = 0;
    std::vector<std::uint8_t> tcp_in;
    std::chrono::steady_clock::time_point deadline;
    Done done;
  };

  void send_try(std::uint16_t id, Pending& p);
  // The next try after a failed one (next upstream), or SERVFAIL when none is left.
  void retry(std::uint16_t id);
  // Sends the client its reply built from `upstream_reply`; false when that reply is unusable.
  bool finish(std::uint16_t id, std::span<const std::uint8_t> upstream_reply);
  void fail(std::uint16_t id);
  void close_tcp(Pending& p);
  void on_udp(int fd);
  void on_tcp(std::uint16_t id, std::uint32_t events);
  std::uint16_t fresh_id();
  int socket_for(const Upstream& upstream) const;

  std::vector<Upstream> m_upstreams;
  int m_ep = -1;
  int m_fd4 = -1;
  int m_fd6 = -1;
  std::unordered_map<std::uint16_t, Pending> m_pending;
  std::unordered_map<int, std::uint16_t> m_tcp; // upstream TCP connection -> pending ID
  std::uint64_t m_rng;
};

} // namespace dockerops::dns
