#include "plan/plan.hpp"

#include "base/strings.hpp"
#include "project/swarm_names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace dockerops::plan {

std::string_view to_string(OpKind kind) {
  switch (kind) {
  case OpKind::create_network:
    return "create-network";
  case OpKind::build_image:
    return "build-image";
  case OpKind::create:
    return "create";
  case OpKind::keep:
    return "keep";
  case OpKind::recreate:
    return "recreate";
  case OpKind::replace:
    return "replace";
  case OpKind::start:
    return "start";
  case OpKind::stop:
    return "stop";
  case OpKind::remove:
    return "remove";
  case OpKind::dns_register:
    return "dns-register";
  case OpKind::dns_deregister:
    return "dns-deregister";
  case OpKind::wait_ready:
    return "wait-ready";
  case OpKind::sleep:
    return "sleep";
  case OpKind::project_files:
    return "project-files";
  case OpKind::dns_sync:
    return "dns-sync";
  case OpKind::remove_network:
    return "remove-network";
  case OpKind::watch_notify:
    return "watch-notify";
  case OpKind::drain:
    return "drain";
  case OpKind::push_image:
    return "push-image";
  case OpKind::create_secret:
    return "create-secret";
  case OpKind::create_service:
    return "create-service";
  case OpKind::update_service:
    return "update-service";
  case OpKind::scale_service:
    return "scale-service";
  case OpKind::remove_service:
    return "remove-service";
  case OpKind::wait_running:
    return "wait-running";
  case OpKind::remove_secret:
    return "remove-secret";
  case OpKind::remove_volume:
    return "remove-volume";
  }
  return "keep";
}

std::vector<std::vector<int>> Plan::waves() const {
  std::vector<int> wave(operations.size() + 1, 0);
  std::vector<std::vector<int>> out;
  for (const auto& op : operations) {
    int w = 0;
    for (int dep : op.after)
      w = std::max(w, wave[static_cast<std::size_t>(dep)] + 1);
    wave[static_cast<std::size_t>(op.id)] = w;
    if (out.size() <= static_cast<std::size_t>(w))
      out.resize(static_cast<std::size_t>(w) + 1);
    out[static_cast<std::size_t>(w)].push_back(op.id);
  }
  return out;
}

namespace {

// A volume line: on a swarm, where the task gets it from (a swarm config or secret, the named
// volume on its node, or a path of the node).
std::string volume_line(const project::ResolvedInstance& r, const project::VolumeMount& v, bool swarm) {
  std::string mode = v.mode.empty() ? "" : ":" + v.mode;
  if (!swarm)
    return fmt::format("      volume {}:{}{}\n", v.host_path, v.container_path, mode);
  for (const auto& f : project::swarm_files(r))
    if (f.target == v.container_path)
      return fmt::format("      file {} from {} {} ({})\n", f.target, f.config ? "config" : "secret", f.name,
                         f.path);
  if (!r.persistent_dir.empty() && v.host_path == r.persistent_dir)
    return fmt::format("      volume {}:{} (on its node)\n", project::persistent_volume(r), v.container_path);
  if (r.is_agent && v.container_path == project::k_agent_swarm_dir)
    return fmt::format("      volume {}:{} (on its manager)\n", project::agent_state_volume(r.container_name),
                       v.container_path);
  return fmt::format("      volume {}:{}{} (a path on the node)\n", v.host_path, v.container_path, mode);
}

void describe_instance(std::string& out, const project::ResolvedInstance& r, bool swarm) {
  std::string image =
      r.image + (r.image_id.empty() ? " (not built yet)" : " (" + r.image_id.substr(0, 19) + ")");
  out += fmt::format("      image {}\n", image);
  out += fmt::format("      type {}, hash {}\n", project::to_string(r.type), r.config_hash);
  if (r.nethost)
    out += "      network host\n";
  else
    out += fmt::format("      network {}{}, hostname {}\n", r.network,
                       r.ipv4_address.empty() ? "" : " at " + r.ipv4_address, r.hostname);
  if (!r.dns_server.empty())
    out += fmt::format("      resolver {} (search {})\n", r.dns_server, r.dns_search);
  if (!r.command.empty())
    out += fmt::format("      command {}\n", strings::join(r.command, " "));
  std::vector<std::string> flags;
  for (auto [name, on] : {std::pair{"safemode", r.safemode},
                          {"interactive", r.interactive},
                          {"ssh_keys", r.ssh_keys},
                          {"no-wait", !r.wait}})
    if (on)
      flags.emplace_back(name);
  if (!flags.empty())
    out += fmt::format("      flags {}\n", strings::join(flags, ", "));
  if (!r.resources.empty())
    out += fmt::format("      resources {}\n", project::describe(r.resources));
  for (const auto& p : r.ports)
    out += fmt::format("      port {}{}\n", project::fmt_port(p), swarm ? " (host mode)" : "");
  for (const auto& v : r.volumes)
    out += volume_line(r, v, swarm);
  for (const auto& l : r.links)
    out += fmt::format("      link {} -> {}\n", l.alias,
                       l.target_container.empty() ? "remote" : l.target_container);
  for (const auto& [name, v] : r.env) {
    std::string value = v.pending_link_container.empty() || !v.value.empty()
                            ? project::shown_value(name, v.value)
                            : "<ip of " + v.pending_link_container + ">";
    // "run.conf:12" says both the source and the place; others name the source first.
    std::string source(project::to_string(v.source));
    if (!v.detail.empty())
      source = v.source == project::EnvSource::run_conf ? v.detail : fmt::format("{} {}", source, v.detail);
    out += fmt::format("      env {}={}  ({})\n", name, value, source);
  }
}

// The members a watch-notify delivers and what changes for the watcher.
void describe_watch(std::string& out, const WatchNotice& n) {
  std::vector<std::string> members;
  for (const auto& m : n.members)
    members.push_back(m.instance + "=" + (m.address.empty() ? "<address once started>" : m.address));
  out += fmt::format("      watched {}: {}\n", n.service,
                     members.empty() ? "no members" : strings::join(members, " "));
  if (n.reason != WatchReason::ready)
    out += fmt::format("      last delivered: {}\n",
                       n.delivered.empty() ? "none" : strings::join(n.delivered, " "));
}

} // namespace

