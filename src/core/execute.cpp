#include "core/execute.hpp"

#include "apply/dns_registrar.hpp"
#include "apply/extra_labels.hpp"
#include "apply/fault.hpp"
#include "apply/watch_state.hpp"
#include "plan/planner.hpp"

#include <memory>

namespace dockerops::core {

void add_watches(plan::Plan& plan, const LoadedProject& loaded) {
  plan::add_watch_notifications(plan, loaded.observed, loaded.project.name,
                                apply::watch_state_dir(loaded.project.dir).string());
}

apply::ApplyResult execute(engine::Engine& engine, const plan::Plan& plan, const LoadedProject& loaded,
                           const ExecOptions& exec, apply::Reporter& reporter) {
  for (const auto& n : plan.notices)
    reporter.notice(n);
  for (const auto& w : plan.warnings)
    reporter.warning(w);
  auto faults = apply::FaultInjector::from_environment();
  apply::ApplyOptions options;
  // 32: the daemon gains from more than 8 creates and starts in flight, even on 2 cores
  // (bench/run/README.md: 0.8x the time of 8 at 30 and 60 instances); compose 1.29 allows 64.
  options.jobs = exec.jobs > 0 ? exec.jobs : 32;
  if (options.jobs == 1)
    options.waiting_jobs = 0; // --jobs 1: strictly one operation at a time
  options.build_jobs = exec.build_jobs > 0 ? exec.build_jobs : 2;
  options.verbose_builds = exec.verbose_builds;
  options.builtins = exec.builtins;
  options.extra_labels = apply::extra_labels();
  options.faults = &faults;
  options.stop_timeout = exec.stop_timeout;
  options.reporter = &reporter;
  for (const auto& c : loaded.observed.containers)
    options.display_names[c.name] =
        c.label(project::k_label_service) + "/" + c.label(project::k_label_instance);
  std::unique_ptr<apply::Registrar> registrar;
  options.registrar = exec.registrar;
  for (const auto& op : plan.operations)
    if ((op.kind == plan::OpKind::dns_register || op.kind == plan::OpKind::dns_deregister ||
         op.kind == plan::OpKind::dns_sync) &&
        !op.dns_server.empty() && !options.registrar) {
      registrar = apply::make_dns_registrar(loaded.project.dir, loaded.project.name);
      options.registrar = registrar.get();
    }
  return apply::apply_plan(engine, plan, options);
}

} // namespace dockerops::core
