#pragma once

// The query path (RFC 1034 §4.3.2): validate, look the name up in a zone
// snapshot, copy pre-serialised answer fragments into the reply. No allocation
// and no ldns per query.

#include "dns/proto/wire.hpp"
#include "dns/server/reply.hpp"
#include "dns/server/transfer.hpp"
#include "dns/zone/zone_store.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace dockerops::dns {

class Keyring;
struct TsigCheck;

// What the server does with a message once the query path has seen it.
enum class Action {
  reply,    // send the reply bytes
  drop,     // send nothing (short or QR=1 message)
  forward,  // out-of-zone query from an allowed client with RD=1: forward it
  update,   // opcode UPDATE: hand it to the update path (UpdateContext::submit)
  transfer, // a signed AXFR/IXFR over TCP: take_transfer() and write it (transfer.hpp)
};

// In-zone CNAME hops followed before answering with what we have.
inline constexpr int k_max_cname_hops = 8;

// Answers queries for a ZoneSet. One instance per server thread: it caches
// zone snapshots (reloaded when a ZoneStore's generation changes) and the
// round-robin counter, so it is not thread-safe; ZoneStore is.
class QueryEngine {
public:
  explicit QueryEngine(const ZoneSet& zones);

  // Whether UPDATE messages are handed on (Action::update) or get NOTIMP.
  void set_updates_enabled(bool enabled) { m_updates_enabled = enabled; }

  // The keys signed queries are verified with (RFC 8945 §5.2; the --key-file
  // store the update path uses; null = none, so every signed query gets
  // BADKEY) and the clock for the time check (seconds since the epoch; empty =
  // the system clock, tests pass their own).
  void set_tsig(const Keyring* keys, std::function<std::uint64_t()> clock = {}) {
    m_keys = keys;
    m_clock = std::move(clock);
  }

  // Answers to classic clients (UDP queries without an EDNS OPT: glibc's and musl's stub
  // resolvers) carry at most `limit` addresses of an A or AAAA RRset, a different one each query
  // (the set's round robin); 0 = the whole set. glibc's getaddrinfo sorts the addresses of an
  // answer by RFC 6724 rule 9 (longest prefix shared with the source address), which undoes the
  // rotation when client and servers share a subnet: with one address there is nothing to sort,
  // so plain clients spread. Queries with EDNS (HAProxy's resolvers, c-ares, dig) and over TCP
  // get the whole set. See dockerops-dnsd(8), CLASSIC CLIENTS.
  void set_classic_answer_limit(std::size_t limit) { m_classic_answer_limit = limit; }

  // Processes one message. `reply` must hold at least 65535 bytes for TCP and
  // k_edns_payload for UDP; `reply_size` receives the reply length for
  // Action::reply. `packet` receives the validated view (for forward/update).
  // `may_forward`: the client is allowed to use forwarding and forwarders exist.
  Action handle(std::span<const std::uint8_t> wire, bool tcp, bool may_forward, Packet& packet,
                std::span<std::uint8_t> reply, std::size_t& reply_size);

  // The transfer handle() accepted with Action::transfer (call once after it).
  TransferRequest take_transfer();

private:
  // The unsigned answer (or error reply) to a validated QUERY; `signer` is
  // the verified TSIG of a signed query (null when unsigned), whose reply
  // needs room for a TSIG within the payload limit.
  Action answer_query(std::span<const std::uint8_t> wire, bool tcp, bool may_forward, const Packet& packet,
                      const TsigCheck* signer, std::span<std::uint8_t> reply, std::size_t& reply_size);
  // AXFR and IXFR (query_transfer.cpp): access rule, zone, transport.
  Action answer_transfer(std::span<const std::uint8_t> wire, bool tcp, const Packet& packet,
                         const TsigCheck* signer, std::size_t limit, std::span<std::uint8_t> reply,
                         std::size_t& reply_size);
  // The slow path of a message whose last record is a TSIG (query_signed.cpp).
  Action handle_signed(std::span<const std::uint8_t> wire, bool tcp, bool may_forward, const Packet& packet,
                       std::span<std::uint8_t> reply, std::size_t& reply_size);
  struct Cached {
    const ZoneStore* store;
    std::uint64_t generation;
    std::shared_ptr<const Zone> zone;
  };
  const Zone* snapshot(const ZoneStore* store);
  // The reply from one zone (query_answer.cpp): exact match, CNAME chain, wildcard, referral,
  // negative answer.
  // `addresses`: at most this many RRs of an A or AAAA RRset (0 = all).
  std::size_t answer(const Zone& zone, std::span<const std::uint8_t> wire, const Packet& packet,
                     std::size_t limit, std::span<std::uint8_t> reply, std::size_t addresses = 0);
  // Moves the lookup to a CNAME's target (the chain's hop `hop`); false when the chain stops there:
  // a name it went through already, or one outside `zone`. Out of line: the ordinary answer never
  // follows a CNAME.
  [[gnu::noinline]] bool follow(const Zone& zone, std::string_view target, int hop);
  // The node a wildcard synthesises `name` from (RFC 4592 §3.3.1: the "*" child of the closest
  // encloser), or nullptr. For a name that does not exist in `zone`.
  const Node* wildcard_source(const Zone& zone, std::string_view name);

  const ZoneSet& m_zones;
  std::vector<Cached> m_cache;
  WireName m_name;                                    // scratch: canonical QNAME / CNAME target
  WireName m_scratch;                                 // scratch: wildcard source, glue owner
  std::array<WireName, k_max_cname_hops + 1> m_chain; // names a CNAME chain went through
  std::uint32_t m_rotation = 0;
  std::size_t m_classic_answer_limit = 0;
  bool m_updates_enabled = false;
  const Keyring* m_keys = nullptr;
  std::function<std::uint64_t()> m_clock;
  std::optional<TransferRequest> m_transfer;
};

} // namespace dockerops::dns
