#pragma once

// The planner entry points: (resolved project or project, observed state,
// options) -> Plan. Pure: no I/O, no clock.

#include <string>
#include <vector>

#include "plan/observed.hpp"
#include "plan/plan.hpp"
#include "project/model.hpp"
#include "project/project.hpp"

namespace dockerops::plan {

// Options of run / rerun.
struct RunOptions {
  std::string subnet;          // the project /24: from the existing network, else project::choose_subnet()
  bool remove_orphans = false; // remove project containers that are not in the resolved project
  bool force_recreate = false; // rerun: recreate even when up to date
  std::string command = "run"; // shown in the plan header
  // On a swarm: the registry the nodes pull the project's images from ("host:port"); empty = the
  // services name the local tags (nodes that already hold the images).
  std::string registry{};
};

// run / rerun: network, then (DNS first, links before their users) create,
// keep, recreate or replace each instance, with dns-register, wait-ready and
// sleep steps. Throws a config Error "link cycle: a/one -> b/one -> a/one".
Plan plan_run(const project::ResolvedProject& project, const ObservedState& observed,
              const RunOptions& options);

// run's whole plan: plan_run, preceded by the builds of the images its instances need that do not
// exist yet (service images with their missing project-local parents, the built-in dockerops/dns);
// each instance starts after the build of its image, whose ID then joins its config hash.
Plan plan_up(const project::Project& project, const project::ResolvedProject& resolved,
             const ObservedState& observed, const RunOptions& options);

// `run` (plan_run or plan_swarm_run) preceded by the project files its instances need that do not
// exist yet and by the builds of the images they use that do not exist yet (service images with
// their missing project-local parents, the built-in dockerops/dns): what uses an image waits for its
// build, whose ID then joins the instance's config hash. plan_up is with_builds of plan_run.
Plan with_builds(const project::Project& project, const project::ResolvedProject& resolved,
                 const ObservedState& observed, Plan run);

// True for the operations that start an instance: create, recreate, replace, create-service,
// update-service.
bool starts_instance(OpKind kind);

// build: the requested services (empty = all) and their project-local parents
// (FROM <project>/<svc>), parents first. Throws "build cycle: a -> b -> a".
Plan plan_build(const project::Project& project, const std::vector<std::string>& services,
                bool nocache = false);

// Which observed containers stop/clean/start act on.
struct Filter {
  std::string service = "all"; // "all", a service, or a prefix "sv*"
  std::string instance;        // empty = any
  std::string group;           // empty = any; else only (service, instance) pairs listed in `members`
  std::vector<std::pair<std::string, std::string>> members; // the group's instances from run.conf
  // clean:all without remove_orphans: containers whose (service, instance) is not in `conf_members`
  // (the run conf's instances) are kept, each as a keep operation.
  bool keep_orphans = false;
  std::vector<std::pair<std::string, std::string>> conf_members;
};

// stop: dns-deregister then stop each matching running container, the DNS last. `graceful` puts a
// drain between the deregistration and the stop (the container's drain period, issue 15 item 3).
Plan plan_stop(const std::string& project, const ObservedState& observed, const Filter& filter,
               const std::string& zone = std::string(project::k_zone), bool graceful = false);

// clean: like stop, then remove every matching container (running or not); when no container of
// the project is left, remove the project network.
Plan plan_clean(const std::string& project, const ObservedState& observed, const Filter& filter,
                const std::string& zone = std::string(project::k_zone), bool graceful = false);

// start: start each matching container that is not running, the DNS first.
Plan plan_start(const std::string& project, const ObservedState& observed, const Filter& filter,
                const std::string& zone = std::string(project::k_zone));

// restart: the stop plan, then the start plan of the same containers once every stop is done
// (a stopped container is started too, as `docker compose restart` does).
Plan plan_restart(const std::string& project, const ObservedState& observed, const Filter& filter,
                  const std::string& zone = std::string(project::k_zone));

// Watches (docs/decisions.md 32): appends to `plan` one watch-notify operation per watching
// instance that runs once the plan is done and per service it watches whose members (its running
// instances on the project network) differ from what the watcher was last told, or that the
// watcher has never been told (a new or started watcher: after its readiness). Each runs after the
// operations that change those members (a leaving instance's first step, its DNS deregistration;
// a joining one's last, its readiness), so one command's changes reach a watcher as one call; one
// watcher's services are told one after the other. `state_dir` is where the executor records
// deliveries (<project>/.dockerops/watch).
void add_watch_notifications(Plan& plan, const ObservedState& observed, const std::string& project,
                             const std::string& state_dir);

// IPv4 addresses sorted numerically (172.30.0.9 before 172.30.0.10), each once.
std::vector<std::string> sorted_addresses(std::vector<std::string> addresses);

// run on a swarm (docs/decisions.md 33; `observed.swarm` set): the attachable overlay network,
// the swarm secrets and configs made from project files, the pushes to `options.registry`, then per
// instance a create-service, update-service (config hash changed), scale-service (stopped) or keep,
// each started one followed by a wait-running. A persistent instance is pinned to a node (its
// service's dockerops.node label, else the least loaded ready node of its group). Throws a config
// Error for what a swarm cannot do (interactive, nethost, a name that is no DNS label).
Plan plan_swarm_run(const project::ResolvedProject& project, const ObservedState& observed,
                    const RunOptions& options);

// plan_swarm_run preceded by the project files and builds it needs (with_builds).
Plan plan_swarm_up(const project::Project& project, const project::ResolvedProject& resolved,
                   const ObservedState& observed, const RunOptions& options);

enum class SwarmAction { stop, start, restart, clean };

// stop / start / restart / clean on a swarm: the plans of plan_stop & co on the project's services,
// with stop = scale-service to 0, start = scale-service back to its replicas, remove =
// remove-service, and no per-instance DNS steps. clean:all, once no instance is left, also removes
// the project's role services (the registry), its secrets and configs and the overlay network.
Plan plan_swarm_lifecycle(SwarmAction action, const std::string& project, const ObservedState& observed,
                          const Filter& filter);

// The observed container of (service, instance) by labels, or nullptr.
const ObservedContainer* find_container(const ObservedState& observed, const std::string& project,
                                        const std::string& service, const std::string& instance);

} // namespace dockerops::plan
