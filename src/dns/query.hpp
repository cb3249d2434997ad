#pragma once

// The query path (RFC 1034 §4.3.2 simplified for a zone without delegations):
// validate, look the name up in a zone snapshot, copy pre-serialised answer
// fragments into the reply. No allocation and no ldns per query.

#include "dns/transfer.hpp"
#include "dns/wire.hpp"
#include "dns/zone_store.hpp"

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

// Largest UDP reply we send with EDNS (DNS flag day 2020 value) and without.
inline constexpr std::size_t k_edns_payload = 1232;
inline constexpr std::size_t k_classic_udp_payload = 512;

// The size of the OPT record write_opt() appends.
inline constexpr std::size_t k_opt_size = 11;

// Writes the OPT record we append to replies (RFC 6891 §6.1.2) at `p`: root owner, our payload
// size (k_edns_payload), extended rcode, version 0, DO copied from the query (RFC 3225 §3).
// Returns k_opt_size.
std::size_t write_opt(std::uint8_t* p, std::uint16_t rcode, bool dnssec_ok);
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
  std::size_t answer(const Zone& zone, std::span<const std::uint8_t> wire, const Packet& packet,
                     std::size_t limit, std::span<std::uint8_t> reply);

  const ZoneSet& m_zones;
  std::vector<Cached> m_cache;
  WireName m_name; // scratch: canonical QNAME / CNAME target
  std::uint32_t m_rotation = 0;
  bool m_updates_enabled = false;
  const Keyring* m_keys = nullptr;
  std::function<std::uint64_t()> m_clock;
  std::optional<TransferRequest> m_transfer;
};

// Writes an error reply: the query's ID, opcode and RD, QR=1, `rcode`, the
// question when `packet.has_question`, and an OPT record when the query had
// one (extended rcode bits for BADVERS). Returns the size. Used for FORMERR,
// NOTIMP, REFUSED, SERVFAIL and BADVERS by the query, forward and update paths.
std::size_t write_error_reply(std::span<const std::uint8_t> wire, const Packet& packet, std::uint16_t rcode,
                              std::span<std::uint8_t> reply);

// Writes an authoritative NOERROR reply with the question and one answer RR
// owned by the QNAME (`fragment` = TYPE CLASS TTL RDLENGTH RDATA), plus an OPT
// when the query had one; the question alone with TC when it passes `limit`.
// Returns the size. The IXFR "you are current" SOA (RFC 1995 §2) uses it.
std::size_t write_single_answer(std::span<const std::uint8_t> wire, const Packet& packet,
                                std::string_view fragment, std::size_t limit, std::span<std::uint8_t> reply);

} // namespace dockerops::dns
