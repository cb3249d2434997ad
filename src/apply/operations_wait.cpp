// The operations that mostly wait: DNS registration (retried while dnsd starts), readiness and
// run.conf sleeps. They run besides the creates and starts, outside the --jobs slots.

#include "apply/operations.hpp"

#include "apply/readiness.hpp"
#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "base/log.hpp"

#include <chrono>
#include <thread>

namespace dockerops::apply::detail {

void OperationRunner::register_dns(const plan::Operation& op, bool add) {
  std::string who = who_of(op);
  if (op.instance && op.instance->interactive)
    return; // attached and already removed: nothing to register
  if (!m_options.registrar || op.dns_server.empty()) {
    log::debug("{}: no DNS in the project: {} skipped", who, plan::to_string(op.kind));
    return;
  }
  DnsRecord record;
  record.server = op.dns_server;
  record.zone = op.zone;
  record.service = op.service;
  record.policy = op.policy;
  auto info = m_engine.inspect_container(op.instance ? op.instance->container_name : op.container_id);
  record.hostname = op.instance ? op.instance->hostname : info.hostname;
  if (!op.instance)
    record.policy = project::dns_policy_in_env(info.env);
  if (record.policy == project::DnsPolicy::hide)
    return;
  auto it = info.networks.find(m_network);
  if (it == info.networks.end() || it->second.ip_address.empty()) {
    log::debug("{}: no address on {}: {} skipped", who, m_network, plan::to_string(op.kind));
    return;
  }
  record.ip = it->second.ip_address;
  // dnsd starts under supervisord after the ready line: retry for a few seconds.
  for (int attempt = 0;; ++attempt) {
    try {
      if (add)
        m_options.registrar->register_instance(record);
      else
        m_options.registrar->deregister_instance(record);
      break;
    } catch (const Error& e) {
      if (attempt >= 30 || cancelled() || e.kind() == ErrorKind::interrupted)
        fail(ErrorKind::dns, "{}: DNS {} at {} failed: {}", who, add ? "registration" : "deregistration",
             record.server, e.what());
      std::this_thread::sleep_for(std::chrono::milliseconds(200 + 50 * attempt));
      interrupt::check();
    }
  }
  count();
  say(fmt::format("{}: {} {}.{} ({})", who, add ? "registered" : "deregistered", record.hostname, record.zone,
                  record.ip));
}

void OperationRunner::wait_ready(const plan::Operation& op) {
  ReadyCheck check;
  check.container = op.target;
  check.timeout_seconds = op.seconds;
  check.who = who_of(op);
  check.cancelled = [this] { return cancelled(); };
  if (auto it = m_instances.find(op.target); it != m_instances.end()) {
    const auto& r = *it->second;
    check.who = r.who();
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
  say(fmt::format("{}: sleeping {} s (run.conf sleep)", who_of(op), op.seconds));
  while (std::chrono::steady_clock::now() < end && !cancelled()) {
    interrupt::check();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

} // namespace dockerops::apply::detail
