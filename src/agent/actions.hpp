#pragma once

#include "core/intent.hpp"
#include "project/project.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace dockerops::engine {
class Engine;
}

// The agent's actions, each one call into the reconcile core (the same code as the commands; never
// the CLI). The caller holds the project lock (docs/decisions.md 34). Each returns false when the
// core found nothing to do (a command did it meanwhile: the action is not counted). Failures throw
// Error.
namespace dockerops::agent::actions {

// `dockerops start` of one instance: its exited container starts again (same configuration and
// config hash) and is registered in the DNS.
bool start_instance(engine::Engine& engine, const project::DiscoveryOptions& where,
                    const std::string& service, const std::string& instance);

// `dockerops run` of one instance whose container is gone, resolved as it was started: the run conf,
// command-line switches and environment values recorded in its intent.
bool create_instance(engine::Engine& engine, const project::DiscoveryOptions& where,
                     const std::string& service, const std::string& instance,
                     const core::InstanceIntent& intent);

// `dockerops restart` of one instance (the API's restart).
bool restart_instance(engine::Engine& engine, const project::DiscoveryOptions& where,
                      const std::string& service, const std::string& instance);

// `dockerops watch:sync`: the watchers told the members that changed without a command.
struct WatchDeliveries {
  std::size_t deliveries = 0;
  std::size_t failed = 0; // hooks that failed (retried with back-off)
};
WatchDeliveries sync_watches(engine::Engine& engine, const project::DiscoveryOptions& where);

// `dockerops scale:SERVICE=N[,instance=PREFIX]` for the autoscaler (`reason` goes into the plan) or
// the API, resolved with the conf and environment values one of the entry's instances was started
// with. Returns the plan's text (what --dry-run would have printed).
std::string scale_entry(engine::Engine& engine, const project::DiscoveryOptions& where,
                        const std::string& service, const std::optional<std::string>& prefix, int count,
                        const std::string& reason);

// `dockerops dns:sync`: the zone made to match the running instances; returns the records changed.
std::size_t sync_dns(engine::Engine& engine, const project::DiscoveryOptions& where);

} // namespace dockerops::agent::actions