const char* to_string(WatchReason reason) {
  switch (reason) {
  case WatchReason::ready:
    return "ready";
  case WatchReason::retry:
    return "retry";
  case WatchReason::change:
    break;
  }
  return "change";
}

std::string Plan::to_string() const {
  std::string out =
      fmt::format("{} plan for project {}{}: {} operation{}\n", command, project, swarm ? " on swarm" : "",
                  operations.size(), operations.size() == 1 ? "" : "s");
  auto all_waves = waves();
  for (std::size_t w = 0; w < all_waves.size(); ++w) {
    out += fmt::format("wave {}\n", w + 1);
    for (int id : all_waves[w]) {
      const Operation& o = op(id);
      std::string deps;
      for (int dep : o.after)
        deps += (deps.empty() ? " after #" : " #") + std::to_string(dep);
      std::string extra;
      if (o.kind == OpKind::create_network)
        extra = " " + o.subnet + (o.driver.empty() ? "" : " " + o.driver);
      else if (o.kind == OpKind::push_image)
        extra = " to " + o.registry;
      else if (o.kind == OpKind::scale_service)
        extra = fmt::format(" to {}", o.replicas);
      else if (o.kind == OpKind::create_secret)
        extra = std::string(o.config_file ? " config" : " secret") + " from " + strings::join(o.files, " ");
      else if (o.kind == OpKind::sleep || o.kind == OpKind::wait_ready || o.kind == OpKind::drain)
        extra = fmt::format(" {}s", o.seconds);
      else if (o.kind == OpKind::dns_register)
        extra = fmt::format(" {}", project::to_string(o.policy));
      else if (o.kind == OpKind::build_image)
        extra = fmt::format(" from {}{}", o.from, o.nocache ? " (no cache)" : "");
      else if (o.kind == OpKind::project_files)
        extra = " " + strings::join(o.files, " ");
      out +=
          fmt::format("  #{} {} {}{}{}: {}\n", o.id, plan::to_string(o.kind), o.target, extra, deps, o.cause);
      if (o.instance &&
          (o.kind == OpKind::create || o.kind == OpKind::recreate || o.kind == OpKind::replace ||
           o.kind == OpKind::create_service || o.kind == OpKind::update_service)) {
        if (o.kind == OpKind::create_service || o.kind == OpKind::update_service)
          out += fmt::format("      {}{}\n",
                             o.instance->is_dns ? "global (one task per node)"
                                                : fmt::format("replicas {}", o.replicas),
                             o.node.empty() ? "" : ", pinned to node " + o.node);
        describe_instance(out, *o.instance, swarm);
      }
      if (o.watch)
        describe_watch(out, *o.watch);
    }
  }
  for (const auto& n : notices)
    out += "notice: " + n + "\n";
  for (const auto& w : warnings)
    out += "warning: " + w + "\n";
  return out;
}

std::string Plan::summary() const {
  // What happened to an instance, in the order a reader cares about; kinds that touch no
  // instance (network, DNS, waits) are part of starting one and not counted.
  static constexpr const char* k_outcomes[] = {"created", "recreated", "started",
                                               "stopped", "removed",   "up to date"};
  auto outcome_of = [](const Operation& op) -> int {
    switch (op.kind) {
    case OpKind::create:
    case OpKind::create_service:
      return 0;
    case OpKind::recreate:
    case OpKind::replace: // an exited container removed and created again
    case OpKind::update_service:
      return 1;
    case OpKind::start:
      return 2;
    case OpKind::scale_service:
      return op.replicas == 0 ? 3 : 2;
    case OpKind::stop:
      return 3;
    case OpKind::remove:
    case OpKind::remove_service:
      return 4;
    case OpKind::keep:
      return 5;
    default:
      return -1;
    }
  };
  int counts[std::size(k_outcomes)] = {};
  int total = 0;
  // An instance stopped and then removed (scale-in) counts once, as removed.
  std::set<std::string> removed;
  for (const Operation& op : operations)
    if (op.kind == OpKind::remove)
      removed.insert(op.target);
  for (const Operation& op : operations)
    if (int outcome = outcome_of(op);
        outcome >= 0 && !(op.kind == OpKind::stop && removed.count(op.target))) {
      ++counts[outcome];
      ++total;
    }
  if (total == 0)
    return fmt::format("{}: no instances\n", command);
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < std::size(k_outcomes); ++i)
    if (counts[i] > 0)
      parts.push_back(fmt::format("{} {}", counts[i], k_outcomes[i]));
  return fmt::format("{}: {} instance{}: {}\n", command, total, total == 1 ? "" : "s",
                     strings::join(parts, ", "));
}

} // namespace dockerops::plan
