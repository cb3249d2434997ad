#include "dns/zone/zone.hpp"

#include "base/error.hpp"
#include "dns/proto/bytes.hpp"
#include "dns/proto/rdata.hpp"
#include "dns/proto/serial.hpp"

#include <algorithm>
#include <optional>

namespace dockerops::dns {

namespace {

// Offset of the SERIAL field in SOA rdata; throws on malformed rdata.
std::size_t serial_offset(std::string_view rdata) {
  std::optional<std::size_t> at = soa_serial_offset(rdata);
  if (!at)
    fail(ErrorKind::dns, "malformed SOA rdata ({} octets)", rdata.size());
  return *at;
}

// Sorts names into canonical order (RFC 4034 §6.1): labels compared from the right, as unsigned
// bytes. Each name gets one flat key whose byte order is that order (labels from the right, each
// ended by 0x00; bytes 0x00 and 0x01 inside a label escaped as 0x01 0x01 and 0x01 0x02), so the
// sort compares with memcmp: splitting names into labels on every comparison made a dump of a
// 150,000-name zone take most of a second.
void sort_canonically(std::vector<std::pair<std::string_view, const Node*>>& nodes) {
  std::vector<std::pair<std::string, std::pair<std::string_view, const Node*>>> keyed;
  keyed.reserve(nodes.size());
  std::vector<std::string_view> labels;
  for (const auto& entry : nodes) {
    std::string_view n = entry.first;
    labels.clear();
    for (std::size_t pos = 0; pos < n.size() && n[pos] != 0; pos += static_cast<unsigned char>(n[pos]) + 1)
      labels.push_back(n.substr(pos + 1, static_cast<unsigned char>(n[pos])));
    std::string key;
    key.reserve(n.size() + 1);
    for (auto label = labels.rbegin(); label != labels.rend(); ++label) {
      for (char c : *label) {
        if (c == 0 || c == 1) {
          key.push_back(1);
          key.push_back(static_cast<char>(c + 1));
        } else {
          key.push_back(c);
        }
      }
      key.push_back(0);
    }
    keyed.emplace_back(std::move(key), entry);
  }
  // std::string compares as unsigned char (char_traits<char>::compare is memcmp).
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < keyed.size(); ++i)
    nodes[i] = keyed[i].second;
}

} // namespace

std::size_t RRset::index_of(std::string_view rdata) const {
  for (std::size_t i = 0; i < m_rdata.size(); ++i)
    if (rdata_equal(m_type, m_rdata[i], rdata))
      return i;
  return m_rdata.size();
}

void RRset::rebuild() {
  m_wire.clear();
  m_offsets.assign(1, 0);
  for (const auto& rd : m_rdata) {
    append16(m_wire, m_type);
    append16(m_wire, k_class_in);
    append32(m_wire, m_ttl);
    append16(m_wire, static_cast<std::uint16_t>(rd.size()));
    m_wire += rd;
    m_offsets.push_back(static_cast<std::uint32_t>(m_wire.size()));
  }
}

const RRset* Node::find(std::uint16_t type) const {
  for (const auto& set : m_rrsets)
    if (set.type() == type)
      return &set;
  return nullptr;
}

Zone::Zone(WireName origin) : m_origin(std::move(origin)) {}

const Node* Zone::find_node(std::string_view name) const {
  const std::shared_ptr<Node>* node = m_nodes.find(name);
  return node ? node->get() : nullptr;
}

const RRset* Zone::find(std::string_view name, std::uint16_t type) const {
  const Node* node = find_node(name);
  return node ? node->find(type) : nullptr;
}

std::uint32_t Zone::serial() const {
  const RRset* set = soa();
  if (!set || set->empty())
    return 0;
  auto rd = set->rdata(0);
  return get32(rd, serial_offset(rd));
}

std::uint32_t Zone::negative_ttl() const {
  const RRset* set = soa();
  if (!set || set->empty())
    return 0;
  auto rd = set->rdata(0);
  return std::min(set->ttl(), get32(rd, serial_offset(rd) + 16));
}

std::size_t Zone::record_count(std::string_view name) const {
  const Node* node = find_node(name);
  std::size_t n = 0;
  if (node)
    for (const auto& set : node->rrsets())
      n += set.size();
  return n;
}

