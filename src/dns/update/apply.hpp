#pragma once

#include "dns/update/message.hpp"
#include "dns/zone/journal_change.hpp"
#include "dns/zone/zone.hpp"

#include <vector>

namespace dockerops::dns {

// Edits a private zone copy through primitives that record both the journal
// changes and an undo log, so one update of a group commit can be rolled back
// without touching the updates applied before it (RFC 2136 §3.7 per update).
class ZoneEditor {
public:
  explicit ZoneEditor(Zone& zone) : m_zone(zone) {}

  Zone& zone() { return m_zone; }
  const std::vector<ZoneChange>& changes() const { return m_changes; }
  std::size_t mark() const { return m_changes.size(); }

  // Adds an RR; a duplicate rdata only updates the RRset TTL (§3.4.2.2).
  void add(const Record& rr);
  // Removes one RR (exact rdata); nothing when absent.
  void remove(std::string_view owner, std::uint16_t type, std::string_view rdata);
  // Removes a whole RRset, RR by RR.
  void remove_rrset(std::string_view owner, std::uint16_t type);
  // Sets the SOA serial.
  void set_serial(std::uint32_t serial);
  // Reverts every change recorded after `mark` (from mark()).
  void rollback(std::size_t mark);

private:
  struct Undo {
    std::vector<ZoneChange> steps; // applied in order to revert one change
  };
  Zone& m_zone;
  std::vector<ZoneChange> m_changes;
  std::vector<Undo> m_undo; // parallel to m_changes
};

// RFC 2136 §3.4.2: applies the update section (already prescanned) to the copy:
// adds (SOA only with a higher serial, CNAME exclusivity, duplicate rdata
// replaces), RRset deletes, name deletes and single-RR deletes, with the apex
// SOA and NS protected (§3.4.2.3, §3.4.2.4). Silently ignored items are fine.
void apply_updates(ZoneEditor& editor, const std::vector<UpdateRecord>& updates);

} // namespace dockerops::dns
