#include "core/up.hpp"

#include "base/error.hpp"
#include "base/time_text.hpp"
#include "core/dns_sync.hpp"
#include "core/intent.hpp"
#include "engine/engine.hpp"
#include "plan/planner.hpp"

namespace dockerops::core {

Outcome up(engine::Engine& engine, LoadedProject& loaded, const UpOptions& options,
           apply::Reporter& reporter) {
  if (loaded.swarm())
    return swarm_up(engine, loaded, options, reporter);
  if (!engine.is_local() && !options.dry_run)
    fail(ErrorKind::usage,
         "{}: needs a local daemon (DOCKER_HOST is {}): instances bind-mount files of the project",
         options.command, engine.host());
  observe(engine, loaded, true);
  if (engine.is_local()) // the DNS is reached at its container address
    loaded.observed.zone =
        observe_zone(loaded.observed, loaded.project.dir, loaded.project.name, options.exec.registrar);
  project::ResolvedProject resolved = resolve_for_up(loaded, options);
  plan::RunOptions run = run_options(loaded, options);
  Outcome out{plan::plan_up(loaded.project, resolved, loaded.observed, run), std::nullopt};
  add_watches(out.plan, loaded);
  if (options.dry_run)
    return out;
  // The wish first, then the work: an agent that sees the instances go down meanwhile knows they
  // should run, and one killed half-way is finished by the next pass.
  update_intents(loaded.project.dir, [&](Intents& intents) {
    record_running(intents, resolved, options.overrides, options.command,
                   time_text::rfc3339(std::chrono::system_clock::now()));
  });
  out.applied = execute(engine, out.plan, loaded, options.exec, reporter);
  return out;
}

project::ResolvedProject resolve_for_up(const LoadedProject& loaded, const UpOptions& options) {
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
  return resolved;
}

plan::RunOptions run_options(const LoadedProject& loaded, const UpOptions& options) {
  plan::RunOptions run;
  run.subnet = loaded.subnet;
  run.remove_orphans = options.remove_orphans;
  run.force_recreate = options.force_recreate;
  run.command = options.command;
  return run;
}

} // namespace dockerops::core
