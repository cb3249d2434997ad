#include "core/build.hpp"

#include "plan/planner.hpp"

namespace dockerops::core {

plan::Plan build_plan(const LoadedProject& loaded, const BuildOptions& options) {
  return plan::plan_build(loaded.project, options.services, options.no_cache);
}

Outcome build(engine::Engine& engine, const LoadedProject& loaded, const BuildOptions& options,
              apply::Reporter& reporter) {
  Outcome out{build_plan(loaded, options), std::nullopt};
  ExecOptions exec = options.exec;
  exec.builtins.no_cache = options.no_cache;
  exec.builtins.verbose = exec.verbose_builds;
  out.applied = execute(engine, out.plan, loaded, exec, reporter);
  return out;
}

} // namespace dockerops::core
