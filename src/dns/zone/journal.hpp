#pragma once

// Durable log of committed zone changes (RFC 2136 §3.5: commit to stable
// storage before replying).
//
// File format: a sequence of records, each
//   u32 magic "DOJ1" | u32 payload length | u32 CRC-32 (IEEE) of the payload | payload
// payload:
//   u8 kind (1 = changes, 2 = snapshot) | u8 origin length | origin (wire)
//   u32 serial before | u32 serial after | u32 count | items
//   changes item:  u8 kind (1 add, 2 remove, 3 serial) then, for add/remove,
//                  u8 owner length | owner | u16 type | u32 ttl | u16 rdlength | rdata;
//                  for serial, u32 serial
//   snapshot item: u8 owner length | owner | u16 type | u32 ttl | u16 rdlength | rdata
// One append (several records, one per zone touched by a group commit) is one
// write(2) followed by one fdatasync(2).
//
// Recovery: load the zone files, then replay(): records are applied in order
// when their "serial before" matches the zone (a snapshot replaces the zone);
// a record whose "serial after" is not newer than the zone is skipped. A torn
// or corrupt tail (short record or CRC mismatch: a crash mid-append) ends the
// replay and is cut off, so only acknowledged commits, which were fsynced
// whole, are guaranteed to survive.
//
// Compaction writes each zone loaded from a master file back to that file (as
// BIND and Knot flush dynamic zones: temp file, fsync, rename, fsync of the
// folder), then replaces the journal, the same way, with one snapshot record
// per zone that has no writable file (a generated zone, a read-only mount).
// A crash between the two leaves records the file already contains: replay
// skips them by serial. Comments and $INCLUDEs of a hand-written file are not
// kept; edit it with the server stopped and raise the serial (a file newer
// than a snapshot wins).

#include "dns/zone/journal_change.hpp"
#include "dns/zone/zone_store.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace dockerops::dns {

// One commit of one zone.
struct JournalEntry {
  WireName origin;
  std::uint32_t serial_before = 0;
  std::uint32_t serial_after = 0;
  std::vector<ZoneChange> changes;
};

// Result of a replay, for the start-up log line.
struct JournalReplay {
  std::size_t applied = 0;
  std::size_t skipped = 0;
  std::size_t snapshots = 0;
  bool torn_tail = false; // a partial or corrupt last record was cut off
};

class Journal {
public:
  // Opens (creating) the journal file. Throws an io Error naming it.
  explicit Journal(std::string path);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  const std::string& path() const { return m_path; }

  // Replays the file into the zones (see the file comment) and truncates a
  // torn tail. Call once, before any append.
  JournalReplay replay(ZoneSet& zones);

  // Appends the entries with one write and one fdatasync. Throws an io Error;
  // on error the file is cut back to its previous size.
  void append(const std::vector<JournalEntry>& entries);

  // Writes zones back to their master files, then replaces the journal with
  // snapshots of the others (see the file comment).
  void compact(const ZoneSet& zones);

  // Records appended since the last compaction (or since opening).
  std::size_t records() const { return m_records; }

private:
  std::string m_path;
  int m_fd = -1;
  std::uint64_t m_size = 0;
  std::size_t m_records = 0;
};

// Encodes one entry as a complete record (for tests and tools).
std::string encode_journal_entry(const JournalEntry& entry);

// CRC-32 (IEEE 802.3, reflected, as zlib's crc32).
std::uint32_t crc32(std::string_view data);

} // namespace dockerops::dns
