#include "core/up.hpp"

#include "base/error.hpp"
#include "core/dns_sync.hpp"
#include "engine/engine.hpp"
#include "plan/planner.hpp"

#include <fmt/format.h>

namespace dockerops::core {

Outcome up(engine::Engine& engine, LoadedProject& loaded, const UpOptions& options,
           apply::Reporter& reporter) {
  if (!engine.is_local() && !options.dry_run)
    fail(ErrorKind::usage,
         "{}: needs a local daemon (DOCKER_HOST is {}): instances bind-mount files of the project",
         options.command, engine.host());
  observe(engine, loaded, true);
  project::ResolveInput input = resolve_input(loaded);
  input.selection = options.selection;
  input.overrides = options.overrides;
  project::ResolvedProject resolved = project::resolve(input);
  for (auto& r : resolved.instances) {
    if (options.no_wait)
      r.wait = false;
    if (options.skip_sleep)
      r.sleep = 0;
  }
  plan::RunOptions run;
  run.subnet = loaded.subnet;
  run.remove_orphans = options.remove_orphans;
  run.force_recreate = options.force_recreate;
  run.command = options.command;
  Outcome out{plan::plan_up(loaded.project, resolved, loaded.observed, run), std::nullopt};
  if (options.dry_run)
    return out;
  out.applied = execute(engine, out.plan, loaded, options.exec, reporter);
  if (out.applied->interactive)
    return out;
  // A new DNS container starts with an empty zone: register the instances it did not see start.
  bool dns_new = false, others_kept = false;
  for (const auto& op : out.plan.operations) {
    bool started = op.kind == plan::OpKind::create || op.kind == plan::OpKind::recreate ||
                   op.kind == plan::OpKind::replace;
    dns_new = dns_new || (started && op.instance && op.instance->is_dns);
    others_kept = others_kept || op.kind == plan::OpKind::keep;
  }
  if (dns_new && (others_kept || options.selection.service != "all" || options.force_recreate)) {
    observe(engine, loaded, false);
    DnsSyncResult synced = dns_sync(engine, loaded.observed, loaded.project.dir);
    if (synced.changes > 0)
      reporter.notice(fmt::format("dns: {} record{} of running instances registered again", synced.changes,
                                  synced.changes == 1 ? "" : "s"));
  }
  return out;
}

} // namespace dockerops::core
