#pragma once

// The project as the core sees it: read from disk (project/), then observed on the daemon
// (apply/observe.hpp). Every entry point of the core starts from a LoadedProject.

#include "plan/observed.hpp"
#include "project/host_conf.hpp"
#include "project/host_info.hpp"
#include "project/orchestrator.hpp"
#include "project/project.hpp"
#include "project/resolve.hpp"
#include "project/run_conf.hpp"

#include <string>

namespace dockerops::engine {
class Engine;
}

namespace dockerops::core {

// A project read from disk: folders and services, the run conf in use, host.conf and the host
// facts; observed state is added by observe().
struct LoadedProject {
  project::Project project;
  project::RunConf conf;
  project::HostConf host_conf;
  project::HostInfo host;
  plan::ObservedState observed;
  std::string subnet;            // the project /24 (existing network, else a free one)
  project::RuntimeCounts counts; // .dockerops/scale.json: runtime counts of counted instances
  // DOCKEROPS_ORCHESTRATOR, else host.conf "orchestrator" (docs/decisions.md 33).
  project::Orchestrator orchestrator = project::Orchestrator::docker;
  bool swarm() const { return orchestrator == project::Orchestrator::swarm; }
};

// Discovers the project (services/, DATA_DIR, SERVICES_IMAGES_DIR), reads the run conf (`conf`:
// NAME or NAME.conf; "" = run.conf, else default.conf; a missing conf is an empty one unless
// named explicitly) and host.conf (project root or .dockerops/). `host` carries the host facts
// (and, for a terminal, how to ask for missing values).
LoadedProject load_project(const project::DiscoveryOptions& discovery, const std::string& conf,
                           project::HostInfo host);

// Observes the project's containers and the networks (on a swarm: its services, tasks, nodes and
// swarm files instead, apply::observe_swarm, after checking that the engine is a manager), picks the subnet,
// and with `images` (what run needs) also the images the project may use (its service images and the built-in
// dockerops/dns) and which project files exist.
void observe(engine::Engine& engine, LoadedProject& loaded, bool images);

// The ResolveInput of the observed project (no selection yet). A service image that does not exist
// yet is described by what building it will give: the EXPOSE lines of its Dockerfile and of its
// project-local parents, with no ID (docs/decisions.md 18: the ID joins the hash once built).
project::ResolveInput resolve_input(const LoadedProject& loaded);

} // namespace dockerops::core
