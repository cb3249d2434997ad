#include "dns/client/update_client.hpp"

#include "base/error.hpp"
#include "base/log.hpp"
#include "dns/client/tcp.hpp"
#include "dns/proto/tsig.hpp"
#include "dns/proto/wire.hpp"

#include <thread>

namespace dockerops::dns {

namespace {

using Clock = client_tcp::Clock;
using client_tcp::random_id;
using client_tcp::tsig_error_hint;

} // namespace

std::string rcode_name(std::uint16_t code) {
  static const char* names[] = {"NOERROR",  "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
                                "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE"};
  return code < std::size(names) ? names[code] : fmt::format("RCODE{}", code);
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
    std::string mac = tsig_sign(request, m_key, tsig_wall_seconds(), k_tsig_fudge, id);
    std::vector<std::uint8_t> reply;
    try {
      reply = exchange(request);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::dns_unreachable)
        throw;
      last_error = e.what();
      log::debug("{}: attempt {}: {}", where, attempt, e.what());
      continue;
    }
    if (reply.size() < k_header_size || get16(reply.data()) != id || !(reply[2] & 0x80) ||
        ((reply[2] >> 3) & 0x0f) != opcode::update)
      fail(ErrorKind::dns, "{}: the reply does not answer the update", where);
    std::uint16_t code = reply[3] & 0x0f;
    TsigRecord t;
    TsigStatus status = tsig_verify_response(reply, m_key, mac, tsig_wall_seconds(), &t);
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
  fail(ErrorKind::dns_unreachable, "{}: no answer after {} attempts: {}", where,
       std::max(1, m_options.attempts), last_error);
}

} // namespace dockerops::dns
