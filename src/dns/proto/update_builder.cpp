#include "dns/proto/update_builder.hpp"

#include "dns/proto/wire_reader.hpp"

namespace dockerops::dns {

UpdateBuilder& UpdateBuilder::require_rrset(const WireName& owner, std::uint16_t type) {
  return raw_prerequisite({owner, type, 0, {}}, k_class_any);
}
UpdateBuilder& UpdateBuilder::require_rr(const Record& rr) {
  return raw_prerequisite({rr.owner, rr.type, 0, rr.rdata}, k_class_in);
}
UpdateBuilder& UpdateBuilder::require_no_rrset(const WireName& owner, std::uint16_t type) {
  return raw_prerequisite({owner, type, 0, {}}, k_class_none);
}
UpdateBuilder& UpdateBuilder::require_name(const WireName& owner) {
  return raw_prerequisite({owner, rr_type::any, 0, {}}, k_class_any);
}
UpdateBuilder& UpdateBuilder::require_no_name(const WireName& owner) {
  return raw_prerequisite({owner, rr_type::any, 0, {}}, k_class_none);
}
UpdateBuilder& UpdateBuilder::add(const Record& rr) {
  return raw_update(rr, k_class_in);
}
UpdateBuilder& UpdateBuilder::delete_rrset(const WireName& owner, std::uint16_t type) {
  return raw_update({owner, type, 0, {}}, k_class_any);
}
UpdateBuilder& UpdateBuilder::delete_name(const WireName& owner) {
  return raw_update({owner, rr_type::any, 0, {}}, k_class_any);
}
UpdateBuilder& UpdateBuilder::delete_rr(const Record& rr) {
  return raw_update({rr.owner, rr.type, 0, rr.rdata}, k_class_none);
}
UpdateBuilder& UpdateBuilder::raw_prerequisite(const Record& rr, std::uint16_t rclass) {
  m_prerequisites.push_back({rr, rclass});
  return *this;
}
UpdateBuilder& UpdateBuilder::raw_update(const Record& rr, std::uint16_t rclass) {
  m_updates.push_back({rr, rclass});
  return *this;
}
UpdateBuilder& UpdateBuilder::zone_type_class(std::uint16_t type, std::uint16_t rclass) {
  m_zone_type = type;
  m_zone_class = rclass;
  return *this;
}

std::vector<std::uint8_t> UpdateBuilder::wire() const {
  std::string w;
  append16(w, m_id);
  append16(w, 5 << 11); // opcode UPDATE
  append16(w, 1);
  append16(w, static_cast<std::uint16_t>(m_prerequisites.size()));
  append16(w, static_cast<std::uint16_t>(m_updates.size()));
  append16(w, 0);
  w += m_zone;
  append16(w, m_zone_type);
  append16(w, m_zone_class);
  for (const auto* section : {&m_prerequisites, &m_updates})
    for (const Item& item : *section) {
      w += item.rr.owner;
      append16(w, item.rr.type);
      append16(w, item.rclass);
      append32(w, item.rr.ttl);
      append16(w, static_cast<std::uint16_t>(item.rr.rdata.size()));
      w += item.rr.rdata;
    }
  return std::vector<std::uint8_t>(w.begin(), w.end());
}

} // namespace dockerops::dns
