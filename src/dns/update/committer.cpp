// The update path's committer thread (see context.hpp): the start-up (keys, journal
// replay), the queue that UPDATEs from every transport go through, the loop that takes them in
// batches for one group commit each, and the shutdown that compacts the journal.

#include "base/log.hpp"
#include "dns/proto/key_file.hpp"
#include "dns/update/config.hpp"
#include "dns/update/context.hpp"

namespace dockerops::dns {

UpdateContext::UpdateContext(const UpdateConfig& config, ZoneSet& zones) : m_zones(zones) {
  m_clock = tsig_wall_seconds;
  m_policy.max_records_per_name = config.max_records_per_name;
  m_compact_after = config.compact_after;
  if (!config.key_file.empty())
    for (TsigKey& key : read_key_file(config.key_file))
      m_keys.add(std::move(key));
  if (!config.journal.empty()) {
    m_journal = std::make_unique<Journal>(config.journal);
    JournalReplay r = m_journal->replay(zones);
    log::info("journal {}: {} records replayed, {} skipped{}", config.journal, r.applied, r.skipped,
              r.torn_tail ? ", torn tail cut" : "");
  }
}

UpdateContext::~UpdateContext() {
  try {
    close();
  } catch (const std::exception& e) {
    log::warning("update path shutdown: {}", e.what());
  }
}

void UpdateContext::start() {
  if (!m_thread.joinable())
    m_thread = std::thread([this] { run(); });
}

void UpdateContext::submit(UpdateRequest request, UpdateCallback done) {
  {
    std::lock_guard lock(m_queue_mutex);
    m_queue.emplace_back(std::move(request), std::move(done));
  }
  m_queue_cv.notify_one();
}

void UpdateContext::run() {
  for (;;) {
    std::vector<UpdateRequest> batch;
    std::vector<UpdateCallback> callbacks;
    {
      std::unique_lock lock(m_queue_mutex);
      m_queue_cv.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
      if (m_queue.empty())
        return; // stopping and drained
      while (!m_queue.empty() && batch.size() < k_max_batch) {
        batch.push_back(std::move(m_queue.front().first));
        callbacks.push_back(std::move(m_queue.front().second));
        m_queue.pop_front();
      }
    }
    std::vector<std::optional<std::vector<std::uint8_t>>> replies;
    try {
      replies = process_batch(batch);
    } catch (const std::exception& e) {
      log::warning("update batch failed: {}", e.what());
      replies.assign(batch.size(), std::nullopt);
    }
    for (std::size_t i = 0; i < callbacks.size(); ++i)
      callbacks[i](std::move(replies[i]));
  }
}

void UpdateContext::close() {
  {
    std::lock_guard lock(m_queue_mutex);
    if (m_closed)
      return;
    m_closed = true;
    m_stopping = true;
  }
  m_queue_cv.notify_all();
  if (m_thread.joinable())
    m_thread.join();
  std::lock_guard lock(m_commit_mutex);
  if (m_journal && m_journal->records() > 0)
    m_journal->compact(m_zones);
}

std::shared_ptr<UpdateContext> make_update_context(const UpdateConfig& config, ZoneSet& zones) {
  auto context = std::make_shared<UpdateContext>(config, zones);
  context->start();
  return context;
}

void close_update_context(UpdateContext& context) {
  context.close();
}

} // namespace dockerops::dns
