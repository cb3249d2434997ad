#pragma once

// Publication of zone versions: readers take immutable snapshots without ever
// waiting for a writer; writers are serialised and commit all-or-nothing
// (RFC 2136 §3.7). See zone.hpp for the data model.

#include "dns/zone/zone.hpp"

#include <atomic>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

namespace dockerops::dns {

// Holds the current version of one zone.
//
// Reader:   auto zone = store.snapshot();   // never blocks on a writer for long
//                                            // (a refcount bump under libstdc++'s
//                                            // short internal spinlock)
// Writer:   auto txn = store.begin();       // takes the writer mutex
//           txn.zone().add(rr) ...;         // private copy of the current version
//           journal.append(txn.base(), txn.zone()); fsync ...
//           txn.commit();                   // atomic swap; readers see all or nothing
//           // txn destroyed without commit() = rollback (the copy is dropped)
class ZoneStore {
public:
  // `file`: the master file the zone was loaded from, which journal compaction rewrites; empty
  // for a generated zone.
  explicit ZoneStore(Zone initial, std::string file = {});

  // The current version. Hold it for the duration of one answer.
  std::shared_ptr<const Zone> snapshot() const { return m_current.load(std::memory_order_acquire); }

  // Increases by one per commit: hot loops may cache a snapshot and reload it
  // only when this changes.
  std::uint64_t generation() const { return m_generation.load(std::memory_order_acquire); }

  const WireName& origin() const { return m_origin; }
  const std::string& file() const { return m_file; }

  // A writer's private copy plus the writer lock (see the class comment).
  class Transaction {
  public:
    Transaction(Transaction&&) = default;
    // The version this transaction started from.
    const Zone& base() const { return *m_base; }
    // The private copy to mutate.
    Zone& zone() { return *m_copy; }
    // Publishes the copy atomically. Call at most once.
    void commit();

  private:
    friend class ZoneStore;
    Transaction(ZoneStore& store);
    ZoneStore* m_store;
    std::unique_lock<std::mutex> m_lock;
    std::shared_ptr<const Zone> m_base;
    std::shared_ptr<Zone> m_copy;
  };

  // Starts a write; blocks while another writer holds its transaction.
  Transaction begin() { return Transaction(*this); }

  // Replaces the whole zone (start-up, reload). Takes the writer lock.
  void replace(Zone zone);

private:
  WireName m_origin;
  std::string m_file;
  std::mutex m_writer;
  std::atomic<std::shared_ptr<const Zone>> m_current;
  std::atomic<std::uint64_t> m_generation{0};
};

// The zones this server is authoritative for (the project zone and its reverse
// zone), fixed at start-up.
class ZoneSet {
public:
  // Adds a zone; throws a dns Error when the origin is already served.
  ZoneStore& add(Zone zone, std::string file = {});

  // The zone with the longest origin that contains the canonical name, or
  // nullptr (then the name is forwarded or REFUSED).
  ZoneStore* find(std::string_view name);
  const ZoneStore* find(std::string_view name) const;

  // Exact origin match (for UPDATE's zone section, RFC 2136 §3.1.1).
  ZoneStore* find_exact(std::string_view origin);
  const ZoneStore* find_exact(std::string_view origin) const;

  std::span<const std::unique_ptr<ZoneStore>> zones() const { return m_zones; }

private:
  std::vector<std::unique_ptr<ZoneStore>> m_zones;
};

} // namespace dockerops::dns
