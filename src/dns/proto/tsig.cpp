#include "dns/proto/tsig.hpp"

#include "base/error.hpp"
#include "base/log.hpp"
#include "base/strings.hpp"
#include "dns/proto/wire.hpp"
#include "dns/proto/wire_reader.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace dockerops::dns {

namespace {

using wire_reader::get16;

// The digest input of RFC 8945 §4.3: [request MAC], the message without its
// TSIG (original ID, ARCOUNT as without the TSIG), then the TSIG variables.
std::vector<std::uint8_t> mac_input(std::span<const std::uint8_t> message, std::uint16_t arcount,
                                    const TsigRecord& t, const std::string* request_mac) {
  std::vector<std::uint8_t> buf;
  buf.reserve(message.size() + 128);
  if (request_mac) {
    append16(buf, static_cast<std::uint16_t>(request_mac->size()));
    append_bytes(buf, *request_mac);
  }
  append16(buf, t.original_id);
  buf.insert(buf.end(), message.begin() + 2, message.begin() + 10);
  append16(buf, arcount);
  buf.insert(buf.end(), message.begin() + k_header_size, message.end());
  append_bytes(buf, t.key_name);
  append16(buf, k_class_any);
  append16(buf, 0);
  append16(buf, 0); // TTL 0
  append_bytes(buf, t.algorithm);
  append48(buf, t.time_signed);
  append16(buf, t.fudge);
  append16(buf, t.error);
  append16(buf, static_cast<std::uint16_t>(t.other.size()));
  append_bytes(buf, t.other);
  return buf;
}

std::string compute_mac(const TsigKey& key, std::span<const std::uint8_t> wire, const TsigRecord& t,
                        const std::string* request_mac) {
  std::uint16_t arcount = get16(wire, 10);
  if (arcount == 0)
    fail(ErrorKind::dns, "tsig: no additional record");
  std::vector<std::uint8_t> input =
      mac_input(wire.subspan(0, t.offset), static_cast<std::uint16_t>(arcount - 1), t, request_mac);
  return hmac_sha256(key.secret, input);
}

std::uint64_t distance(std::uint64_t a, std::uint64_t b) {
  return a > b ? a - b : b - a;
}

} // namespace

std::string tsig_name_wire(std::string_view presentation) {
  std::string wire;
  for (const std::string& label : strings::split(strings::to_lower(presentation), '.')) {
    if (label.empty())
      continue;
    wire.push_back(static_cast<char>(label.size()));
    wire += label;
  }
  wire.push_back('\0');
  return wire;
}

std::string hmac_sha256(std::string_view secret, std::span<const std::uint8_t> data) {
  std::uint8_t mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), data.data(), data.size(), mac,
            &length))
    fail(ErrorKind::internal, "HMAC-SHA256 failed");
  return std::string(reinterpret_cast<const char*>(mac), length);
}

void Keyring::add(TsigKey key) {
  std::string name = tsig_name_wire(key.name);
  std::string alg = tsig_name_wire(key.algorithm);
  m_keys.push_back({std::move(name), std::move(alg), std::move(key)});
}

const TsigKey* Keyring::find(std::string_view key_name_wire, std::string_view algorithm_wire) const {
  for (const Entry& e : m_keys)
    if (e.name_wire == key_name_wire && e.algorithm_wire == algorithm_wire)
      return &e.key;
  return nullptr;
}

bool ReplayCache::insert(const std::string& mac, std::uint64_t expires_at, std::uint64_t now) {
  std::uint64_t key = 0;
  for (std::size_t i = 0; i < 8 && i < mac.size(); ++i)
    key = key << 8 | static_cast<unsigned char>(mac[i]);
  std::lock_guard lock(m_mutex);
  while (!m_order.empty() && (m_order.front().first < now || m_order.size() >= m_capacity)) {
    if (m_order.front().first >= now && !m_warned) {
      log::warning("tsig: replay cache full ({} entries); the oldest MACs are forgotten early", m_capacity);
      m_warned = true;
    }
    m_macs.erase(m_order.front().second);
    m_order.pop_front();
  }
  if (!m_macs.insert(key).second)
    return false;
  // Entries are kept in arrival order; expiry times differ by at most the
  // fudge, so an entry may outlive its window a little, never the reverse.
  m_order.emplace_back(expires_at, key);
  return true;
}

TsigCheck tsig_verify_request(std::span<const std::uint8_t> wire, const Keyring& keys, std::uint64_t now,
                              ReplayCache* replay) {
  TsigCheck check;
  try {
    check.record = tsig_find(wire);
  } catch (const Error&) {
    check.status = TsigStatus::formerr;
    return check;
  }
  if (!check.record)
    return check;
  const TsigRecord& t = *check.record;
  // §5.2.1: unknown key name or algorithm.
  check.key = keys.find(t.key_name, t.algorithm);
  if (!check.key) {
    check.status = TsigStatus::badkey;
    return check;
  }
  // §5.2.2.1: a MAC longer than the hash, or shorter than max(10, hash/2), is FORMERR.
  if (t.mac.size() > k_hmac_sha256_size || t.mac.size() < k_hmac_sha256_size / 2) {
    check.status = TsigStatus::formerr;
    return check;
  }
  // §5.2.2: the MAC, compared in constant time.
  std::string mac = compute_mac(*check.key, wire, t, nullptr);
  if (!tsig_equal_constant_time(mac, t.mac, t.mac.size())) {
    check.status = TsigStatus::badsig;
    return check;
  }
  // §5.2.2.1: our local policy accepts only full-length MACs.
  if (t.mac.size() < k_hmac_sha256_size) {
    check.status = TsigStatus::badtrunc;
    return check;
  }
  // §5.2.3: time window, the request's fudge capped by local policy.
  std::uint16_t fudge = std::min(t.fudge, k_tsig_max_fudge);
  if (distance(now, t.time_signed) > fudge) {
    check.status = TsigStatus::badtime;
    return check;
  }
  // Not in RFC 8945: a byte-identical replay inside the window carries the same MAC.
  if (replay && !replay->insert(t.mac, t.time_signed + fudge, now)) {
    check.status = TsigStatus::replay;
    return check;
  }
  check.status = TsigStatus::ok;
  return check;
}

