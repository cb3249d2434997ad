// The client side of a zone transfer (RFC 5936 AXFR over TCP), signed with the
// project key and verified message by message (RFC 8945 §5.3.1). dns:sync
// reads the zones with it to find records nobody deregistered.

#include "base/error.hpp"
#include "base/log.hpp"
#include "dns/client/tcp.hpp"
#include "dns/client/update_client.hpp"
#include "dns/proto/tsig.hpp"
#include "dns/proto/wire.hpp"
#include "dns/proto/wire_reader.hpp"

#include <thread>

namespace dockerops::dns {

namespace {} // namespace

std::vector<Record> UpdateClient::transfer(const std::string& zone) {
  const std::string where =
      fmt::format("zone transfer of {} from {}:{}", zone, m_options.server_ip, m_options.port);
  const WireName origin = name_from_text(zone);
  std::string last_error;
  for (int attempt = 1; attempt <= std::max(1, m_options.attempts); ++attempt) {
    if (attempt > 1)
      std::this_thread::sleep_for(m_options.retry_delay * (attempt - 1));
    const std::uint16_t id = client_tcp::random_id();
    std::vector<std::uint8_t> query = client_tcp::query_message(id, origin, rr_type::axfr); // RFC 5936 §2.1
    const std::string mac = tsig_sign(query, m_key, tsig_wall_seconds(), k_tsig_fudge, id);
    TsigStreamVerifier verifier(m_key, mac);
    std::vector<Record> records;
    try {
      client_tcp::Connection connection(m_options);
      connection.send(query, client_tcp::Clock::now() + m_options.reply_timeout);
      for (std::size_t message = 1;; ++message) {
        // Each message gets the reply timeout: a large zone may take longer in all.
        std::vector<std::uint8_t> reply =
            connection.receive(client_tcp::Clock::now() + m_options.reply_timeout);
        std::span<const std::uint8_t> w(reply);
        if (w.size() < k_header_size || get16(reply.data()) != id || !(reply[2] & 0x80))
          fail(ErrorKind::dns, "{}: message {} does not answer the transfer query", where, message);
        const std::uint16_t code = reply[3] & 0x0f;
        TsigRecord t;
        TsigStatus status = verifier.next(w, tsig_wall_seconds(), &t);
        if (code == rcode::notauth && status != TsigStatus::unsigned_message && t.error != 0)
          fail(ErrorKind::dns, "{}: {}", where, client_tcp::tsig_error_hint(t.error, m_key));
        if (status != TsigStatus::ok && !(status == TsigStatus::unsigned_message && message > 1))
          fail(ErrorKind::dns, "{}: message {} ({}) is not signed by key {}; refusing to trust it", where,
               message, rcode_name(code), m_key.name);
        switch (code) {
        case rcode::noerror:
          break;
        case rcode::refused:
          fail(ErrorKind::dns, "{}: refused; the server allows transfers only with its --key-file key",
               where);
        case rcode::notauth:
          fail(ErrorKind::dns, "{}: the server is not authoritative for {}; check the zone name", where,
               zone);
        case rcode::notimp:
          fail(ErrorKind::dns,
               "{}: the server does not implement zone transfers; rebuild the dockerops/dns image "
               "(dockerops init) so it runs this version of dockerops-dnsd",
               where);
        default:
          fail(ErrorKind::dns, "{}: the server answered {}", where, rcode_name(code));
        }
        // Records of the answer section; the question (first message only) is skipped.
        std::size_t pos = k_header_size;
        bool done = false;
        try {
          for (unsigned i = 0; i < get16(reply.data() + 4); ++i) {
            wire_reader::read_name(w, pos);
            pos += 4;
          }
          for (unsigned i = 0; i < get16(reply.data() + 6); ++i) {
            Record rr = wire_reader::read_record(w, pos).rr;
            if (done)
              fail(ErrorKind::dns, "records after the closing SOA");
            // RFC 5936 §2.2: the SOA first, and the same SOA again to close.
            if (records.empty() && (rr.type != rr_type::soa || rr.owner != origin))
              fail(ErrorKind::dns, "the transfer does not start with the SOA of {}", zone);
            if (!records.empty() && rr.type == rr_type::soa && rr.owner == origin) {
              if (rr.rdata != records.front().rdata)
                fail(ErrorKind::dns, "the closing SOA differs from the first");
              done = true;
              continue;
            }
            records.push_back(std::move(rr));
          }
        } catch (const Error& e) {
          fail(ErrorKind::dns, "{}: message {}: {}", where, message, e.what());
        }
        if (done) {
          if (!verifier.finished())
            fail(ErrorKind::dns, "{}: the last message is not signed by key {}; refusing to trust it", where,
                 m_key.name);
          log::debug("{}: {} records in {} messages", where, records.size(), message);
          return records;
        }
      }
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::dns_unreachable)
        throw;
      last_error = e.what();
      log::debug("{}: attempt {}: {}", where, attempt, e.what());
    }
  }
  fail(ErrorKind::dns_unreachable, "{}: no complete transfer after {} attempts: {}", where,
       std::max(1, m_options.attempts), last_error);
}

} // namespace dockerops::dns
