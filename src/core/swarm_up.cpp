// run and rerun on a swarm (docs/decisions.md 33): the same resolution as on one host, then
// plan::plan_swarm_up instead of plan::plan_up, executed by the same executor.
#include "core/lifecycle.hpp"
#include "core/up.hpp"

#include "engine/engine.hpp"
#include "plan/planner.hpp"

namespace dockerops::core {

Outcome swarm_up(engine::Engine& engine, LoadedProject& loaded, const UpOptions& options,
                 apply::Reporter& reporter) {
  observe(engine, loaded, true);
  project::ResolvedProject resolved = resolve_for_up(loaded, options);
  plan::RunOptions run = run_options(loaded, options);
  if (loaded.host_conf.registry)
    run.registry = loaded.host_conf.registry->value;
  Outcome out{plan::plan_swarm_up(loaded.project, resolved, loaded.observed, run), std::nullopt};
  if (options.dry_run)
    return out;
  out.applied = execute(engine, out.plan, loaded, options.exec, reporter);
  return out;
}

plan::Plan swarm_lifecycle_plan(const LoadedProject& loaded, Lifecycle action, const plan::Filter& filter) {
  auto to_swarm = [](Lifecycle a) {
    switch (a) {
    case Lifecycle::stop:
      return plan::SwarmAction::stop;
    case Lifecycle::start:
      return plan::SwarmAction::start;
    case Lifecycle::restart:
      return plan::SwarmAction::restart;
    case Lifecycle::clean:
      break;
    }
    return plan::SwarmAction::clean;
  };
  return plan::plan_swarm_lifecycle(to_swarm(action), loaded.project.name, loaded.observed, filter);
}

} // namespace dockerops::core
