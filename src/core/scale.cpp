#include "core/scale.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "base/time_text.hpp"
#include "core/intent.hpp"
#include "core/scale_counts.hpp"
#include "core/up.hpp"

#include <fmt/format.h>

#include <set>

namespace dockerops::core {

const project::ConfEntry& counted_entry(const LoadedProject& loaded, const std::string& command,
                                        const std::string& service,
                                        const std::optional<std::string>& prefix) {
  std::vector<const project::ConfEntry*> counted;
  const project::ConfEntry* named = nullptr;
  std::set<std::string> services;
  for (const auto& e : loaded.conf.entries) {
    services.insert(e.service.value);
    if (e.service.value != service)
      continue;
    if (!project::is_counted(e))
      named = named ? named : &e;
    else if (!prefix || project::counted_prefix(e) == *prefix)
      counted.push_back(&e);
  }
  const std::string& conf = loaded.conf.filename;
  if (counted.size() == 1)
    return *counted.front();
  if (counted.size() > 1) {
    std::vector<std::string> prefixes;
    for (const auto* e : counted)
      prefixes.push_back(fmt::format("\"{}\" (line {})", project::counted_prefix(*e), e->line));
    fail(ErrorKind::usage, "{}: {} has {} counted entries in {}: {}; say which with instance=PREFIX", command,
         service, counted.size(), conf, strings::join(prefixes, ", "));
  }
  if (prefix)
    fail(ErrorKind::config, "{}: {} has no counted entry with \"instance\": \"{}\" in {}", command, service,
         *prefix, conf);
  if (named)
    fail(ErrorKind::config,
         "{}: {}:{}: {} has no \"instances\": only counted entries scale (add \"instances\": N to the entry)",
         command, conf, named->line, service);
  for (const auto& [name, unused] : loaded.project.services)
    services.insert(name);
  if (services.count(service))
    fail(ErrorKind::config, "{}: {} has no entry in {}: add one with \"instances\": N", command, service,
         conf);
  fail(ErrorKind::config, "{}: project {} has no service \"{}\"{}", command, loaded.project.name, service,
       strings::did_you_mean(service, std::vector<std::string>(services.begin(), services.end())));
}

Outcome scale(engine::Engine& engine, LoadedProject& loaded, const ScaleOptions& options,
              apply::Reporter& reporter) {
  const project::ConfEntry& entry = counted_entry(loaded, "scale", options.service, options.prefix);
  if (options.instances < 1 || options.instances > project::k_max_instances)
    fail(ErrorKind::usage, "scale: {}={}: the count must be a whole number from 1 to {}", options.service,
         options.instances, project::k_max_instances);
  if (const auto& a = entry.scale.autoscale; a && (options.instances < a->min || options.instances > a->max))
    fail(ErrorKind::usage, "scale: {}={}: {}:{} autoscales {} between min {} and max {}", options.service,
         options.instances, loaded.conf.filename, a->line, options.service, a->min, a->max);
  std::string prefix = project::counted_prefix(entry);
  // Scaling never breaks a link: an instance another entry links to by name stays.
  for (const auto& e : loaded.conf.entries)
    for (const auto& link : e.links)
      if (link.instance && link.service == entry.service.value)
        if (auto number = project::counted_number(prefix, *link.instance);
            number && *number > options.instances)
          fail(ErrorKind::config,
               "scale: {}:{}: {} links to {}/{}: {} cannot go below {} instances (a link with \"instance\": "
               "null takes any instance)",
               loaded.conf.filename, link.line,
               e.instance ? e.service.value + "/" + e.instance->value : e.service.value, link.service,
               *link.instance, link.service, *number);
  std::string key = project::scale_key(entry.service.value, prefix);
  int before = project::effective_count(entry, loaded.counts);
  int declared = project::declared_count(entry);
  project::RuntimeCounts counts = loaded.counts;
  counts.erase(key);
  if (options.instances != declared) // the run conf's own count needs no runtime entry
    counts[key] = {options.instances, declared};
  loaded.counts = counts;

  UpOptions up_options;
  up_options.selection.service = entry.service.value;
  up_options.selection.counted = prefix;
  up_options.no_wait = options.no_wait;
  up_options.command = "scale";
  up_options.dry_run = true; // the plan first: the count is stored only when there is one to execute
  up_options.exec = options.exec;
  Outcome out = up(engine, loaded, up_options, reporter);
  out.plan.notices.insert(
      out.plan.notices.begin(),
      fmt::format("{}/{}: {} -> {} instance{}{}", entry.service.value, prefix, before, options.instances,
                  options.instances == 1 ? "" : "s",
                  options.instances == declared
                      ? fmt::format(" (the count of {}:{})", loaded.conf.filename, entry.line)
                      : " (kept in .dockerops/scale.json)"));
  if (!options.reason.empty())
    out.plan.notices.insert(out.plan.notices.begin() + 1, options.reason);
  if (options.dry_run)
    return out;
  store_runtime_counts(loaded.project.dir, counts);
  project::ResolvedProject created;
  std::vector<std::string> removed;
  for (const auto& op : out.plan.operations) {
    if (op.instance && (op.kind == plan::OpKind::create || op.kind == plan::OpKind::replace))
      created.instances.push_back(*op.instance);
    if (op.kind == plan::OpKind::remove)
      for (const auto& c : loaded.observed.containers)
        if (c.id == op.container_id)
          removed.push_back(c.label(project::k_label_service) + "/" + c.label(project::k_label_instance));
  }
  update_intents(loaded.project.dir, [&](Intents& intents) {
    std::string at = time_text::rfc3339(std::chrono::system_clock::now());
    record_running(intents, created, {}, options.by, at);
    record_desired(intents, removed, "removed", options.by, at);
  });
  out.applied = execute(engine, out.plan, loaded, options.exec, reporter);
  return out;
}

} // namespace dockerops::core
