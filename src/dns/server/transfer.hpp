#pragma once

// Zone transfers out of dockerops-dnsd: RFC 5936 AXFR, and RFC 1995 IXFR
// answered in AXFR form (we keep no incremental history to serve, §4).
//
// The query path (query_transfer.cpp) decides whether a transfer may start
// (TSIG with a --key-file key, a zone we serve, TCP) and hands a
// TransferRequest to the TCP thread, which keeps a TransferWriter per
// connection and asks it for the next message only when the socket has taken
// the previous ones: a large zone never blocks other clients.

#include "dns/proto/key_file.hpp"
#include "dns/zone/zone.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace dockerops::dns {

// What a transfer needs from its query: one zone version for the whole
// transfer (RFC 5936 §6: a consistent snapshot), the key and request MAC
// to sign with (RFC 8945 §5.3.1), and the header and question to echo.
struct TransferRequest {
  std::shared_ptr<const Zone> zone;
  TsigKey key;
  std::string request_mac;
  std::uint16_t id = 0;
  std::uint16_t flags = 0; // the query's flags (opcode and RD are echoed)
  std::string question;    // the query's question section, as sent
  bool opt = false;        // the query had EDNS(0): the first message gets an OPT
  bool dnssec_ok = false;
};

// Writes the messages of one transfer: the SOA first and last (RFC 5936
// §2.2), every other RR once in between, as many RRs per message as fit in
// `limit` bytes with name compression (RFC 1035 §4.1.4; in rdata only for the
// RFC 1035 types, RFC 3597 §4), the question only in the first message
// (§2.2.1), every message TSIG-signed (RFC 8945 §5.3.1).
class TransferWriter {
public:
  explicit TransferWriter(TransferRequest request, std::size_t limit = 65535);

  // The next message in `out` (replaced), signed at `now` (seconds since the
  // epoch); false once the last one was written.
  bool next(std::vector<std::uint8_t>& out, std::uint64_t now);

  // Messages written so far.
  std::size_t messages() const { return m_messages; }

private:
  // Appends RR `index` (0 = SOA ... size() = the closing SOA) compressed; false
  // (and nothing appended) when it would pass `budget`.
  bool append_record(std::vector<std::uint8_t>& out, std::size_t index, std::size_t budget);
  void write_name(std::vector<std::uint8_t>& out, std::string_view name);

  TransferRequest m_request;
  std::vector<Record> m_records; // the zone, SOA first (Zone::records())
  std::size_t m_total = 0;       // RRs to send, the closing SOA included
  std::size_t m_next = 0;
  std::size_t m_messages = 0;
  std::size_t m_limit;
  std::string m_prior_mac;
  // Names (and suffixes) written in the current message -> their offsets.
  std::unordered_map<std::string, std::uint16_t> m_names;
  std::vector<std::string> m_added; // names the RR being written added to m_names
};

} // namespace dockerops::dns
