#pragma once

// Shared helpers for the query-path unit tests: queries in wire form, and
// replies parsed by ldns (an independent parser).

#include "dns/server/query.hpp"
#include "dns/zone/ldns.hpp"

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace dockerops::dns::test {

using Bytes = std::vector<std::uint8_t>;

// A query in wire form (ID 0xbeef, RD); the name keeps the given case. `edns`
// adds an OPT (payload 4096, `version`).
inline Bytes query(const std::string& name, std::uint16_t type, bool edns = false,
                   std::uint16_t qclass = k_class_in, std::uint8_t version = 0,
                   std::uint8_t op = opcode::query) {
  Bytes b{0xbe, 0xef, static_cast<std::uint8_t>(0x01 | (op << 3)), 0, 0, 1, 0, 0, 0,
          0,    0,    edns ? std::uint8_t{1} : std::uint8_t{0}};
  std::string label;
  for (char c : name + ".") {
    if (c == '.') {
      if (!label.empty()) {
        b.push_back(static_cast<std::uint8_t>(label.size()));
        b.insert(b.end(), label.begin(), label.end());
      }
      label.clear();
    } else {
      label.push_back(c);
    }
  }
  b.push_back(0);
  b.insert(b.end(), {static_cast<std::uint8_t>(type >> 8), static_cast<std::uint8_t>(type),
                     static_cast<std::uint8_t>(qclass >> 8), static_cast<std::uint8_t>(qclass)});
  if (edns)
    b.insert(b.end(), {0, 0, 41, 0x10, 0x00, 0, version, 0, 0, 0, 0}); // payload 4096
  return b;
}

struct PktFree {
  void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};
using Pkt = std::unique_ptr<ldns_pkt, PktFree>;

inline Pkt parse(const Bytes& wire) {
  ldns_pkt* p = nullptr;
  if (ldns_wire2pkt(&p, wire.data(), wire.size()) != LDNS_STATUS_OK)
    return nullptr;
  return Pkt(p);
}

inline std::string text(const ldns_rdf* rdf) {
  char* s = ldns_rdf2str(rdf);
  std::string out = s;
  free(s); // NOLINT: ldns allocates with malloc
  return out;
}

// The records of a section as ldns prints them ("owner TTL class type rdata", single spaces).
inline std::set<std::string> texts(const ldns_rr_list* list) {
  std::set<std::string> out;
  for (std::size_t i = 0; list && i < ldns_rr_list_rr_count(list); ++i) {
    char* s = ldns_rr2str(ldns_rr_list_rr(list, i));
    std::string line = s;
    free(s); // NOLINT: ldns allocates with malloc
    for (char& c : line)
      if (c == '\t')
        c = ' ';
    line.erase(line.find_last_not_of(" \n") + 1);
    out.insert(line);
  }
  return out;
}

// A query engine over a zone set, and the last reply.
class QueryRunner {
public:
  explicit QueryRunner(const ZoneSet& zones) : m_engine(zones) {}

  // Runs one query through the engine; returns the action and fills reply().
  Action run(const Bytes& q, bool tcp = false, bool may_forward = false) {
    m_reply.assign(65535, 0);
    std::size_t size = 0;
    Action a = m_engine.handle(q, tcp, may_forward, m_packet, m_reply, size);
    m_reply.resize(a == Action::reply ? size : 0);
    return a;
  }

  // The last reply parsed by ldns (null when ldns rejects it).
  Pkt parsed() const { return parse(m_reply); }

  QueryEngine& engine() { return m_engine; }
  const Bytes& reply() const { return m_reply; }
  const Packet& packet() const { return m_packet; }

private:
  QueryEngine m_engine;
  Packet m_packet;
  Bytes m_reply;
};

} // namespace dockerops::dns::test
