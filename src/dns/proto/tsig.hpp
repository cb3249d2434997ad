#pragma once

#include "dns/proto/key_file.hpp"

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

namespace dockerops::dns {

// TSIG (RFC 8945) over raw wire bytes. We compute the HMAC ourselves (SHA-256
// from ldns) instead of calling ldns_pkt_tsig_verify/sign because ldns only
// returns a bool, compares MACs with memcmp, cannot handle truncated MACs and
// cannot write the error and other-data fields (dns-server-notes.md §7,
// pitfalls 3-5); unit tests cross-check both directions against ldns.

// TSIG error field values (RFC 8945 §4.3 / IANA).
enum class TsigError : std::uint16_t { noerror = 0, badsig = 16, badkey = 17, badtime = 18, badtrunc = 22 };

// Result of checking a request's TSIG, in the order of RFC 8945 §5.2.
enum class TsigStatus { unsigned_message, ok, formerr, badkey, badsig, badtime, badtrunc, replay };

// Default fudge (RFC 8945 §10: 300 s recommended) and the HMAC-SHA256 size.
// The server accepts a request's own fudge up to k_tsig_max_fudge (local
// policy), so a client cannot widen its replay window to 18 hours.
inline constexpr std::uint16_t k_tsig_fudge = 300;
inline constexpr std::uint16_t k_tsig_max_fudge = 300;
inline constexpr std::size_t k_hmac_sha256_size = 32;

// The decoded TSIG RR (RFC 8945 §4.2) plus where it starts in the message.
struct TsigRecord {
  std::size_t offset = 0; // first byte of the TSIG RR in the message
  std::string key_name;   // canonical wire form
  std::string algorithm;  // canonical wire form
  std::uint64_t time_signed = 0;
  std::uint16_t fudge = 0;
  std::string mac;
  std::uint16_t original_id = 0;
  std::uint16_t error = 0;
  std::string other;
};

// The keys a server accepts, found by owner name and algorithm (RFC 8945 §5.2.1).
class Keyring {
public:
  void add(TsigKey key);
  const TsigKey* find(std::string_view key_name_wire, std::string_view algorithm_wire) const;
  bool empty() const { return m_keys.empty(); }

private:
  struct Entry {
    std::string name_wire;
    std::string algorithm_wire;
    TsigKey key;
  };
  std::vector<Entry> m_keys;
};

// Remembers the MACs of accepted requests while their time window is open, so
// a byte-identical replay inside the fudge window is refused: TSIG alone has
// none (dns-server-notes.md §5). Keys are the first 8 bytes of the HMAC
// (uniformly random: a false match needs ~2^32 entries). Thread-safe and
// bounded: at 2,000 updates/s a 300 s window needs 600k entries, so the
// default capacity of 1M (about 40 MB when full) covers the window; beyond it
// the oldest entries go first and a warning is logged.
class ReplayCache {
public:
  explicit ReplayCache(std::size_t capacity = 1000000) : m_capacity(capacity) {}
  // True when the MAC was new (and is now remembered), false for a replay.
  bool insert(const std::string& mac, std::uint64_t expires_at, std::uint64_t now);

private:
  std::mutex m_mutex;
  std::size_t m_capacity;
  bool m_warned = false;
  std::unordered_set<std::uint64_t> m_macs;
  std::deque<std::pair<std::uint64_t, std::uint64_t>> m_order; // (expiry, key) in arrival order
};

// What verification found: the status, the record (when signed) and the key.
struct TsigCheck {
  TsigStatus status = TsigStatus::unsigned_message;
  std::optional<TsigRecord> record;
  const TsigKey* key = nullptr;
};

// Finds the TSIG RR of a message: it must be the last record of the additional
// section (RFC 8945 §5.1). nullopt when unsigned; throws a dns Error when the
// message or the TSIG RR is malformed, or when a TSIG is not last.
std::optional<TsigRecord> tsig_find(std::span<const std::uint8_t> wire);

// Server-side check of a request, RFC 8945 §5.2 order: key (BADKEY), MAC
// (BADSIG, constant-time), truncation (BADTRUNC), time (BADTIME), then the
// replay cache. `now` is seconds since the epoch.
TsigCheck tsig_verify_request(std::span<const std::uint8_t> wire, const Keyring& keys, std::uint64_t now,
                              ReplayCache* replay);

// Whether the first n bytes of two MACs are equal, in constant time (RFC 8945 §5.2.2).
bool tsig_equal_constant_time(std::string_view a, std::string_view b, std::size_t n);

// The wall clock in seconds since the epoch: the time a TSIG signs and is checked against
// (RFC 8945 §4.3.3, §5.2.3).
std::uint64_t tsig_wall_seconds();

// Signs a message (request when request_mac is empty and is_response false, or a
// response prefixed with the request MAC, RFC 8945 §4.3.1): appends a TSIG RR,
// increments ARCOUNT, returns the MAC. `other` goes into Other Data (BADTIME).
std::string tsig_sign(std::vector<std::uint8_t>& wire, const TsigKey& key, std::uint64_t time_signed,
                      std::uint16_t fudge, std::uint16_t original_id, TsigError error = TsigError::noerror,
                      const std::string& other = {}, const std::string* request_mac = nullptr);

// Appends the TSIG RR `t` (its key name, algorithm, times, MAC, IDs, error and
// other data as given) as the last additional record and raises ARCOUNT.
void tsig_append_record(std::vector<std::uint8_t>& wire, const TsigRecord& t);

// Signs a message of a multi-message response after the first (RFC 8945
// §5.3.1: zone transfers): the MAC covers the prior MAC, the message and the
// TSIG timers only. Appends the TSIG RR, returns the MAC for the next message.
std::string tsig_sign_next(std::vector<std::uint8_t>& wire, const TsigKey& key, std::uint64_t time_signed,
                           std::uint16_t fudge, std::uint16_t original_id, const std::string& prior_mac);

// Client-side check of every message of a multi-message response (RFC 8945
// §5.3.1): the first is checked as tsig_verify_response does, the later ones
// over the prior MAC, the unsigned messages since it and the timers. At most
// 99 messages in a row may be unsigned (§5.3.1), and the last must be signed
// (call finished() after the last message).
class TsigStreamVerifier {
public:
  TsigStreamVerifier(const TsigKey& key, std::string request_mac)
      : m_key(key), m_prior(std::move(request_mac)) {}
  // Checks one message: ok, unsigned_message (accepted for now: its bytes
  // count in the next MAC), badsig, badkey, badtime or formerr.
  TsigStatus next(std::span<const std::uint8_t> wire, std::uint64_t now, TsigRecord* record = nullptr);
  // Whether the last message seen was signed and verified.
  bool finished() const { return m_messages > 0 && m_pending == 0; }

private:
  const TsigKey& m_key;
  std::string m_prior;                  // request MAC, then the last verified MAC
  std::vector<std::uint8_t> m_unsigned; // unsigned messages since the last TSIG, back to back
  std::size_t m_pending = 0;            // how many
  std::size_t m_messages = 0;
};

// Appends an unsigned TSIG RR (empty MAC) for BADKEY and BADSIG replies
// (RFC 8945 §5.3.2), echoing the request's key, algorithm, time and fudge.
void tsig_append_unsigned(std::vector<std::uint8_t>& wire, const TsigRecord& request, TsigError error);

// Appends the TSIG of a reply to a request checked by tsig_verify_request
// (RFC 8945 §5.3), for updates and queries alike: signed over the request MAC
// when the check passed (or found a replay); BADTIME signed with the client's
// time in Time Signed and ours in Other Data (§5.2.3); BADKEY, BADSIG and
// BADTRUNC unsigned with the error (§5.3.2); nothing for an unsigned or
// malformed request. `now` is seconds since the epoch.
void tsig_sign_reply(std::vector<std::uint8_t>& reply, const TsigCheck& check, std::uint64_t now);

// Bytes tsig_sign adds for `key` with `other_size` bytes of Other Data, so a
// reply can leave room for its TSIG within the client's payload (§5.3).
std::size_t tsig_record_size(const TsigKey& key, std::size_t other_size = 0);

// Client-side check of a response to a request we signed with `request_mac`
// (RFC 8945 §5.3, §5.4). Returns ok, unsigned_message, badsig, badkey or badtime.
TsigStatus tsig_verify_response(std::span<const std::uint8_t> wire, const TsigKey& key,
                                const std::string& request_mac, std::uint64_t now,
                                TsigRecord* record = nullptr);

// HMAC-SHA256 (RFC 2104) of `data` with `secret`.
std::string hmac_sha256(std::string_view secret, std::span<const std::uint8_t> data);

// Wire form of a key or algorithm name given in presentation form.
std::string tsig_name_wire(std::string_view presentation);

} // namespace dockerops::dns
