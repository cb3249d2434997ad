#include "core/lifecycle.hpp"

#include "base/error.hpp"
#include "base/log.hpp"
#include "base/strings.hpp"
#include "engine/engine.hpp"
#include "project/model.hpp"

#include <fmt/format.h>

#include <set>

namespace dockerops::core {

namespace {

// Removes the project network when no container of the project is left (clean).
void remove_network_if_unused(engine::Engine& engine, const std::string& project, apply::Reporter& reporter) {
  auto left = engine.list_containers(
      engine::label_filter({std::string(project::k_label_project) + "=" + project}), true);
  if (!left.empty())
    return;
  std::string name = project::network_name(project);
  for (const auto& n : engine.list_networks({})) {
    if (n.name != name)
      continue;
    auto it = n.labels.find(std::string(project::k_label_project));
    if (it == n.labels.end() || it->second != project)
      return; // not ours
    try {
      engine.remove_network(name);
      log::info("network {}: removed (no container left)", name);
    } catch (const Error& e) {
      // No container of the project is left, so "active endpoints" are stale ones the daemon
      // kept after concurrent removals (moby/moby#42119; compose down hits it too).
      bool stale = std::string_view(e.what()).find("active endpoints") != std::string_view::npos;
      reporter.warning(fmt::format("network {}: not removed: {}{}", name, e.what(),
                                   stale ? " (endpoints the daemon left behind; restarting dockerd clears "
                                           "them, and the next run reuses the network meanwhile)"
                                         : ""));
    }
  }
}

// clean:all without remove_orphans: the containers of instances the run conf does not list are kept.
plan::ObservedState without_orphans(const LoadedProject& loaded, std::vector<std::string>& notices) {
  plan::ObservedState observed = loaded.observed;
  std::set<std::pair<std::string, std::string>> in_conf;
  for (const auto& e : loaded.conf.entries)
    if (e.instance)
      in_conf.emplace(e.service.value, e.instance->value);
  std::size_t before = observed.containers.size();
  std::erase_if(observed.containers, [&](const plan::ObservedContainer& c) {
    return !in_conf.count({c.label(project::k_label_service), c.label(project::k_label_instance)});
  });
  if (std::size_t kept = before - observed.containers.size())
    notices.push_back(
        fmt::format("{} container{} not in {} kept (add remove_orphans=true to remove them too)", kept,
                    kept == 1 ? "" : "s", loaded.conf.filename));
  return observed;
}

} // namespace

plan::Filter make_filter(const LoadedProject& loaded, const std::string& command, const std::string& service,
                         const std::string& instance, const std::string& group) {
  plan::Filter filter;
  filter.group = group;
  filter.service = service.empty() && !group.empty() ? "all" : service;
  if (filter.service.empty())
    fail(ErrorKind::usage, "{}: name a service ({}:SERVICE[,instance=NAME]) or all", command, command);
  filter.instance = instance;
  // A service that has no folder, no run.conf entry and no container is a typo: say so, instead
  // of "nothing to do".
  if (filter.service != "all" && !filter.service.ends_with('*') &&
      !project::is_builtin_service(filter.service)) {
    std::set<std::string> known;
    for (const auto& [name, unused] : loaded.project.services)
      known.insert(name);
    for (const auto& e : loaded.conf.entries)
      known.insert(e.service.value);
    for (const auto& c : loaded.observed.containers)
      known.insert(c.label(project::k_label_service));
    if (!known.count(filter.service))
      fail(ErrorKind::config, "{}: project {} has no service \"{}\" (no folder, no {} entry, no container){}",
           command, loaded.project.name, filter.service, loaded.conf.filename,
           strings::did_you_mean(filter.service, std::vector<std::string>(known.begin(), known.end())));
  }
  if (!filter.group.empty()) {
    for (const auto& e : loaded.conf.entries)
      if (e.group && e.group->value == filter.group && e.instance)
        filter.members.emplace_back(e.service.value, e.instance->value);
    if (filter.members.empty())
      fail(ErrorKind::config, "{}: no instances in group \"{}\"", loaded.conf.filename, filter.group);
  }
  return filter;
}

LifecycleOutcome lifecycle(engine::Engine& engine, LoadedProject& loaded, Lifecycle action,
                           const plan::Filter& filter, const LifecycleOptions& options,
                           apply::Reporter& reporter) {
  const std::string& project = loaded.project.name;
  const std::string zone(project::k_zone);
  LifecycleOutcome out;
  switch (action) {
  case Lifecycle::stop:
    out.plan = plan::plan_stop(project, loaded.observed, filter, zone);
    break;
  case Lifecycle::start:
    out.plan = plan::plan_start(project, loaded.observed, filter, zone);
    break;
  case Lifecycle::restart:
    out.plan = plan::plan_restart(project, loaded.observed, filter, zone);
    break;
  case Lifecycle::clean: {
    std::vector<std::string> notices;
    bool keep_orphans = filter.service == "all" && filter.group.empty() && !options.remove_orphans &&
                        !loaded.conf.entries.empty();
    out.plan = plan::plan_clean(project, keep_orphans ? without_orphans(loaded, notices) : loaded.observed,
                                filter, zone);
    out.plan.notices.insert(out.plan.notices.begin(), notices.begin(), notices.end());
    break;
  }
  }
  if (options.dry_run)
    return out;
  if (options.approve && !options.approve(out.plan)) {
    out.approved = false;
    return out;
  }
  out.applied = execute(engine, out.plan, loaded, options.exec, reporter);
  if (action == Lifecycle::clean)
    remove_network_if_unused(engine, project, reporter);
  return out;
}

} // namespace dockerops::core
