#include "core/project_state.hpp"

#include "apply/observe.hpp"
#include "apply/watch_state.hpp"
#include "core/scale_counts.hpp"
#include "engine/engine.hpp"
#include "project/conf_files.hpp"
#include "project/dockerfile.hpp"
#include "project/swarm_names.hpp"

#include <filesystem>
#include <set>

namespace dockerops::core {

namespace {

// The image references observe() looks up: every service image and the built-in DNS.
std::vector<std::string> image_references(const project::Project& project) {
  std::vector<std::string> out;
  for (const auto& [name, service] : project.services)
    out.push_back(project.name + "/" + name + ":latest");
  out.push_back(project::builtin_image(project::k_dns_service) + ":latest");
  out.push_back(project::builtin_image(project::k_agent_service) + ":latest");
  return out;
}

// The ports an image not built yet will expose: its Dockerfile's EXPOSE lines plus its
// project-local parent's (built, else predicted the same way; Docker inherits EXPOSE).
std::vector<std::string> predicted_exposure(const LoadedProject& loaded, const std::string& service,
                                            std::set<std::string>& seen) {
  auto it = loaded.project.services.find(service);
  if (it == loaded.project.services.end() || !seen.insert(service).second)
    return {};
  std::vector<std::string> out = it->second.dockerfile.expose;
  std::string parent = project::local_parent(it->second.dockerfile, loaded.project.name);
  if (parent.empty())
    return out;
  std::vector<std::string> inherited;
  if (auto image = loaded.observed.images.find(loaded.project.name + "/" + parent + ":latest");
      image != loaded.observed.images.end())
    inherited = image->second.exposed_ports;
  else
    inherited = predicted_exposure(loaded, parent, seen);
  for (const auto& port : inherited)
    if (std::find(out.begin(), out.end(), port) == out.end())
      out.push_back(port);
  return out;
}

} // namespace

LoadedProject load_project(const project::DiscoveryOptions& discovery, const std::string& conf,
                           project::HostInfo host) {
  LoadedProject loaded;
  loaded.project = project::discover_project(discovery);
  loaded.conf = project::load_run_conf(loaded.project.dir, conf);
  loaded.host_conf = project::load_host_conf(loaded.project.dir);
  loaded.host = std::move(host);
  loaded.counts = load_runtime_counts(loaded.project.dir);
  const std::string* env = loaded.host.getenv("DOCKEROPS_ORCHESTRATOR");
  loaded.orchestrator =
      project::choose_orchestrator(loaded.host_conf, env ? std::optional(*env) : std::nullopt);
  return loaded;
}

void observe(engine::Engine& engine, LoadedProject& loaded, bool images) {
  loaded.observed = loaded.swarm() ? apply::observe_swarm(engine, loaded.project.name)
                                   : apply::observe(engine, loaded.project.name);
  loaded.subnet = apply::project_subnet(loaded.observed, loaded.project.name);
  loaded.observed.watchers = apply::read_watch_state(apply::watch_state_dir(loaded.project.dir));
  if (!images)
    return;
  for (const char* file : {"id_ed25519", "id_ed25519.pub", "dns.key", "agent.token"})
    if (std::filesystem::exists(std::filesystem::path(loaded.project.dir) / ".dockerops" / file))
      loaded.observed.project_files.insert(file);
  for (const auto& reference : image_references(loaded.project))
    if (auto image = engine.find_image(reference))
      loaded.observed.images[reference] = {image->id, image->exposed_ports};
}

project::ResolveInput resolve_input(const LoadedProject& loaded) {
  project::ResolveInput input;
  input.project = &loaded.project;
  input.conf = &loaded.conf;
  input.host_conf = &loaded.host_conf;
  input.host = &loaded.host;
  input.subnet = loaded.subnet;
  input.counts = loaded.counts;
  for (const auto& [reference, image] : loaded.observed.images)
    input.images[reference] = {image.id, image.exposed_ports};
  for (const auto& [name, service] : loaded.project.services) {
    std::string reference = loaded.project.name + "/" + name + ":latest";
    std::set<std::string> seen;
    if (!input.images.count(reference))
      input.images[reference] = {"", predicted_exposure(loaded, name, seen)};
  }
  for (const auto& c : loaded.observed.containers)
    if (c.state == "running")
      input.running.push_back({c.label(project::k_label_service), c.label(project::k_label_instance), c.ip});
  if (const auto& swarm = loaded.observed.swarm) {
    input.swarm = true;
    input.nameserver = swarm->nameserver;
    for (const auto& s : swarm->services) {
      if (!s.label(project::k_label_role).empty())
        continue;
      std::set<std::string> seen; // a replica's current task, once
      for (const auto& t : s.tasks)
        if (t.desired_state == "running" && seen.insert(project::task_instance(s.labels, t.slot)).second)
          input.running.push_back(
              {s.label(project::k_label_service), project::task_instance(s.labels, t.slot), t.ip});
    }
  }
  return input;
}

} // namespace dockerops::core
