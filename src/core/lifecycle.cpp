#include "core/lifecycle.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "base/time_text.hpp"
#include "core/intent.hpp"
#include "engine/engine.hpp"
#include "project/counted.hpp"
#include "project/model.hpp"
#include "project/resolve.hpp"
#include "project/swarm_names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>

namespace dockerops::core {
namespace {

const char* desired_after(Lifecycle action) {
  switch (action) {
  case Lifecycle::stop:
    return "stopped";
  case Lifecycle::clean:
    return "removed";
  case Lifecycle::start:
  case Lifecycle::restart:
    break;
  }
  return "running";
}

// "service/instance" of every container an operation of the plan acts on (kept orphans are not)
// and, but for clean, of every container the filter selects: a stop of an instance that is down
// already (a crash loop between two attempts) is still the user's wish.
std::vector<std::string> affected_instances(const plan::Plan& plan, const plan::ObservedState& observed,
                                            Lifecycle action, const std::string& project,
                                            const plan::Filter& filter) {
  std::set<std::string> keys;
  if (action != Lifecycle::clean)
    for (const auto& c : observed.containers) {
      std::string service = c.label(project::k_label_service);
      std::string instance = c.label(project::k_label_instance);
      if (c.label(project::k_label_project) != project || instance.empty() ||
          !project::matches_filter(filter.service, filter.instance, service, instance) ||
          (!filter.group.empty() && std::find(filter.members.begin(), filter.members.end(),
                                              std::pair{service, instance}) == filter.members.end()))
        continue;
      keys.insert(service + "/" + instance);
    }
  for (const auto& op : plan.operations) {
    if (op.container_id.empty() || op.kind == plan::OpKind::keep)
      continue;
    for (const auto& c : observed.containers)
      if (c.id == op.container_id)
        keys.insert(c.label(project::k_label_service) + "/" + c.label(project::k_label_instance));
  }
  return {keys.begin(), keys.end()};
}

} // namespace

std::string_view lifecycle_name(Lifecycle action) {
  switch (action) {
  case Lifecycle::stop:
    return "stop";
  case Lifecycle::start:
    return "start";
  case Lifecycle::restart:
    return "restart";
  case Lifecycle::clean:
    return "clean";
  }
  return "";
}

namespace {

// The (service, instance) pairs of run conf entries that `wanted` accepts: named entries by their
// name, counted entries by the observed instances that are theirs (whatever the count is now).
std::vector<std::pair<std::string, std::string>>
conf_instances(const LoadedProject& loaded, const std::function<bool(const project::ConfEntry&)>& wanted) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : loaded.conf.entries) {
    if (!wanted(e))
      continue;
    if (!project::is_counted(e)) {
      if (e.instance)
        out.emplace_back(e.service.value, e.instance->value);
      continue;
    }
    for (const auto& c : loaded.observed.containers) {
      std::string service = c.label(project::k_label_service);
      std::string instance = c.label(project::k_label_instance);
      if (c.label(project::k_label_project) == loaded.project.name &&
          project::belongs_to(e, service, instance))
        out.emplace_back(service, instance);
    }
    if (loaded.observed.swarm) // one service for all of them (docs/decisions.md 33)
      for (const auto& s : loaded.observed.swarm->services)
        if (s.label(project::k_label_project) == loaded.project.name &&
            project::is_counted_service(s.labels) && s.label(project::k_label_service) == e.service.value &&
            s.label(project::k_label_instance_prefix) == project::counted_prefix(e))
          out.emplace_back(e.service.value, project::counted_instances(project::counted_prefix(e)));
  }
  return out;
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
    if (loaded.observed.swarm)
      for (const auto& s : loaded.observed.swarm->services)
        known.insert(s.label(project::k_label_service));
    if (!known.count(filter.service))
      fail(ErrorKind::config, "{}: project {} has no service \"{}\" (no folder, no {} entry, no container){}",
           command, loaded.project.name, filter.service, loaded.conf.filename,
           strings::did_you_mean(filter.service, std::vector<std::string>(known.begin(), known.end())));
  }
  if (!filter.group.empty()) {
    filter.members = conf_instances(
        loaded, [&](const project::ConfEntry& e) { return e.group && e.group->value == filter.group; });
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
  plan::Filter selected = filter;
  if (action == Lifecycle::clean) {
    selected.keep_orphans = filter.service == "all" && filter.group.empty() && !options.remove_orphans &&
                            !loaded.conf.entries.empty();
    selected.conf_members = conf_instances(loaded, [](const project::ConfEntry&) { return true; });
  }
  LifecycleOutcome out;
  if (loaded.swarm())
    out.plan = swarm_lifecycle_plan(loaded, action, selected);
  else
    switch (action) {
    case Lifecycle::stop:
      out.plan = plan::plan_stop(project, loaded.observed, selected, zone, options.graceful);
      break;
    case Lifecycle::start:
      out.plan = plan::plan_start(project, loaded.observed, selected, zone);
      break;
    case Lifecycle::restart:
      out.plan = plan::plan_restart(project, loaded.observed, selected, zone);
      break;
    case Lifecycle::clean:
      out.plan = plan::plan_clean(project, loaded.observed, selected, zone, options.graceful);
      break;
    }
  if (!loaded.swarm())
    add_watches(out.plan, loaded); // watches are a single-host feature (docs/decisions.md 33)
  if (options.dry_run)
    return out;
  if (options.approve && !options.approve(out.plan)) {
    out.approved = false;
    return out;
  }
  // What the user wants of these instances now: the agent never undoes a stop or a clean.
  std::vector<std::string> keys = affected_instances(out.plan, loaded.observed, action, project, filter);
  if (!keys.empty())
    update_intents(loaded.project.dir, [&](Intents& intents) {
      record_desired(intents, keys, desired_after(action),
                     options.by.empty() ? std::string(lifecycle_name(action)) : options.by,
                     time_text::rfc3339(std::chrono::system_clock::now()));
    });
  out.applied = execute(engine, out.plan, loaded, options.exec, reporter);
  return out;
}

} // namespace dockerops::core
