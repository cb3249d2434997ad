#include "cli/lifecycle.hpp"

#include "apply/observe.hpp"
#include "base/error.hpp"
#include "base/log.hpp"
#include "base/strings.hpp"
#include "cli/arguments.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/run_support.hpp"
#include "engine/engine.hpp"
#include "project/model.hpp"

#include <set>

namespace dockerops::cli {

namespace {

// A service that has no folder, no run.conf entry and no container is a typo: say so, instead of
// "nothing to do".
void check_service_known(const std::string& command, const std::string& service,
                         const LoadedProject& loaded) {
  if (service == "all" || service.ends_with('*') || project::is_builtin_service(service))
    return;
  std::set<std::string> known;
  for (const auto& [name, unused] : loaded.project.services)
    known.insert(name);
  for (const auto& e : loaded.conf.entries)
    known.insert(e.service.value);
  for (const auto& c : loaded.observed.containers)
    known.insert(apply::label_of(c, project::k_label_service));
  if (known.count(service))
    return;
  fail(ErrorKind::config, "{}: project {} has no service \"{}\" (no folder, no {} entry, no container){}",
       command, loaded.project.name, service, loaded.conf.filename,
       strings::did_you_mean(service, std::vector<std::string>(known.begin(), known.end())));
}

} // namespace

plan::Filter lifecycle_filter(const Arguments& args, const LoadedProject& loaded) {
  plan::Filter filter;
  filter.group = args.get_or("group", "");
  filter.service = args.get_or("service", filter.group.empty() ? "" : "all");
  if (filter.service.empty())
    fail(ErrorKind::usage, "{}: name a service ({}:SERVICE[,instance=NAME]) or all", args.command(),
         args.command());
  filter.instance = args.get_or("instance", "");
  check_service_known(args.command(), filter.service, loaded);
  if (!filter.group.empty()) {
    for (const auto& e : loaded.conf.entries)
      if (e.group && e.group->value == filter.group && e.instance)
        filter.members.emplace_back(e.service.value, e.instance->value);
    if (filter.members.empty())
      fail(ErrorKind::config, "{}: no instances in group \"{}\"", loaded.conf.filename, filter.group);
  }
  return filter;
}

void remove_network_if_unused(Context& context, const std::string& project) {
  engine::Engine& engine = context.engine();
  auto left = engine.list_containers(
      engine::label_filter({std::string(project::k_label_project) + "=" + project}), true);
  if (!left.empty())
    return;
  std::string name = project + "_net";
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
      log::warning("network {}: not removed: {}{}", name, e.what(),
                   stale ? " (endpoints the daemon left behind; restarting dockerd clears them, and the "
                           "next run reuses the network meanwhile)"
                         : "");
    }
  }
}

int run_lifecycle(Context& context, const Arguments& args, LifecyclePlanner planner) {
  LoadedProject loaded = load_project(context, std::nullopt);
  observe_into(context.engine(), loaded);
  plan::Plan plan = planner(loaded.project.name, loaded.observed, lifecycle_filter(args, loaded),
                            std::string(project::k_zone));
  apply_or_print(context, plan, loaded, "", static_cast<int>(args.get_int("timeout").value_or(10)));
  return 0;
}

} // namespace dockerops::cli