std::size_t Zone::name_count() const {
  std::size_t n = 0;
  m_nodes.for_each([&](std::string_view, const Node& node) { n += node.has_data() ? 1 : 0; });
  return n;
}

Node& Zone::writable_node(std::string_view name) {
  std::shared_ptr<Node>* slot = m_nodes.find_writable(name);
  if (!slot)
    return *m_nodes.insert(name, std::make_shared<Node>());
  if (slot->use_count() > 1) // shared with a published version: clone before writing (copy-on-write)
    *slot = std::make_shared<Node>(**slot);
  return **slot;
}

bool Zone::add(const Record& rr) {
  if (!in_zone(rr.owner))
    fail(ErrorKind::dns, "record owner {} is outside zone {}", name_to_text(rr.owner),
         name_to_text(m_origin));
  if (rr.rdata.size() > 65535)
    fail(ErrorKind::dns, "record {} has rdata longer than 65535 octets", name_to_text(rr.owner));
  const Node* existing = find_node(rr.owner);
  bool had_data = existing && existing->has_data();
  if (existing) {
    const RRset* set = existing->find(rr.type);
    if (set && set->ttl() == rr.ttl && set->contains(rr.rdata))
      return false;
  }
  Node& node = writable_node(rr.owner);
  auto it = std::find_if(node.m_rrsets.begin(), node.m_rrsets.end(),
                         [&](const RRset& s) { return s.type() == rr.type; });
  if (it == node.m_rrsets.end()) {
    node.m_rrsets.emplace_back(rr.type, rr.ttl);
    it = std::prev(node.m_rrsets.end());
  }
  it->m_ttl = rr.ttl;
  if (!it->contains(rr.rdata)) {
    it->m_rdata.push_back(rr.rdata);
    ++m_record_count;
  }
  it->rebuild();
  if (rr.type == rr_type::ns)
    refresh_cut(rr.owner);
  if (!had_data && rr.owner != m_origin) {
    // A new name with data: its ancestors up to the origin gain a descendant
    // (empty non-terminals spring into existence, RFC 8020).
    for (std::string_view up = parent_name(rr.owner); up.size() >= m_origin.size(); up = parent_name(up)) {
      ++writable_node(up).m_descendants;
      if (up.size() == m_origin.size())
        break;
    }
  }
  return true;
}

void Zone::drop_if_empty(std::string_view name) {
  const Node* node = find_node(name);
  if (!node || node->has_data())
    return;
  if (node->m_descendants == 0)
    m_nodes.erase(name);
  if (name == m_origin)
    return;
  for (std::string_view up = parent_name(name); up.size() >= m_origin.size(); up = parent_name(up)) {
    Node& parent = writable_node(up);
    --parent.m_descendants;
    if (!parent.has_data() && parent.m_descendants == 0 && up != m_origin)
      m_nodes.erase(up);
    if (up.size() == m_origin.size())
      break;
  }
}

bool Zone::remove(std::string_view name, std::uint16_t type, std::string_view rdata) {
  const Node* existing = find_node(name);
  const RRset* set = existing ? existing->find(type) : nullptr;
  if (!set || !set->contains(rdata))
    return false;
  Node& node = writable_node(name);
  auto it = std::find_if(node.m_rrsets.begin(), node.m_rrsets.end(),
                         [&](const RRset& s) { return s.type() == type; });
  it->m_rdata.erase(it->m_rdata.begin() + static_cast<std::ptrdiff_t>(it->index_of(rdata)));
  --m_record_count;
  if (it->m_rdata.empty())
    node.m_rrsets.erase(it);
  else
    it->rebuild();
  drop_if_empty(name);
  if (type == rr_type::ns)
    refresh_cut(name);
  return true;
}

bool Zone::remove_rrset(std::string_view name, std::uint16_t type) {
  const Node* existing = find_node(name);
  if (!existing || !existing->find(type))
    return false;
  Node& node = writable_node(name);
  auto it = std::find_if(node.m_rrsets.begin(), node.m_rrsets.end(),
                         [&](const RRset& s) { return s.type() == type; });
  m_record_count -= it->size();
  node.m_rrsets.erase(it);
  drop_if_empty(name);
  if (type == rr_type::ns)
    refresh_cut(name);
  return true;
}

