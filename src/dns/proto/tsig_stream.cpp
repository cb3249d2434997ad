// TSIG over multi-message responses (RFC 8945 §5.3.1), as zone transfers use
// it: the first message is signed over the request MAC like any response,
// every later one over the prior MAC, the messages since it and the timers.

#include "dns/proto/tsig.hpp"

#include "base/error.hpp"
#include "dns/proto/wire.hpp"

namespace dockerops::dns {

namespace {

// The digest input of §5.3.1 for a message after the first: prior MAC (with
// its size), `earlier` (unsigned messages since the prior TSIG), the message
// without its TSIG (ARCOUNT lowered, original ID), then Time Signed and Fudge.
std::vector<std::uint8_t> timers_input(const std::string& prior_mac, std::span<const std::uint8_t> earlier,
                                       std::span<const std::uint8_t> message, std::uint16_t arcount,
                                       std::uint16_t original_id, std::uint64_t time_signed,
                                       std::uint16_t fudge) {
  std::vector<std::uint8_t> buf;
  buf.reserve(prior_mac.size() + earlier.size() + message.size() + 16);
  append16(buf, static_cast<std::uint16_t>(prior_mac.size()));
  append_bytes(buf, prior_mac);
  buf.insert(buf.end(), earlier.begin(), earlier.end());
  append16(buf, original_id);
  buf.insert(buf.end(), message.begin() + 2, message.begin() + 10);
  append16(buf, arcount);
  buf.insert(buf.end(), message.begin() + k_header_size, message.end());
  append48(buf, time_signed);
  append16(buf, fudge);
  return buf;
}

} // namespace

std::string tsig_sign_next(std::vector<std::uint8_t>& wire, const TsigKey& key, std::uint64_t time_signed,
                           std::uint16_t fudge, std::uint16_t original_id, const std::string& prior_mac) {
  if (wire.size() < k_header_size)
    fail(ErrorKind::internal, "tsig: signing a message shorter than a header");
  TsigRecord t;
  t.key_name = tsig_name_wire(key.name);
  t.algorithm = tsig_name_wire(key.algorithm);
  t.time_signed = time_signed;
  t.fudge = fudge;
  t.original_id = original_id;
  t.mac = hmac_sha256(key.secret, timers_input(prior_mac, {}, wire, get16(wire.data() + 10), original_id,
                                               time_signed, fudge));
  tsig_append_record(wire, t);
  return t.mac;
}

TsigStatus TsigStreamVerifier::next(std::span<const std::uint8_t> wire, std::uint64_t now,
                                    TsigRecord* record) {
  if (m_messages++ == 0) {
    // The first message: signed over the request MAC like a single response (§5.3).
    TsigRecord t;
    TsigStatus status = tsig_verify_response(wire, m_key, m_prior, now, &t);
    if (record)
      *record = t;
    if (status == TsigStatus::ok)
      m_prior = t.mac;
    return status;
  }
  std::optional<TsigRecord> t;
  try {
    t = tsig_find(wire);
  } catch (const Error&) {
    return TsigStatus::formerr;
  }
  if (!t) {
    // §5.3.1: up to 99 unsigned messages may follow a signed one.
    if (++m_pending > 99)
      return TsigStatus::badsig;
    m_unsigned.insert(m_unsigned.end(), wire.begin(), wire.end());
    return TsigStatus::unsigned_message;
  }
  if (record)
    *record = *t;
  if (t->key_name != tsig_name_wire(m_key.name) || t->algorithm != tsig_name_wire(m_key.algorithm))
    return TsigStatus::badkey;
  if (t->mac.size() != k_hmac_sha256_size || get16(wire.data() + 10) == 0)
    return TsigStatus::badsig;
  std::string mac =
      hmac_sha256(m_key.secret, timers_input(m_prior, m_unsigned, wire.subspan(0, t->offset),
                                             static_cast<std::uint16_t>(get16(wire.data() + 10) - 1),
                                             t->original_id, t->time_signed, t->fudge));
  if (!tsig_equal_constant_time(mac, t->mac, mac.size())) // §5.2.2
    return TsigStatus::badsig;
  std::uint64_t distance = now > t->time_signed ? now - t->time_signed : t->time_signed - now;
  if (distance > t->fudge)
    return TsigStatus::badtime;
  m_prior = t->mac;
  m_unsigned.clear();
  m_pending = 0;
  return TsigStatus::ok;
}

} // namespace dockerops::dns
