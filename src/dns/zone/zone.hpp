#pragma once

// In-memory zone store shared by the query path (dns/server) and the update path
// (dns/update).
//
// Model:
//  - A Zone is a map from canonical (lowercase, uncompressed) wire owner names to
//    Nodes; a Node holds the RRsets of that owner, one per type; an RRset holds
//    one TTL and the rdata of each RR in uncompressed wire form.
//  - Every RRset also keeps pre-serialised answer fragments (TYPE CLASS TTL
//    RDLENGTH RDATA, owner excluded) so the hot query path copies bytes instead
//    of building ldns objects (dns-server-notes.md §7 pitfall 7).
//  - Zones are values. Readers hold a std::shared_ptr<const Zone> snapshot taken
//    from a ZoneStore (zone_store.hpp); writers copy the current snapshot, mutate
//    the private copy and publish it atomically (RCU-like; RFC 2136 §3.7
//    all-or-nothing). Copying a Zone copies the shard pointers of the name map
//    (node_map.hpp); shards and Nodes are shared between versions and cloned on
//    first write (copy-on-write), so a commit costs the touched shards and nodes.
//  - Empty non-terminals (a name with no data but with data below it) exist as
//    Nodes without RRsets, so they answer NODATA, not NXDOMAIN (RFC 8020).
//  - Zone cuts: owners below the apex with an NS RRset are delegations (RFC
//    1034 §4.2.1); the zone keeps their names (cut_of()) so the query path can
//    refer instead of answering, at no cost for a zone without any. Wildcards
//    ("*" labels) are ordinary names here; the query path synthesises from
//    them (RFC 4592). Not modelled: DNAME (refused at load), DNSSEC.
//
// Mutating functions never check policy (CNAME coexistence, apex SOA/NS
// protection, serial arithmetic): those are RFC 2136 rules and live in the
// update path. They do keep the structure consistent (TTLs per RRset, no
// duplicate rdata, empty non-terminals).

#include "dns/proto/record.hpp"
#include "dns/proto/wire_name.hpp"
#include "dns/zone/node_map.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace dockerops::dns {

// All RRs of one (owner, type). One TTL for the whole set (RFC 2181 §5.2).
class RRset {
public:
  RRset(std::uint16_t type, std::uint32_t ttl) : m_type(type), m_ttl(ttl) {}

  std::uint16_t type() const { return m_type; }
  std::uint32_t ttl() const { return m_ttl; }
  std::size_t size() const { return m_rdata.size(); }
  bool empty() const { return m_rdata.empty(); }
  // Rdata of RR i in insertion order.
  std::string_view rdata(std::size_t i) const { return m_rdata[i]; }
  // The index of the RR whose rdata equals `rdata` (names compared without
  // regard to case: rdata_equal), or size() when there is none.
  std::size_t index_of(std::string_view rdata) const;
  // Whether such an RR exists.
  bool contains(std::string_view rdata) const { return index_of(rdata) < size(); }
  // Hot path: TYPE CLASS(IN) TTL RDLENGTH RDATA of RR i, ready to copy after an
  // owner name (or a compression pointer to it).
  std::string_view fragment(std::size_t i) const {
    return std::string_view(m_wire).substr(m_offsets[i], m_offsets[i + 1] - m_offsets[i]);
  }

private:
  friend class Zone;
  void rebuild();

  std::uint16_t m_type;
  std::uint32_t m_ttl;
  std::vector<std::string> m_rdata;
  std::string m_wire;                      // all fragments back to back
  std::vector<std::uint32_t> m_offsets{0}; // size() + 1 entries into m_wire
};

// The RRsets of one owner name. A node with no RRsets but with descendants is
// an empty non-terminal.
class Node {
public:
  // The RRset of this type, or nullptr.
  const RRset* find(std::uint16_t type) const;
  std::span<const RRset> rrsets() const { return m_rrsets; }
  bool has_data() const { return !m_rrsets.empty(); }

private:
  friend class Zone;
  std::vector<RRset> m_rrsets;     // few per name: a vector beats a map
  std::uint32_t m_descendants = 0; // nodes with data strictly below this one
};

