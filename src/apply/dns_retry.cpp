#include "apply/dns_retry.hpp"

#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "base/log.hpp"

#include <algorithm>
#include <thread>

namespace dockerops::apply {

void with_dns_retries(const std::string& what, const std::function<void()>& attempt,
                      const DnsRetryPolicy& policy, const std::function<bool()>& cancelled) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  auto delay = policy.first_delay;
  for (int attempts = 1;; ++attempts) {
    try {
      attempt();
      return;
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::interrupted)
        throw;
      auto waited = clock::now() - start;
      if (waited + delay > policy.deadline || (cancelled && cancelled()))
        fail(ErrorKind::dns, "{}: no success within {} s ({} attempt{}): {}", what,
             std::chrono::duration_cast<std::chrono::seconds>(waited).count(), attempts,
             attempts == 1 ? "" : "s", e.what());
      log::debug("{}: attempt {} failed ({}); again in {} ms", what, attempts, e.what(), delay.count());
    }
    // Sleep in short slices so that Ctrl-C and a cancelled plan end the wait at once.
    for (auto slept = std::chrono::milliseconds(0); slept < delay; slept += std::chrono::milliseconds(50)) {
      interrupt::check();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    delay = std::min(policy.max_delay, delay * 2);
  }
}

} // namespace dockerops::apply
