#include "apply/operations.hpp"

#include "apply/project_files.hpp"
#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "base/log.hpp"
#include "engine/http_error.hpp"
#include "project/subnet.hpp"

#include <chrono>
#include <thread>

namespace dockerops::apply::detail {

namespace {

SilentReporter g_silent;

} // namespace

std::string who_of(const plan::Operation& op) {
  if (op.instance)
    return op.instance->who();
  if (!op.service.empty() && !op.instance_name.empty())
    return op.service + "/" + op.instance_name;
  return op.target;
}

OperationRunner::OperationRunner(engine::Engine& engine, const plan::Plan& plan, const ApplyOptions& options)
    : m_engine(engine), m_plan(plan), m_options(options), m_network(project::network_name(plan.project)),
      m_reporter(options.reporter ? *options.reporter : g_silent), m_replaced_images(engine) {
  for (const auto& op : plan.operations)
    if (op.instance && (op.kind == plan::OpKind::create || op.kind == plan::OpKind::recreate ||
                        op.kind == plan::OpKind::replace || op.kind == plan::OpKind::keep)) {
      m_instances[op.target] = &*op.instance;
      if (!op.instance->network.empty())
        m_network = op.instance->network;
    }
  for (const auto& op : plan.operations)
    if (op.kind == plan::OpKind::wait_ready)
      ++m_ready_total;
  m_reporter.begin(m_ready_total);
}

OperationRunner::~OperationRunner() {
  m_reporter.end();
}

void OperationRunner::say(const std::string& line) {
  std::lock_guard lock(m_mutex);
  m_reporter.line(line);
}

void OperationRunner::remove_if_present(const std::string& id) {
  try {
    m_engine.remove_container(id, true, false);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::not_found)
      throw; // gone already is what we wanted
  }
}

void OperationRunner::count() {
  if (m_options.faults)
    m_options.faults->operation_done();
}

ApplyResult OperationRunner::result() {
  std::lock_guard lock(m_mutex);
  ApplyResult out = m_result;
  out.created.clear();
  for (const auto& [name, id] : m_created)
    out.created.push_back(name);
  for (const auto& [name, id] : m_created_services)
    out.created.push_back(name);
  return out;
}

std::string OperationRunner::who(const plan::Operation& op) const {
  if (!op.instance)
    if (auto it = m_options.display_names.find(op.target); it != m_options.display_names.end())
      return it->second;
  return who_of(op);
}

void OperationRunner::run(const plan::Operation& op) {
  interrupt::check();
  using K = plan::OpKind;
  switch (op.kind) {
  case K::create_network:
    create_network(op);
    break;
  case K::create:
  case K::recreate:
  case K::replace:
    start_instance(op);
    break;
  case K::keep:
    say(fmt::format("{}: {}", who(op), op.cause)); // "up to date", or why clean keeps it
    break;
  case K::start:
    m_engine.start_container(op.container_id);
    count();
    say(fmt::format("{}: started ({})", who(op), op.cause));
    break;
  case K::stop:
    m_engine.stop_container(op.container_id, m_options.stop_timeout);
    count();
    say(fmt::format("{}: stopped", who(op)));
    break;
  case K::remove:
    remove_if_present(op.container_id);
    count();
    m_replaced_images.container_removed(op.image_id);
    say(fmt::format("{}: removed", who(op)));
    break;
  case K::dns_register:
    register_dns(op, true);
    break;
  case K::dns_deregister:
    register_dns(op, false);
    break;
  case K::wait_ready:
    wait_ready(op);
    break;
  case K::sleep:
  case K::drain:
    sleep(op);
    break;
  case K::build_image:
    build_image(op);
    break;
  case K::project_files:
    make_project_files(op);
    break;
  case K::dns_sync:
    sync_dns(op);
    break;
  case K::remove_network:
    remove_network(op);
    break;
  case K::watch_notify:
    notify_watcher(op);
    break;
  case K::push_image:
    push_image(op);
    break;
  case K::create_secret:
    create_secret(op);
    break;
  case K::remove_secret:
    remove_secret(op);
    break;
  case K::remove_volume:
    remove_volume(op);
    break;
  case K::create_service:
    create_service(op);
    break;
  case K::update_service:
    update_service(op);
    break;
  case K::scale_service:
    scale_service(op);
    break;
  case K::remove_service:
    remove_service(op);
    break;
  case K::wait_running:
    wait_running(op);
    break;
  }
}

void OperationRunner::create_network(const plan::Operation& op) {
  engine::NetworkSpec spec;
  spec.name = op.target;
  spec.labels = m_options.extra_labels;
  spec.labels[std::string(project::k_label_project)] = m_plan.project;
  spec.subnet = op.subnet;
  if (!op.subnet.empty())
    spec.gateway = project::subnet_host(op.subnet, 1);
  if (op.driver == "overlay") {
    spec.driver = "overlay";
    spec.attachable = true; // a helper container on the manager may join it (ssh to a task elsewhere)
  }
  try {
    m_engine.create_network(spec);
    std::lock_guard lock(m_mutex);
    m_created_network = op.target;
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::conflict)
      fail(e.kind(), "network {}: {}", op.target, e.what());
    // Made by an earlier, interrupted run: idempotent.
  }
  count();
  say(fmt::format("network {}: created ({})", op.target, op.subnet));
}

void OperationRunner::make_project_files(const plan::Operation& op) {
  // docs/decisions.md 10 and 13; both are idempotent (another run may have made them meanwhile).
  for (const auto& file : op.files) {
    if (file == ".dockerops/id_ed25519")
      ensure_ssh_key(op.target);
    else if (file == ".dockerops/dns.key")
      ensure_dns_key(op.target, m_plan.project);
    else if (file == ".dockerops/agent.token")
      ensure_agent_token(std::filesystem::path(op.target) / ".dockerops");
    else
      fail(ErrorKind::internal, "project-files: no recipe for {}", file);
  }
}

void OperationRunner::remove_network(const plan::Operation& op) {
  // A swarm removes a service's tasks after DELETE /services returns, and the overlay stays in use
  // until they are gone: retry for a while (bounded) before warning.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(m_plan.swarm ? 30 : 0);
  for (std::chrono::milliseconds pause(100);; pause = std::min(pause * 2, std::chrono::milliseconds(1000))) {
    try {
      m_engine.remove_network(op.target);
      break;
    } catch (const engine::DaemonError& e) {
      if (e.kind() == ErrorKind::not_found)
        return; // gone already
      if (std::chrono::steady_clock::now() < deadline) {
        interrupt::check();
        std::this_thread::sleep_for(pause);
        continue;
      }
      network_warning(op, e);
      return;
    }
  }
  count();
  log::info("network {}: removed ({})", op.target, op.cause);
}

void OperationRunner::network_warning(const plan::Operation& op, const engine::DaemonError& e) {
  // 403: the daemon still counts endpoints of containers removed at the same moment
  // (moby/moby#42119; compose down hits it too). The next run reuses the network.
  m_reporter.warning(fmt::format("network {}: not removed: {}{}", op.target, e.what(),
                                 e.status() == 403
                                     ? " (endpoints the daemon left behind; restarting dockerd "
                                       "clears them, and the next run reuses the network meanwhile)"
                                     : ""));
}

std::string OperationRunner::address_of(const std::string& container, const std::string& network) {
  auto info = m_engine.inspect_container(container);
  auto it = info.networks.find(network);
  if (it == info.networks.end() || it->second.ip_address.empty())
    fail(ErrorKind::engine, "{}: has no address on network {} (is it running?)", container, network);
  return it->second.ip_address;
}

} // namespace dockerops::apply::detail