// One authoritative zone (class IN). A value type: copy it to build the next
// version (see the file comment).
class Zone {
public:
  // An empty zone for `origin` (canonical wire form). Add an SOA before use.
  explicit Zone(WireName origin);

  const WireName& origin() const { return m_origin; }

  // Whether the canonical name is the origin or below it.
  bool in_zone(std::string_view name) const { return is_subdomain(name, m_origin); }

  // The node at a canonical name (possibly an empty non-terminal), or nullptr
  // when the name does not exist (NXDOMAIN).
  const Node* find_node(std::string_view name) const;

  // The RRset at (name, type), or nullptr.
  const RRset* find(std::string_view name, std::uint16_t type) const;

  // The apex SOA RRset; nullptr only while a zone is being built.
  const RRset* soa() const { return find(m_origin, rr_type::soa); }

  // SOA serial (RFC 1035 §3.3.13); 0 when there is no SOA yet.
  std::uint32_t serial() const;

  // Negative-answer TTL: min(SOA TTL, SOA MINIMUM) (RFC 2308 §3).
  std::uint32_t negative_ttl() const;

  // Number of RRs in the zone, and at one owner name (all types).
  std::size_t record_count() const { return m_record_count; }
  std::size_t record_count(std::string_view name) const;

  // Number of owner names that hold data.
  std::size_t name_count() const;

  // Adds an RR. Duplicate rdata is not added twice; the RRset's TTL becomes
  // rr.ttl either way (RFC 2136 §3.4.2.2: a duplicate "replaces" the RR, i.e.
  // changes the TTL). The owner must be canonical and in the zone (else throws
  // a dns Error). Returns whether the zone changed.
  bool add(const Record& rr);

  // Deletes the RR with these rdata bytes. Returns whether one was removed.
  bool remove(std::string_view name, std::uint16_t type, std::string_view rdata);

  // Deletes the whole RRset (name, type). Returns whether it existed.
  bool remove_rrset(std::string_view name, std::uint16_t type);

  // Deletes every RRset at a name. Returns whether anything was removed.
  bool remove_name(std::string_view name);

  // Rewrites the SOA serial in place (RFC 1982 arithmetic is the caller's).
  // Throws when there is no SOA.
  void set_serial(std::uint32_t serial);

  // Every RR: the apex SOA first, then the other names in canonical order
  // (RFC 4034 §6.1), types ascending, rdata in insertion order. For zone-file
  // dumps, journal compaction and AXFR-like comparisons in tests.
  std::vector<Record> records() const;

  // Sanity check after a load: exactly one apex SOA and at least one apex NS.
  // Throws a dns Error naming the zone otherwise.
  void check() const;

  // The data rules a master file must follow (Knot and BIND refuse the same):
  // a CNAME is alone at its name and single (RFC 1034 §3.6.2, RFC 2181 §10.1),
  // and no DNAME (not supported, see dockerops-dnsd(8)). Throws a dns Error
  // naming the first offending name.
  void check_names() const;

  // Whether the zone delegates any name (hot path: one test per query).
  bool has_cuts() const { return m_has_cuts; }

  // The topmost zone cut at or above the canonical `name` (a delegation point
  // whose NS RRset the answer refers to), or nullptr. A name equal to a cut
  // counts unless `at_cut` is false (the parent answers DS itself, RFC 4035
  // §3.1.4.1).
  const WireName* cut_of(std::string_view name, bool at_cut = true) const;

private:
  Node& writable_node(std::string_view name);
  void drop_if_empty(std::string_view name);
  // Keeps m_cuts in step after the NS RRset at `name` may have appeared or gone.
  void refresh_cut(std::string_view name);

  WireName m_origin;
  NodeMap m_nodes;
  std::size_t m_record_count = 0;
  std::vector<WireName> m_cuts; // delegation points, few: a linear scan beats a map
  bool m_has_cuts = false;      // !m_cuts.empty(), one load on the hot path
};

} // namespace dockerops::dns
