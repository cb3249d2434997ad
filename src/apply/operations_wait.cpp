// The operations that mostly wait: readiness and run.conf sleeps. They run besides the creates and
// starts, outside the --jobs slots.

#include "apply/operations.hpp"

#include "apply/readiness.hpp"
#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "base/log.hpp"
#include "base/strings.hpp"

#include <chrono>
#include <thread>

namespace dockerops::apply::detail {

void OperationRunner::wait_ready(const plan::Operation& op) {
  ReadyCheck check;
  check.container = op.target;
  check.timeout_seconds = op.seconds;
  check.who = who_of(op);
  check.cancelled = [this] { return cancelled(); };
  if (auto it = m_instances.find(op.target); it != m_instances.end()) {
    const auto& r = *it->second;
    check.who = r.who();
    check.seed_command = strings::join(r.command, " ");
    std::optional<engine::ImageInfo> image;
    {
      std::lock_guard lock(m_mutex);
      if (m_images.count(r.image))
        image = m_images[r.image];
    }
    if (!image) {
      image = m_engine.find_image(r.image);
      std::lock_guard lock(m_mutex);
      m_images[r.image] = image;
    }
    if (image) {
      check.dockerops_image = is_dockerops_image(*image);
      check.has_healthcheck = image->has_healthcheck;
    }
  }
  apply::wait_ready(m_engine, check);
  int done = ++m_ready_done;
  std::lock_guard lock(m_mutex);
  m_reporter.ready(done, m_ready_total, check.who);
}

void OperationRunner::sleep(const plan::Operation& op) {
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(op.seconds);
  say(op.kind == plan::OpKind::drain
          ? fmt::format("{}: draining {} s (out of the DNS; clients stop sending)", who_of(op), op.seconds)
          : fmt::format("{}: sleeping {} s (run.conf sleep)", who_of(op), op.seconds));
  while (std::chrono::steady_clock::now() < end && !cancelled()) {
    interrupt::check();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

} // namespace dockerops::apply::detail
