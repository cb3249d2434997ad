#include "dns/update/apply.hpp"

#include "dns/proto/rdata.hpp"
#include "dns/proto/serial.hpp"

namespace dockerops::dns {

namespace {

// Copies the rdata of an RRset: the editor mutates the zone while iterating.
std::vector<std::string> rdatas(const RRset& set) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < set.size(); ++i)
    out.emplace_back(set.rdata(i));
  return out;
}

// §3.4.2.2: add to an RRset, with the SOA and CNAME special cases.
void add_record(ZoneEditor& ed, const Record& rr) {
  Zone& zone = ed.zone();
  const Node* node = zone.find_node(rr.owner);
  if (rr.type == rr_type::soa) {
    // Only the apex SOA can be replaced, and only by a higher serial.
    const RRset* soa = zone.find(rr.owner, rr_type::soa);
    if (!soa || rr.owner != zone.origin() || !serial_gt(soa_serial(rr.rdata), zone.serial()))
      return;
    std::vector<std::string> old = rdatas(*soa);
    ed.add(rr);
    for (const std::string& r : old)
      if (!rdata_equal(rr_type::soa, r, rr.rdata))
        ed.remove(rr.owner, rr_type::soa, r);
    return;
  }
  if (node && node->has_data()) {
    bool has_cname = node->find(rr_type::cname) != nullptr;
    bool has_other = node->rrsets().size() > (has_cname ? 1u : 0u);
    // A CNAME cannot coexist with other data (RFC 1034 §3.6.2): the
    // conflicting add is ignored, whichever side it is on.
    if (rr.type != rr_type::cname && has_cname)
      return;
    if (rr.type == rr_type::cname && has_other)
      return;
    if (rr.type == rr_type::cname && has_cname) {
      // At most one CNAME: the new one replaces the old.
      std::vector<std::string> old = rdatas(*node->find(rr_type::cname));
      ed.add(rr);
      for (const std::string& r : old)
        if (!rdata_equal(rr_type::cname, r, rr.rdata))
          ed.remove(rr.owner, rr_type::cname, r);
      return;
    }
  }
  ed.add(rr);
}

bool apex_protected(const Zone& zone, std::string_view owner, std::uint16_t type) {
  return owner == zone.origin() && (type == rr_type::soa || type == rr_type::ns);
}

} // namespace

void apply_change(Zone& zone, const ZoneChange& change) {
  switch (change.kind) {
  case ZoneChange::Kind::add:
    zone.add(change.rr);
    break;
  case ZoneChange::Kind::remove:
    zone.remove(change.rr.owner, change.rr.type, change.rr.rdata);
    break;
  case ZoneChange::Kind::serial:
    zone.set_serial(change.serial);
    break;
  }
}

void ZoneEditor::add(const Record& rr) {
  const RRset* prev = m_zone.find(rr.owner, rr.type);
  bool had = prev && prev->contains(rr.rdata);
  std::uint32_t prev_ttl = prev ? prev->ttl() : 0;
  if (had && prev_ttl == rr.ttl)
    return;
  std::string sample = prev ? std::string(prev->rdata(0)) : std::string();
  bool prev_exists = prev != nullptr;
  m_zone.add(rr);
  Undo undo;
  if (!had)
    undo.steps.push_back({ZoneChange::Kind::remove, rr, 0});
  if (prev_exists && prev_ttl != rr.ttl)
    undo.steps.push_back({ZoneChange::Kind::add, Record{rr.owner, rr.type, prev_ttl, sample}, 0});
  m_changes.push_back({ZoneChange::Kind::add, rr, 0});
  m_undo.push_back(std::move(undo));
}

void ZoneEditor::remove(std::string_view owner, std::uint16_t type, std::string_view rdata) {
  const RRset* set = m_zone.find(owner, type);
  const std::size_t index = set ? set->index_of(rdata) : 0;
  if (!set || index == set->size())
    return;
  // The stored bytes (their case may differ from the request's): the journal and the undo
  // log must name the record exactly.
  Record rr{WireName(owner), type, set->ttl(), std::string(set->rdata(index))};
  m_zone.remove(owner, type, rr.rdata);
  m_changes.push_back({ZoneChange::Kind::remove, rr, 0});
  m_undo.push_back({{{ZoneChange::Kind::add, rr, 0}}});
}

void ZoneEditor::remove_rrset(std::string_view owner, std::uint16_t type) {
  const RRset* set = m_zone.find(owner, type);
  if (!set)
    return;
  for (const std::string& r : rdatas(*set))
    remove(owner, type, r);
}

void ZoneEditor::set_serial(std::uint32_t serial) {
  std::uint32_t old = m_zone.serial();
  m_zone.set_serial(serial);
  m_changes.push_back({ZoneChange::Kind::serial, {}, serial});
  m_undo.push_back({{{ZoneChange::Kind::serial, {}, old}}});
}

void ZoneEditor::rollback(std::size_t mark) {
  while (m_changes.size() > mark) {
    for (const ZoneChange& step : m_undo.back().steps)
      apply_change(m_zone, step);
    m_undo.pop_back();
    m_changes.pop_back();
  }
}

void apply_updates(ZoneEditor& ed, const std::vector<UpdateRecord>& updates) {
  Zone& zone = ed.zone();
  for (const UpdateRecord& up : updates) {
    const Record& rr = up.rr;
    if (up.rclass == k_class_in) {
      add_record(ed, rr);
    } else if (up.rclass == k_class_any && rr.type == rr_type::any) {
      // §3.4.2.3: delete all RRsets of a name; at the apex SOA and NS survive.
      const Node* node = zone.find_node(rr.owner);
      if (!node)
        continue;
      std::vector<std::uint16_t> types;
      for (const RRset& set : node->rrsets())
        types.push_back(set.type());
      for (std::uint16_t type : types)
        if (!apex_protected(zone, rr.owner, type))
          ed.remove_rrset(rr.owner, type);
    } else if (up.rclass == k_class_any) {
      // §3.4.2.3: delete an RRset; never the apex SOA or NS.
      if (!apex_protected(zone, rr.owner, rr.type))
        ed.remove_rrset(rr.owner, rr.type);
    } else if (up.rclass == k_class_none) {
      // §3.4.2.4: delete one RR; never an SOA, never the last apex NS.
      if (rr.type == rr_type::soa)
        continue;
      if (rr.type == rr_type::ns && rr.owner == zone.origin()) {
        const RRset* ns = zone.find(rr.owner, rr_type::ns);
        if (ns && ns->size() <= 1)
          continue;
      }
      ed.remove(rr.owner, rr.type, rr.rdata);
    }
  }
}

} // namespace dockerops::dns
