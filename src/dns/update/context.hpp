#pragma once

// The RFC 2136 update path behind the hook of config.hpp.
//
// Per message (process_one), in the RFC's order, like Knot's ddns.c:
//   zone section (§3.1.1) -> TSIG (RFC 8945 §5.2) -> prerequisites (§3.2)
//   -> permission/policy (§3.3) -> prescan (§3.4.1) -> apply to the private
//   copy (§3.4.2) -> per-name cap, rolled back alone on failure
// then per batch (process_batch): one SOA serial bump per zone when the batch
// did not raise it (§3.6), one journal append + fdatasync (§3.5), atomic
// publication of each zone copy (§3.7), and only then the replies.
//
// Group commit. Updates that arrive while a commit's fsync runs are queued;
// the committer thread takes the whole queue as the next batch, applies the
// updates in arrival order to one copy per zone (so each sees the ones before
// it), writes one journal append with one fdatasync, publishes, then calls
// every reply callback. RFC 2136 §3.6 allows one serial bump for the batch.
// submit() feeds that queue and returns at once; commits never interleave. A
// reply is never produced before its change is fsynced and visible to queries.

#include "dns/proto/tsig.hpp"
#include "dns/update/config.hpp"
#include "dns/update/policy.hpp"
#include "dns/update/status.hpp"
#include "dns/zone/journal.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace dockerops::dns {

// Called with the reply (nullopt = send nothing) on the committer thread.
using UpdateCallback = std::function<void(std::optional<std::vector<std::uint8_t>>)>;

// One UPDATE message waiting for a commit.
struct UpdateRequest {
  std::vector<std::uint8_t> wire;
  ClientInfo client;
};

class UpdateContext {
public:
  // Loads keys and replays the journal. Does not start the committer thread.
  UpdateContext(const UpdateConfig& config, ZoneSet& zones);
  ~UpdateContext();
  UpdateContext(const UpdateContext&) = delete;
  UpdateContext& operator=(const UpdateContext&) = delete;

  // Starts the committer thread that serves submit().
  void start();

  // Queues an update for the next group commit; `done` runs on the committer thread.
  void submit(UpdateRequest request, UpdateCallback done);

  // Processes a batch now on the calling thread (the committer, and tests).
  std::vector<std::optional<std::vector<std::uint8_t>>>
  process_batch(const std::vector<UpdateRequest>& batch);

  // Stops the committer (after finishing the queue) and compacts the journal.
  void close();

  // Seconds since the epoch; tests replace it to exercise BADTIME.
  void set_clock(std::function<std::uint64_t()> clock) { m_clock = std::move(clock); }
  void add_key(TsigKey key) { m_keys.add(std::move(key)); }
  // The --key-file keys; the query path verifies signed queries with them too.
  // Read-only once the server runs (add_key is for set-up and tests).
  const Keyring& keys() const { return m_keys; }
  UpdatePolicy& policy() { return m_policy; }
  // Compact the journal after this many appended records (0 = never).
  void set_compact_after(std::size_t records) { m_compact_after = records; }

  // Statistics, for logs and the benchmark.
  std::uint64_t commits() const { return m_commits; }
  std::uint64_t committed_updates() const { return m_committed_updates; }

private:
  struct Outcome;
  struct ZoneWork;
  Outcome process_one(const UpdateRequest& request, std::uint64_t now, std::vector<ZoneWork>& work);
  std::vector<std::uint8_t> build_reply(const Outcome& outcome, std::uint64_t now) const;
  void run();

  ZoneSet& m_zones;
  Keyring m_keys;
  ReplayCache m_replay;
  UpdatePolicy m_policy;
  std::unique_ptr<Journal> m_journal;
  std::size_t m_compact_after = k_default_journal_compact_after;
  std::function<std::uint64_t()> m_clock;
  std::mutex m_commit_mutex;

  std::mutex m_queue_mutex;
  std::condition_variable m_queue_cv;
  std::deque<std::pair<UpdateRequest, UpdateCallback>> m_queue;
  bool m_stopping = false;
  bool m_closed = false;
  std::thread m_thread;
  std::uint64_t m_commits = 0;
  std::uint64_t m_committed_updates = 0;
};

// Replies finished by the committer thread, handed to an epoll loop: push()
// from the committer, then the loop sees fd() readable (an eventfd) and calls
// drain(). `token` is the loop's own reference to the client (connection fd
// and generation, or a UDP socket and address it keeps in a map). Usage in
// the TCP/update thread:
//   context.submit({wire, client}, [&completions, token](auto reply) { completions.push(token,
//   std::move(reply)); });
//   ... on completions.fd() readable: for (auto& [token, reply] : completions.drain()) send reply to token;
class UpdateCompletions {
public:
  UpdateCompletions();
  ~UpdateCompletions();
  UpdateCompletions(const UpdateCompletions&) = delete;
  UpdateCompletions& operator=(const UpdateCompletions&) = delete;

  int fd() const { return m_fd; }
  void push(std::uint64_t token, std::optional<std::vector<std::uint8_t>> reply);
  std::vector<std::pair<std::uint64_t, std::optional<std::vector<std::uint8_t>>>> drain();

private:
  int m_fd = -1;
  std::mutex m_mutex;
  std::vector<std::pair<std::uint64_t, std::optional<std::vector<std::uint8_t>>>> m_done;
};

// Largest batch one commit takes from the queue.
inline constexpr std::size_t k_max_batch = 1024;

} // namespace dockerops::dns
