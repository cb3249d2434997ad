#include "agent/actions.hpp"

#include "apply/reporter.hpp"
#include "base/log.hpp"
#include "core/dns_sync.hpp"
#include "core/lifecycle.hpp"
#include "core/up.hpp"
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

void lifecycle(engine::Engine& engine, const project::DiscoveryOptions& where, core::Lifecycle action,
               const std::string& service, const std::string& instance) {
  core::LoadedProject loaded = core::load_project(where, "", project::system_host_info());
  core::observe(engine, loaded, false);
  plan::Filter filter =
      core::make_filter(loaded, std::string(core::lifecycle_name(action)), service, instance, "");
  core::LifecycleOptions options;
  options.by = "agent";
  LogReporter reporter;
  core::lifecycle(engine, loaded, action, filter, options, reporter);
}

} // namespace

void start_instance(engine::Engine& engine, const project::DiscoveryOptions& where,
                    const std::string& service, const std::string& instance) {
  lifecycle(engine, where, core::Lifecycle::start, service, instance);
}

void restart_instance(engine::Engine& engine, const project::DiscoveryOptions& where,
                      const std::string& service, const std::string& instance) {
  lifecycle(engine, where, core::Lifecycle::restart, service, instance);
}

void create_instance(engine::Engine& engine, const project::DiscoveryOptions& where,
                     const std::string& service, const std::string& instance,
                     const core::InstanceIntent& intent) {
  project::HostInfo host = project::system_host_info();
  // The environment the instance was resolved with when it was started, not the agent's.
  for (const auto& [name, value] : intent.env)
    host.env[name] = value;
  core::LoadedProject loaded = core::load_project(where, intent.conf, std::move(host));
  core::UpOptions options;
  options.selection.service = service;
  options.selection.instance = instance;
  options.overrides = intent.overrides;
  options.command = "agent";
  LogReporter reporter;
  core::up(engine, loaded, options, reporter);
}

std::size_t sync_dns(engine::Engine& engine, const project::DiscoveryOptions& where) {
  core::LoadedProject loaded = core::load_project(where, "", project::system_host_info());
  core::observe(engine, loaded, false);
  return core::dns_sync(engine, loaded.project.name, loaded.observed, loaded.project.dir).changes;
}

} // namespace dockerops::agent::actions
