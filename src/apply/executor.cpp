#include "apply/executor.hpp"

#include "apply/operations.hpp"
#include "base/error.hpp"
#include "base/log.hpp"

#include <fmt/ranges.h>

#include <condition_variable>
#include <thread>

namespace dockerops::apply {

namespace {

// Operations whose time is mostly spent waiting (for a process to exit, a log line, a timer or a
// DNS reply) rather than making the daemon work.
bool mostly_waits(plan::OpKind kind) {
  using K = plan::OpKind;
  return kind == K::stop || kind == K::wait_ready || kind == K::sleep || kind == K::drain ||
         kind == K::dns_register || kind == K::dns_deregister || kind == K::dns_sync || kind == K::keep ||
         kind == K::watch_notify || kind == K::wait_running;
}

} // namespace

ApplyResult apply_plan(engine::Engine& engine, const plan::Plan& plan, const ApplyOptions& options) {
  detail::OperationRunner runner(engine, plan, options);
  const auto& ops = plan.operations;
  std::vector<int> state(ops.size() + 1, 0); // 0 waiting, 1 running, 2 done
  std::mutex mutex;
  std::condition_variable changed;
  std::optional<Error> failure;
  std::exception_ptr unexpected;
  int remaining = static_cast<int>(ops.size());
  const int jobs = std::max(1, options.jobs);
  const int slots = jobs + std::max(0, options.waiting_jobs);
  const int build_jobs = std::max(1, options.build_jobs);
  int heavy_running = 0;
  int builds_running = 0;
  int running = 0;

  auto next = [&]() -> const plan::Operation* {
    if (running >= slots)
      return nullptr;
    for (const auto& op : ops) {
      if (state[static_cast<std::size_t>(op.id)] != 0)
        continue;
      if (!mostly_waits(op.kind) && heavy_running >= jobs)
        continue;
      if (op.kind == plan::OpKind::build_image && builds_running >= build_jobs)
        continue;
      bool ready = true;
      for (int dep : op.after)
        ready = ready && state[static_cast<std::size_t>(dep)] == 2;
      if (ready)
        return &op;
    }
    return nullptr;
  };
  auto worker = [&] {
    std::unique_lock lock(mutex);
    while (true) {
      const plan::Operation* op = nullptr;
      changed.wait(lock, [&] { return remaining == 0 || failure || unexpected || (op = next()) != nullptr; });
      if (remaining == 0 || failure || unexpected)
        return;
      state[static_cast<std::size_t>(op->id)] = 1;
      const bool heavy = !mostly_waits(op->kind);
      const bool build = op->kind == plan::OpKind::build_image;
      heavy_running += heavy ? 1 : 0;
      builds_running += build ? 1 : 0;
      ++running;
      lock.unlock();
      try {
        runner.run(*op);
        lock.lock();
      } catch (const Error& error) {
        lock.lock();
        if (!failure)
          failure = error;
        runner.cancel();
      } catch (...) {
        lock.lock();
        if (!unexpected)
          unexpected = std::current_exception();
        runner.cancel();
      }
      state[static_cast<std::size_t>(op->id)] = 2;
      heavy_running -= heavy ? 1 : 0;
      builds_running -= build ? 1 : 0;
      --running;
      --remaining;
      changed.notify_all();
    }
  };
  const int threads_wanted = std::max(1, std::min(slots, static_cast<int>(ops.size())));
  std::vector<std::thread> threads;
  for (int i = 1; i < threads_wanted; ++i)
    threads.emplace_back(worker);
  worker();
  for (auto& t : threads)
    t.join();

  if (failure || unexpected) {
    std::string rolled;
    if (options.rollback) {
      auto created = runner.result().created;
      auto left = runner.roll_back();
      if (!created.empty())
        rolled = left.empty()
                     ? fmt::format(" (removed what this run created: {})", fmt::join(created, ", "))
                     : fmt::format(" (could not remove {}; run dockerops clean)", fmt::join(left, ", "));
    }
    if (unexpected)
      std::rethrow_exception(unexpected);
    throw Error(failure->kind(), failure->what() + rolled);
  }
  return runner.result();
}

} // namespace dockerops::apply
