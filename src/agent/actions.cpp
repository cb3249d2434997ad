#include "agent/actions.hpp"

#include "apply/reporter.hpp"
#include "base/log.hpp"
#include "core/dns_sync.hpp"
#include "core/lifecycle.hpp"
#include "core/scale.hpp"
#include "core/up.hpp"
#include "core/watch_sync.hpp"
#include "project/host_info.hpp"

namespace dockerops::agent::actions {
namespace {

// The core's progress goes to the agent's log (debug), its warnings to stderr.
class LogReporter : public apply::Reporter {
public:
  void begin(int) override {}
  void line(const std::string& text) override { log::debug("agent: {}", text); }
  void ready(int, int, const std::string& who) override { log::debug("agent: {} is ready", who); }
  void notice(const std::string& text) override { log::debug("agent: {}", text); }
  void warning(const std::string& text) override { log::warning("agent: {}", text); }
  void end() override {}
};

// True when the plan starts, creates or stops a container (not only keeps or registers).
bool acts(const plan::Plan& plan) {
  for (const auto& op : plan.operations)
    if (op.kind == plan::OpKind::create || op.kind == plan::OpKind::recreate ||
        op.kind == plan::OpKind::replace || op.kind == plan::OpKind::start || op.kind == plan::OpKind::stop)
      return true;
  return false;
}

bool lifecycle(engine::Engine& engine, const project::DiscoveryOptions& where, core::Lifecycle action,
               const std::string& service, const std::string& instance) {
  core::LoadedProject loaded = core::load_project(where, "", project::system_host_info());
  core::observe(engine, loaded, false);
  plan::Filter filter =
      core::make_filter(loaded, std::string(core::lifecycle_name(action)), service, instance, "");
  core::LifecycleOptions options;
  options.by = "agent";
  LogReporter reporter;
  return acts(core::lifecycle(engine, loaded, action, filter, options, reporter).plan);
}

// The project as `intent` was resolved: its run conf and the environment values it took, not the
// agent's own environment (which, in its container, holds its SERVICE, INSTANCE...).
core::LoadedProject load_as(const project::DiscoveryOptions& where, const core::InstanceIntent& intent) {
  project::HostInfo host = project::system_host_info();
  host.env.clear();
  for (const auto& [name, value] : intent.env)
    host.env[name] = value;
  return core::load_project(where, intent.conf, std::move(host));
}

} // namespace

bool start_instance(engine::Engine& engine, const project::DiscoveryOptions& where,
                    const std::string& service, const std::string& instance) {
  return lifecycle(engine, where, core::Lifecycle::start, service, instance);
}

bool restart_instance(engine::Engine& engine, const project::DiscoveryOptions& where,
                      const std::string& service, const std::string& instance) {
  return lifecycle(engine, where, core::Lifecycle::restart, service, instance);
}

bool create_instance(engine::Engine& engine, const project::DiscoveryOptions& where,
                     const std::string& service, const std::string& instance,
                     const core::InstanceIntent& intent) {
  core::LoadedProject loaded = load_as(where, intent);
  core::UpOptions options;
  options.selection.service = service;
  options.selection.instance = instance;
  options.overrides = intent.overrides;
  options.command = "agent";
  LogReporter reporter;
  return acts(core::up(engine, loaded, options, reporter).plan);
}

std::string scale_entry(engine::Engine& engine, const project::DiscoveryOptions& where,
                        const std::string& service, const std::optional<std::string>& prefix, int count,
                        const std::string& reason) {
  // Resolved as the entry's instances were: the conf and environment values of one of them.
  core::InstanceIntent intent;
  for (const auto& [key, recorded] : core::read_intents(project::make_project(where).dir))
    if (key.rfind(service + "/" + prefix.value_or(""), 0) == 0 && recorded.desired == "running") {
      intent = recorded;
      break;
    }
  core::LoadedProject loaded = load_as(where, intent);
  core::ScaleOptions options;
  options.service = service;
  options.prefix = prefix;
  options.instances = count;
  options.reason = reason;
  options.by = reason.empty() ? "api" : "autoscale";
  LogReporter reporter;
  return core::scale(engine, loaded, options, reporter).plan.to_string();
}

WatchDeliveries sync_watches(engine::Engine& engine, const project::DiscoveryOptions& where) {
  core::LoadedProject loaded = core::load_project(where, "", project::system_host_info());
  LogReporter reporter;
  core::Outcome outcome = core::watch_sync(engine, loaded, core::ExecOptions{}, reporter);
  return {outcome.plan.operations.size(), outcome.applied ? outcome.applied->watch_failures.size() : 0};
}

std::size_t sync_dns(engine::Engine& engine, const project::DiscoveryOptions& where) {
  core::LoadedProject loaded = core::load_project(where, "", project::system_host_info());
  core::observe(engine, loaded, false);
  return core::dns_sync(engine, loaded.project.name, loaded.observed, loaded.project.dir).changes;
}

} // namespace dockerops::agent::actions
