#include "dns/zone/zone_store.hpp"

#include "base/error.hpp"

#include <utility>

namespace dockerops::dns {

ZoneStore::ZoneStore(Zone initial, std::string file)
    : m_origin(initial.origin()), m_file(std::move(file)),
      m_current(std::make_shared<const Zone>(std::move(initial))) {}

ZoneStore::Transaction::Transaction(ZoneStore& store)
    : m_store(&store), m_lock(store.m_writer), m_base(store.snapshot()),
      m_copy(std::make_shared<Zone>(*m_base)) {}

void ZoneStore::Transaction::commit() {
  if (!m_copy)
    fail(ErrorKind::internal, "zone transaction committed twice");
  m_store->m_current.store(std::shared_ptr<const Zone>(std::move(m_copy)), std::memory_order_release);
  m_store->m_generation.fetch_add(1, std::memory_order_acq_rel);
}

void ZoneStore::replace(Zone zone) {
  std::lock_guard lock(m_writer);
  m_current.store(std::make_shared<const Zone>(std::move(zone)), std::memory_order_release);
  m_generation.fetch_add(1, std::memory_order_acq_rel);
}

ZoneStore& ZoneSet::add(Zone zone, std::string file) {
  if (find_exact(zone.origin()))
    fail(ErrorKind::dns, "zone {} is configured twice", name_to_text(zone.origin()));
  m_zones.push_back(std::make_unique<ZoneStore>(std::move(zone), std::move(file)));
  return *m_zones.back();
}

ZoneStore* ZoneSet::find(std::string_view name) {
  ZoneStore* best = nullptr;
  for (auto& z : m_zones)
    if (is_subdomain(name, z->origin()) && (!best || z->origin().size() > best->origin().size()))
      best = z.get();
  return best;
}

const ZoneStore* ZoneSet::find(std::string_view name) const {
  return const_cast<ZoneSet*>(this)->find(name);
}

ZoneStore* ZoneSet::find_exact(std::string_view origin) {
  return const_cast<ZoneStore*>(std::as_const(*this).find_exact(origin));
}

const ZoneStore* ZoneSet::find_exact(std::string_view origin) const {
  for (const auto& z : m_zones)
    if (z->origin() == origin)
      return z.get();
  return nullptr;
}

} // namespace dockerops::dns
