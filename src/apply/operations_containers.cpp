// The container operations of a plan (see operations.hpp): creating a container (retrying a
// name the daemon still holds), starting it, why an instance is recreated, starting an instance
// with its spec, links and data folders, and rolling back what this run created.
#include "apply/operations.hpp"

#include "apply/container_spec.hpp"
#include "apply/project_files.hpp"
#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "base/log.hpp"
#include "base/strings.hpp"

#include <filesystem>

namespace dockerops::apply::detail {

std::string OperationRunner::create_container(const engine::ContainerSpec& spec, const std::string& who) {
  for (int attempt = 0;; ++attempt) {
    try {
      std::string id = m_engine.create_container(spec);
      {
        std::lock_guard lock(m_mutex);
        m_created.emplace_back(spec.name, id);
      }
      count();
      return id;
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::not_found)
        fail(ErrorKind::not_found, "{}: image {} does not exist; build it with dockerops build:{}", who,
             spec.image, who.substr(0, who.find('/')));
      if (e.kind() != ErrorKind::conflict || attempt > 0)
        fail(e.kind(), "{}: cannot create container {}: {}", who, spec.name, e.what());
      // The name is taken: a leftover of ours (same project, service, instance) is replaced;
      // anything else is a conflict the user must resolve.
      auto existing = m_engine.find_container(spec.name);
      if (!existing)
        continue;
      auto label = [&](std::string_view key) {
        auto it = existing->labels.find(std::string(key));
        return it == existing->labels.end() ? std::string() : it->second;
      };
      bool ours = label(project::k_label_project) == spec.labels.at(std::string(project::k_label_project)) &&
                  label(project::k_label_service) == spec.labels.at(std::string(project::k_label_service)) &&
                  label(project::k_label_instance) == spec.labels.at(std::string(project::k_label_instance));
      if (!ours)
        fail(ErrorKind::conflict,
             "{}: the container name {} is taken by a container dockerops does not manage ({}); remove or "
             "rename it",
             who, spec.name, existing->id.substr(0, 12));
      log::info("{}: replacing the leftover container {}", who, existing->id.substr(0, 12));
      m_engine.remove_container(existing->id, true, false);
      count();
    }
  }
}

std::string OperationRunner::holder_of(const std::string& address, const std::string& self) {
  if (address.empty())
    return "";
  try {
    for (const auto& member : m_engine.inspect_network(m_network).members) {
      if (member.ipv4_address != address || member.container_id == self)
        continue;
      auto labels = m_engine.inspect_container(member.container_id).labels;
      auto service = labels.find(std::string(project::k_label_service));
      auto instance = labels.find(std::string(project::k_label_instance));
      if (service == labels.end() || instance == labels.end())
        return fmt::format("{}, a container dockerops does not manage (disconnect it from {} or remove it)",
                           member.name, m_network);
      return fmt::format("{} ({}/{}, started before its address was reserved: rerun:{},instance={} gives it "
                         "another)",
                         member.name, service->second, instance->second, service->second, instance->second);
    }
  } catch (const Error& e) {
    log::debug("{}: the holder of {} cannot be found: {}", m_network, address, e.what());
  }
  return "";
}

void OperationRunner::start_container(const std::string& id, const std::string& who,
                                      const project::ResolvedInstance& r, const std::string& address) {
  try {
    m_engine.start_container(id);
  } catch (const Error& e) {
    std::string message = e.what();
    // An address another container holds: the network's members say which (no need to read the
    // daemon's words, which do not name it).
    if (std::string holder = holder_of(address, id); !holder.empty())
      fail(ErrorKind::conflict, "{}: cannot start: its address {} on {} is held by {}", who, address,
           m_network, holder);
    // A published port taken on the host comes back as a 500 whose only detail is the daemon's
    // text (no structured field in the Engine API): that text is all there is to recognise it by.
    if (message.find("port is already allocated") != std::string::npos ||
        message.find("address already in use") != std::string::npos) {
      std::vector<std::string> ports;
      for (const auto& p : r.ports)
        ports.push_back(project::fmt_port(p));
      fail(ErrorKind::conflict, "{}: a published port is already in use on the host ({}): {}", who,
           strings::join(ports, " "), message);
    }
    fail(e.kind(), "{}: cannot start: {}", who, message);
  }
  count();
}

