#include "dns/client.hpp"

#include "base/error.hpp"
#include "base/log.hpp"
#include "base/strings.hpp"
#include "dns/client_tcp.hpp"
#include "dns/tsig.hpp"
#include "dns/update_wire.hpp"
#include "dns/wire.hpp"

#include <arpa/inet.h>

#include <thread>

namespace dockerops::dns {

namespace {

using Clock = client_tcp::Clock;
using client_tcp::random_id;
using client_tcp::TransportError;
using client_tcp::tsig_error_hint;
using client_tcp::wall_seconds;

} // namespace

std::string rcode_name(std::uint16_t code) {
  static const char* names[] = {"NOERROR",  "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
                                "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE"};
  return code < std::size(names) ? names[code] : fmt::format("RCODE{}", code);
}

RegistrationPolicy parse_registration_policy(std::string_view text) {
  std::string upper = strings::to_upper(strings::trim(text));
  if (upper == "APPEND")
    return RegistrationPolicy::append;
  if (upper == "REPLACE")
    return RegistrationPolicy::replace;
  if (upper == "HIDE")
    return RegistrationPolicy::hide;
  std::string hint = strings::did_you_mean(upper, {"APPEND", "REPLACE", "HIDE"});
  fail(ErrorKind::config, "DNS_UPDATE_POLICY: unknown value \"{}\"{}", text,
       hint.empty() ? std::string("; use APPEND, REPLACE or HIDE") : hint);
}

UpdateClient::UpdateClient(ClientOptions options, TsigKey key, std::string zone)
    : m_options(std::move(options)), m_key(std::move(key)), m_zone(std::move(zone)) {}

std::vector<std::uint8_t> UpdateClient::exchange(const std::vector<std::uint8_t>& request) {
  client_tcp::Connection connection(m_options);
  auto deadline = Clock::now() + m_options.reply_timeout;
  connection.send(request, deadline);
  return connection.receive(deadline);
}

void UpdateClient::send(const std::string& zone, const std::function<void(UpdateBuilder&)>& build) {
  std::string where =
      fmt::format("dns update of zone {} at {}:{}", zone, m_options.server_ip, m_options.port);
  WireName zone_wire = name_from_text(zone);
  std::string last_error;
  for (int attempt = 1; attempt <= std::max(1, m_options.attempts); ++attempt) {
    if (attempt > 1)
      std::this_thread::sleep_for(m_options.retry_delay * (attempt - 1));
    std::uint16_t id = random_id();
    UpdateBuilder b(zone_wire, id);
    build(b);
    std::vector<std::uint8_t> request = b.wire();
    std::string mac = tsig_sign(request, m_key, wall_seconds(), k_tsig_fudge, id);
    std::vector<std::uint8_t> reply;
    try {
      reply = exchange(request);
    } catch (const TransportError& e) {
      last_error = e.what;
      log::debug("{}: attempt {}: {}", where, attempt, e.what);
      continue;
    }
    if (reply.size() < k_header_size || get16(reply.data()) != id || !(reply[2] & 0x80) ||
        ((reply[2] >> 3) & 0x0f) != opcode::update)
      fail(ErrorKind::dns, "{}: the reply does not answer the update", where);
    std::uint16_t code = reply[3] & 0x0f;
    TsigRecord t;
    TsigStatus status = tsig_verify_response(reply, m_key, mac, wall_seconds(), &t);
    if (code == rcode::notauth && status != TsigStatus::unsigned_message && t.error != 0)
      fail(ErrorKind::dns, "{}: {}", where, tsig_error_hint(t.error, m_key));
    if (status != TsigStatus::ok && status != TsigStatus::badtime)
      fail(ErrorKind::dns, "{}: the reply ({}) is not signed by key {}; refusing to trust it", where,
           rcode_name(code), m_key.name);
    switch (code) {
    case rcode::noerror:
      return;
    case rcode::refused:
      fail(ErrorKind::dns, "{}: refused (a record limit was reached, or the update was a replay)", where);
    case rcode::notauth:
      fail(ErrorKind::dns, "{}: the server is not authoritative for {}; check the zone name", where, zone);
    case rcode::notzone:
      fail(ErrorKind::dns, "{}: a name is outside zone {}", where, zone);
    default:
      fail(ErrorKind::dns, "{}: the server answered {}", where, rcode_name(code));
    }
  }
  fail(ErrorKind::dns, "{}: no answer after {} attempts: {}", where, std::max(1, m_options.attempts),
       last_error);
}

std::vector<std::string> UpdateClient::query_rdata(const std::string& fqdn, std::uint16_t type) {
  WireName name = name_from_text(fqdn);
  std::uint16_t id = random_id();
  const std::vector<std::uint8_t> q = client_tcp::query_message(id, name, type);
  std::vector<std::uint8_t> reply;
  std::string last_error;
  for (int attempt = 1; attempt <= std::max(1, m_options.attempts) && reply.empty(); ++attempt) {
    try {
      reply = exchange(q);
    } catch (const TransportError& e) {
      last_error = e.what;
    }
  }
  if (reply.empty())
    fail(ErrorKind::dns, "dns query of {} at {}:{}: {}", fqdn, m_options.server_ip, m_options.port,
         last_error);
  std::span<const std::uint8_t> w(reply);
  if (w.size() < k_header_size || get16(reply.data()) != id)
    fail(ErrorKind::dns, "dns query of {}: the reply does not answer the query", fqdn);
  std::uint16_t code = reply[3] & 0x0f;
  if (code != rcode::noerror && code != rcode::nxdomain)
    fail(ErrorKind::dns, "dns query of {}: the server answered {}", fqdn, rcode_name(code));
  std::size_t pos = k_header_size;
  for (unsigned i = 0; i < get16(reply.data() + 4); ++i) {
    update_wire::read_name(w, pos);
    pos += 4;
  }
  std::vector<std::string> out;
  for (unsigned i = 0; i < get16(reply.data() + 6); ++i) {
    update_wire::WireRecord r = update_wire::read_record(w, pos);
    if (r.rr.owner == name && r.rr.type == type)
      out.push_back(std::move(r.rr.rdata));
  }
  return out;
}

std::set<std::string> UpdateClient::query_addresses(const std::string& fqdn) {
  std::set<std::string> out;
  for (std::uint16_t type : {rr_type::a, rr_type::aaaa})
    for (const std::string& rdata : query_rdata(fqdn, type)) {
      char text[INET6_ADDRSTRLEN];
      ::inet_ntop(type == rr_type::a ? AF_INET : AF_INET6, rdata.data(), text, sizeof text);
      out.insert(text);
    }
  return out;
}

} // namespace dockerops::dns
