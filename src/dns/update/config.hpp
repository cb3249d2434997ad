#pragma once

// The hook between the server loop (dns/server: server.cpp, dnsd.cpp) and the
// RFC 2136 update path (dns/update: context.hpp, process.cpp and friends).
//
// Threading contract (see server.hpp): UDP queries are answered in their own
// threads and never wait for updates. UPDATE messages, from UDP or TCP, go to
// the TCP/update thread, which hands them to the update path's committer
// thread with UpdateContext::submit (context.hpp: group commit, one
// fsync per batch) and sends each reply when UpdateCompletions reports it, so
// no server loop ever waits for an fsync. The path applies, persists and only
// then replies (as BIND and Knot do: docs/dns-implementation.md §durability);
// queries see the change through ZoneStore::Transaction::commit().

#include "dns/proto/wire.hpp"

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace dockerops::dns {

class ZoneSet;

// Who sent a message and how.
struct ClientInfo {
  sockaddr_storage address{};
  socklen_t address_length = 0;
  bool tcp = false;
};

// Journal records after which the journal is compacted (--journal-compact-after).
inline constexpr std::size_t k_default_journal_compact_after = 10000;

// The server options the update path needs (from dockerops-dnsd's command line).
struct UpdateConfig {
  std::string key_file;                 // --key-file; empty = no keys, updates REFUSED
  std::string journal;                  // --journal; empty = changes live in memory only
  std::size_t max_records_per_name = 0; // --max-records-per-name; 0 = no cap
  std::size_t compact_after = k_default_journal_compact_after; // 0 = only at a clean stop
};

// State of the update path (keyring, replay cache, journal, policy). Opaque to
// the server; defined in context.hpp.
class UpdateContext;

// Builds the update path at start-up, after the zones are loaded: reads the
// key file and replays the journal into `zones` (restart recovery). Throws a dockerops::Error with a
// user-facing message on failure. `zones` outlives the context.
std::shared_ptr<UpdateContext> make_update_context(const UpdateConfig& config, ZoneSet& zones);

// Called once on clean shutdown (SIGTERM/SIGINT): flush or compact the journal.
void close_update_context(UpdateContext& context);

} // namespace dockerops::dns