std::string OperationRunner::why_recreated(const plan::Operation& op) {
  if (op.reason != plan::RecreateReason::config_changed || op.container_id.empty())
    return op.cause;
  // Say which variables changed: the old container's Env against the new one.
  try {
    auto old = m_engine.inspect_container(op.container_id);
    std::map<std::string, std::string> before;
    for (const auto& kv : old.env) {
      auto eq = kv.find('=');
      before[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
    }
    std::vector<std::string> changed;
    for (const auto& [name, value] : op.instance->env) {
      auto it = before.find(name);
      if (value.pending_link_container.empty() && (it == before.end() || it->second != value.value))
        changed.push_back(name);
    }
    if (!changed.empty())
      return "configuration changed: env " + strings::join(changed, ", ");
  } catch (const Error& e) {
    // Only the detail of the message is lost: the recreate goes on.
    log::debug("{}: the old container's environment cannot be read: {}", who_of(op), e.what());
  }
  return op.cause;
}

const project::ResolvedInstance& OperationRunner::bound_instance(const plan::Operation& op,
                                                                 project::ResolvedInstance& bound) {
  // An image built by this run joins the instance's config hash now (docs/decisions.md 18).
  const project::ResolvedInstance& planned = *op.instance;
  if (planned.image_id.empty())
    if (std::string id = built_id(planned.image); !id.empty()) {
      bound = planned;
      bound.bind_image(id);
      return bound;
    }
  return planned;
}

void OperationRunner::start_instance(const plan::Operation& op) {
  project::ResolvedInstance bound;
  const project::ResolvedInstance& r = bound_instance(op, bound);
  std::string who = who_of(op);
  std::string cause = op.kind == plan::OpKind::recreate ? why_recreated(op) : op.cause;
  if (op.kind == plan::OpKind::recreate) {
    m_engine.stop_container(op.container_id, m_options.stop_timeout);
    count();
  }
  if (op.kind == plan::OpKind::recreate || op.kind == plan::OpKind::replace) {
    remove_if_present(op.container_id);
    count();
    if (op.image_id != r.image_id)
      m_replaced_images.container_removed(op.image_id);
  }
  // Files on the host the container mounts (docs/decisions.md 2, 10, 13).
  std::filesystem::path dir = std::filesystem::path(r.persistent_dir).empty() ? "" : r.persistent_dir;
  for (const auto& volume : r.volumes) {
    std::filesystem::path host = volume.host_path;
    if (host.filename() == "id_ed25519.pub" || host.filename() == "id_ed25519")
      ensure_ssh_key(host.parent_path().parent_path());
    else if (host.filename() == "dns.key" && host.parent_path().filename() == ".dockerops")
      ensure_dns_key(host.parent_path().parent_path(), r.project);
  }
  if (!r.persistent_dir.empty())
    ensure_data_dir(r.persistent_dir);

  SpecExtras extras;
  extras.labels = m_options.extra_labels;
  extras.link_address = [&](const std::string& container) { return address_of(container, r.network); };
  engine::ContainerSpec spec = container_spec(r, extras);
  if (spec.endpoint && !op.address.empty())
    spec.endpoint->ipv4_address = op.address; // the plan's, outside the DNS's (issue 20)
  std::string address = spec.endpoint ? spec.endpoint->ipv4_address : "";
  std::string id = create_container(spec, who);

  if (r.interactive) {
    say(fmt::format("{}: attaching (the container is removed on exit)", who));
    engine::InteractiveIo io;
    int code = m_engine.attach(id, true, io);
    try {
      m_engine.remove_container(id, true, false);
    } catch (const Error& e) {
      // Gone already, or the daemon's AutoRemove is at it (409): what we wanted.
      if (e.kind() != ErrorKind::not_found && e.kind() != ErrorKind::conflict)
        log::warning("{}: the container {} was not removed: {}", who, spec.name, e.what());
    }
    std::lock_guard lock(m_mutex);
    m_result.interactive = true;
    m_result.interactive_exit = code;
    std::erase_if(m_created, [&](const auto& c) { return c.second == id; });
    return;
  }
  start_container(id, who, r, address);
  if (op.kind == plan::OpKind::create) {
    say(fmt::format("{}: created and started", who)); // the cause, "not created yet", says nothing more
    return;
  }
  const char* verb = op.kind == plan::OpKind::recreate ? "recreated" : "replaced";
  say(fmt::format("{}: {} and started ({})", who, verb, cause));
}

std::vector<std::string> OperationRunner::roll_back() {
  std::vector<std::pair<std::string, std::string>> created, services;
  std::string network;
  {
    std::lock_guard lock(m_mutex);
    created = m_created;
    services = m_created_services;
    network = m_created_network;
  }
  std::vector<std::string> left;
  for (auto it = services.rbegin(); it != services.rend(); ++it) {
    try {
      m_engine.swarm().remove_service(it->second);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::not_found) {
        log::debug("rollback: service {} not removed: {}", it->first, e.what());
        left.push_back(it->first);
      }
    }
  }
  for (auto it = created.rbegin(); it != created.rend(); ++it) {
    try {
      m_engine.remove_container(it->second, true, false);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::not_found) {
        log::debug("rollback: {} not removed: {}", it->first, e.what());
        left.push_back(it->first);
      }
    }
  }
  if (!network.empty() && left.empty()) {
    try {
      m_engine.remove_network(network);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::not_found)
        left.push_back("network " + network);
    }
  }
  return left;
}

} // namespace dockerops::apply::detail