bool Zone::remove_name(std::string_view name) {
  const Node* existing = find_node(name);
  if (!existing || !existing->has_data())
    return false;
  Node& node = writable_node(name);
  for (const auto& set : node.m_rrsets)
    m_record_count -= set.size();
  node.m_rrsets.clear();
  drop_if_empty(name);
  refresh_cut(name);
  return true;
}

void Zone::refresh_cut(std::string_view name) {
  if (name == m_origin)
    return;
  const bool delegated = find(name, rr_type::ns) != nullptr;
  auto it = std::find(m_cuts.begin(), m_cuts.end(), name);
  if (delegated && it == m_cuts.end())
    m_cuts.emplace_back(name);
  else if (!delegated && it != m_cuts.end())
    m_cuts.erase(it);
  m_has_cuts = !m_cuts.empty();
}

const WireName* Zone::cut_of(std::string_view name, bool at_cut) const {
  const WireName* top = nullptr;
  for (const WireName& cut : m_cuts)
    if (is_subdomain(name, cut) && (at_cut || name.size() != cut.size()) &&
        (!top || cut.size() < top->size()))
      top = &cut;
  return top;
}

void Zone::set_serial(std::uint32_t serial) {
  if (!soa() || soa()->empty())
    fail(ErrorKind::dns, "zone {} has no SOA record", name_to_text(m_origin));
  Node& node = writable_node(m_origin);
  auto it = std::find_if(node.m_rrsets.begin(), node.m_rrsets.end(),
                         [](const RRset& s) { return s.type() == rr_type::soa; });
  std::string& rd = it->m_rdata[0];
  std::size_t at = serial_offset(rd);
  put32(reinterpret_cast<std::uint8_t*>(rd.data() + at), serial);
  it->rebuild();
}

std::vector<Record> Zone::records() const {
  std::vector<std::pair<std::string_view, const Node*>> nodes;
  m_nodes.for_each([&](std::string_view name, const Node& node) {
    if (node.has_data())
      nodes.emplace_back(name, &node);
  });
  sort_canonically(nodes);
  std::vector<Record> out;
  out.reserve(m_record_count);
  if (const RRset* set = soa())
    for (std::size_t i = 0; i < set->size(); ++i)
      out.push_back(Record{m_origin, rr_type::soa, set->ttl(), std::string(set->rdata(i))});
  std::vector<const RRset*> sets;
  for (const auto& [name, node] : nodes) {
    sets.clear();
    for (const auto& set : node->rrsets())
      if (!(name == m_origin && set.type() == rr_type::soa))
        sets.push_back(&set);
    std::sort(sets.begin(), sets.end(), [](const RRset* a, const RRset* b) { return a->type() < b->type(); });
    for (const RRset* set : sets)
      for (std::size_t i = 0; i < set->size(); ++i)
        out.push_back(Record{WireName(name), set->type(), set->ttl(), std::string(set->rdata(i))});
  }
  return out;
}

void Zone::check_names() const {
  std::string bad;
  m_nodes.for_each([&](std::string_view name, const Node& node) {
    if (!bad.empty())
      return;
    const RRset* cname = node.find(rr_type::cname);
    if (cname && (cname->size() > 1 || node.rrsets().size() > 1))
      bad = fmt::format("{} has a CNAME and other data (RFC 1034 §3.6.2); a CNAME must be alone at its name",
                        name_to_text(name));
    else if (node.find(rr_type::dname))
      bad =
          fmt::format("{} has a DNAME record; DNAME is not supported, use CNAME records", name_to_text(name));
  });
  if (!bad.empty())
    fail(ErrorKind::dns, "{}", bad);
}

void Zone::check() const {
  const RRset* set = soa();
  if (!set || set->size() != 1)
    fail(ErrorKind::dns, "zone {}: needs exactly one SOA record at the apex", name_to_text(m_origin));
  serial_offset(set->rdata(0));
  if (!find(m_origin, rr_type::ns))
    fail(ErrorKind::dns, "zone {}: needs at least one NS record at the apex", name_to_text(m_origin));
}

} // namespace dockerops::dns
