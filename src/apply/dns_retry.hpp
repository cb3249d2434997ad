#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace dockerops::apply {

// The one retry policy of DNS updates (registration, deregistration, dns:sync): dnsd starts under
// supervisord after its container's ready line, so a refused connection right after a start is
// normal. Attempts follow each other with a capped exponential back-off until `deadline` has passed
// since the first; the DNS client itself makes one attempt per call (dns::ClientOptions::attempts).
struct DnsRetryPolicy {
  std::chrono::milliseconds deadline{30000};
  std::chrono::milliseconds first_delay{100};
  std::chrono::milliseconds max_delay{1000};
};

// Calls `attempt` until it returns without an Error, the deadline passes, `cancelled` says so or the
// process is interrupted; then the last Error is rethrown with `what` and how long it was tried in
// front: "<what>: no answer within 30 s (12 attempts): <last error>". An interruption is rethrown
// as is.
void with_dns_retries(const std::string& what, const std::function<void()>& attempt,
                      const DnsRetryPolicy& policy = {}, const std::function<bool()>& cancelled = {});

} // namespace dockerops::apply