bool tsig_equal_constant_time(std::string_view a, std::string_view b, std::size_t n) {
  if (a.size() < n || b.size() < n)
    return false;
  unsigned diff = 0;
  for (std::size_t i = 0; i < n; ++i)
    diff |= static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]);
  return diff == 0;
}

std::uint64_t tsig_wall_seconds() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

std::string tsig_sign(std::vector<std::uint8_t>& wire, const TsigKey& key, std::uint64_t time_signed,
                      std::uint16_t fudge, std::uint16_t original_id, TsigError error,
                      const std::string& other, const std::string* request_mac) {
  if (wire.size() < k_header_size)
    fail(ErrorKind::internal, "tsig: signing a message shorter than a header");
  TsigRecord t;
  t.offset = wire.size();
  t.key_name = tsig_name_wire(key.name);
  t.algorithm = tsig_name_wire(key.algorithm);
  t.time_signed = time_signed;
  t.fudge = fudge;
  t.original_id = original_id;
  t.error = static_cast<std::uint16_t>(error);
  t.other = other;
  t.mac = hmac_sha256(key.secret, mac_input(wire, get16(wire, 10), t, request_mac));
  tsig_append_record(wire, t);
  return t.mac;
}

void tsig_append_unsigned(std::vector<std::uint8_t>& wire, const TsigRecord& request, TsigError error) {
  TsigRecord t = request;
  t.mac.clear(); // empty MAC (RFC 8945 §5.3.2)
  t.error = static_cast<std::uint16_t>(error);
  t.other.clear();
  tsig_append_record(wire, t);
}

void tsig_sign_reply(std::vector<std::uint8_t>& reply, const TsigCheck& check, std::uint64_t now) {
  if (!check.record)
    return;
  const TsigRecord& t = *check.record;
  switch (check.status) {
  case TsigStatus::ok:
  case TsigStatus::replay:
    tsig_sign(reply, *check.key, now, k_tsig_fudge, t.original_id, TsigError::noerror, {}, &t.mac);
    break;
  case TsigStatus::badtime: {
    std::string other(6, '\0');
    for (int i = 0; i < 6; ++i)
      other[static_cast<std::size_t>(i)] = static_cast<char>(now >> (8 * (5 - i)));
    tsig_sign(reply, *check.key, t.time_signed, t.fudge, t.original_id, TsigError::badtime, other, &t.mac);
    break;
  }
  case TsigStatus::badkey:
    tsig_append_unsigned(reply, t, TsigError::badkey);
    break;
  case TsigStatus::badsig:
    tsig_append_unsigned(reply, t, TsigError::badsig);
    break;
  case TsigStatus::badtrunc:
    tsig_append_unsigned(reply, t, TsigError::badtrunc);
    break;
  case TsigStatus::formerr:
  case TsigStatus::unsigned_message:
    break;
  }
}

std::size_t tsig_record_size(const TsigKey& key, std::size_t other_size) {
  // Owner + TYPE/CLASS/TTL/RDLENGTH (10) + algorithm + Time Signed (6) + Fudge,
  // MAC Size, Original ID, Error, Other Len (2 each) + the MAC + Other Data.
  return tsig_name_wire(key.name).size() + 10 + tsig_name_wire(key.algorithm).size() + 6 + 5 * 2 +
         k_hmac_sha256_size + other_size;
}

TsigStatus tsig_verify_response(std::span<const std::uint8_t> wire, const TsigKey& key,
                                const std::string& request_mac, std::uint64_t now, TsigRecord* record) {
  std::optional<TsigRecord> t;
  try {
    t = tsig_find(wire);
  } catch (const Error&) {
    return TsigStatus::formerr;
  }
  if (!t)
    return TsigStatus::unsigned_message;
  if (record)
    *record = *t;
  if (t->key_name != tsig_name_wire(key.name) || t->algorithm != tsig_name_wire(key.algorithm))
    return TsigStatus::badkey;
  if (t->mac.size() != k_hmac_sha256_size)
    return t->error == static_cast<std::uint16_t>(TsigError::badkey) ? TsigStatus::badkey
                                                                     : TsigStatus::badsig;
  std::string mac = compute_mac(key, wire, *t, &request_mac);
  if (!tsig_equal_constant_time(mac, t->mac, mac.size()))
    return TsigStatus::badsig;
  if (distance(now, t->time_signed) > t->fudge)
    return TsigStatus::badtime;
  return TsigStatus::ok;
}

} // namespace dockerops::dns
