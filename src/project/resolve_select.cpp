#include "base/error.hpp"
#include "base/strings.hpp"
#include "project/resolve_parts.hpp"

#include <cctype>
#include <set>

namespace dockerops::project::detail {

void check_service(const std::string& service, const Project& project, const std::string& where) {
  // Built-in services run from dockerops/<name> images (docs/decisions.md 12): the
  // DNS and the plain base (the original demo runs "dockerops-base" instances).
  if (service == k_dns_service || service == k_agent_service || service == "dockerops-base")
    return;
  if (is_builtin_service(service)) {
    if (service.rfind(k_dns_service, 0) == 0)
      fail(ErrorKind::config,
           "{}: \"{}\" is the old DockerOps DNS; use \"service\": \"dockerops-dns\" (image dockerops/dns)",
           where, service);
    fail(ErrorKind::config,
         "{}: \"{}\" is not a built-in service (dockerops-dns, dockerops-agent, dockerops-base); the base "
         "image is now "
         "dockerops/base",
         where, service);
  }
  if (project.services.count(service)) {
    check_service_name(service, where);
    return;
  }
  fail(ErrorKind::config, "{}: service \"{}\" has no folder services/{} with a Dockerfile{}", where, service,
       service, unknown_service_hint(project, service));
}

std::vector<Wanted> select_instances(const ResolveInput& input, Notices& notices,
                                     std::vector<CountedSet>& counted) {
  const auto& conf = *input.conf;
  const auto& sel = input.selection;
  std::vector<Wanted> out;
  auto take = [&](const ConfEntry& e) {
    if (is_counted(e))
      return take_counted(e, input, out, counted, notices);
    Wanted w{
        e.service.value, e.instance ? e.instance->value : input.host->random_name(), {&e, conf.filename}};
    out.push_back(std::move(w));
  };
  if (sel.service == "all") {
    if (input.overrides.interactive.value_or(false) || input.overrides.safemode.value_or(false))
      fail(ErrorKind::usage,
           "interactive and safemode runs take one service: run:SERVICE,instance=NAME,{}=true",
           input.overrides.interactive.value_or(false) ? "interactive" : "safemode");
    if (conf.entries.empty())
      fail(ErrorKind::config, "{}:{}: no instances to run; add entries to {} or name a service (run:SERVICE)",
           conf.filename, conf.line, conf.filename);
    for (const auto& e : conf.entries) {
      if (!sel.group.empty() && (!e.group || e.group->value != sel.group))
        continue;
      if (e.autorun && !e.autorun->value) {
        notices.notices.push_back(fmt::format("{}/{}: skipped by run:all (autorun is false)", e.service.value,
                                              e.instance ? e.instance->value : "(random)"));
        continue;
      }
      take(e);
    }
    if (out.empty() && !sel.group.empty()) {
      std::set<std::string> groups;
      for (const auto& e : conf.entries)
        if (e.group)
          groups.insert(e.group->value);
      fail(ErrorKind::config, "{}: no instances in group \"{}\"{}", conf.filename, sel.group,
           strings::did_you_mean(sel.group, {groups.begin(), groups.end()}));
    }
    return out;
  }
  check_service(sel.service, *input.project, "command line");
  if (sel.instance && !sel.counted)
    if (auto w = counted_instance(sel.service, *sel.instance, input)) {
      out.push_back(*w);
      return out;
    }
  for (const auto& e : conf.entries) {
    if (e.service.value != sel.service)
      continue;
    if (sel.counted && (!is_counted(e) || counted_prefix(e) != *sel.counted))
      continue;
    if (sel.instance && (is_counted(e) || !e.instance || e.instance->value != *sel.instance))
      continue;
    if (!sel.group.empty() && (!e.group || e.group->value != sel.group))
      continue;
    take(e);
  }
  if (out.empty() && sel.instance) {
    // An entry of the service without an instance name is its template (docs/compatibility.md §conf-match): a
    // named instance with no entry of its own runs with it rather than with bare defaults.
    for (const auto& e : conf.entries)
      if (e.service.value == sel.service && !e.instance && !is_counted(e) &&
          (sel.group.empty() || (e.group && e.group->value == sel.group))) {
        out.push_back({sel.service, *sel.instance, {&e, conf.filename}});
        notices.notices.push_back(
            fmt::format("{}/{}: no entry of its own: using the entry at {}:{} (no instance name)",
                        sel.service, *sel.instance, conf.filename, e.line));
        return out;
      }
  }
  if (out.empty()) {
    // docs/decisions.md 21: no entry = the type's defaults and a one-line notice.
    std::string instance = sel.instance ? *sel.instance : input.host->random_name();
    out.push_back({sel.service, instance, {nullptr, conf.filename}});
    notices.notices.push_back(fmt::format("{}/{}: no entry in {}: using the defaults of its instance type",
                                          sel.service, instance, conf.filename));
  }
  return out;
}

InstanceType choose_type(const Wanted& w, const Overrides& overrides, const std::string& who,
                         Notices& notices) {
  auto parse = [&](const std::string& text, const std::string& where) {
    auto type = parse_instance_type(text);
    if (!type)
      fail(ErrorKind::config, "{}: unknown instance_type \"{}\"{}", where, text,
           strings::did_you_mean(text, instance_type_names()));
    return *type;
  };
  if (overrides.instance_type)
    return parse(*overrides.instance_type, "command line");
  if (w.origin.entry && w.origin.entry->instance_type)
    return parse(w.origin.entry->instance_type->value,
                 fmt::format("{}:{}", w.origin.conf_filename, w.origin.entry->instance_type->line));
  if (auto type = parse_instance_type(w.instance)) {
    if (*type != InstanceType::standard)
      notices.notices.push_back(
          fmt::format("{}: instance type {} (from the instance name)", who, to_string(*type)));
    return *type;
  }
  return InstanceType::standard;
}

} // namespace dockerops::project::detail
