#include "cli/project_loader.hpp"

#include "apply/observe.hpp"
#include "base/error.hpp"
#include "cli/context.hpp"
#include "cli/terminal_prompt.hpp"
#include "engine/engine.hpp"
#include "project/conf_files.hpp"

#include <cstdlib>
#include <memory>
#include <mutex>

namespace dockerops::cli {

project::DiscoveryOptions discovery(const Context& context) {
  // Only the variables discovery reads: system_host_info() also lists interfaces, which
  // commands that only need the project's name (ps, logs...) should not pay for.
  project::HostInfo env_only;
  for (const char* name : {"PROJECT_NAME", "SERVICES_IMAGES_DIR", "DATA_DIR"})
    if (const char* value = std::getenv(name))
      env_only.env[name] = value;
  return project::discovery_options(env_only, std::filesystem::current_path().string(),
                                    context.options().project_dir.string(), context.options().project_name);
}

std::string project_name(const Context& context) {
  return project::make_project(discovery(context)).name;
}

LoadedProject load_project(const Context& context, const std::optional<std::string>& conf) {
  LoadedProject loaded;
  loaded.project = project::discover_project(discovery(context));
  loaded.conf = project::load_run_conf(loaded.project.dir, conf.value_or(""));
  loaded.host_conf = project::load_host_conf(loaded.project.dir);
  loaded.host = project::system_host_info();
  if (context.options().ask && loaded.host.is_tty)
    loaded.host.ask = terminal_prompt(loaded.project.dir, !context.options().dry_run);
  // resolve() may run twice (before and after building missing images): the same random
  // instance names both times.
  auto names = std::make_shared<std::vector<std::string>>();
  auto index = std::make_shared<std::size_t>(0);
  auto source = loaded.host.random_name;
  auto mutex = std::make_shared<std::mutex>();
  loaded.host.random_name = [names, index, source, mutex]() {
    std::lock_guard lock(*mutex);
    if (*index >= names->size())
      names->push_back(source());
    return (*names)[(*index)++];
  };
  return loaded;
}

void observe_into(engine::Engine& engine, LoadedProject& loaded) {
  loaded.observed = apply::observe(engine, loaded.project.name);
  loaded.subnet = apply::project_subnet(loaded.observed, loaded.project.name);
}

project::ResolveInput resolve_input(engine::Engine& engine, const LoadedProject& loaded) {
  project::ResolveInput input;
  input.project = &loaded.project;
  input.conf = &loaded.conf;
  input.host_conf = &loaded.host_conf;
  input.host = &loaded.host;
  input.subnet = loaded.subnet;
  std::vector<std::string> references;
  for (const auto& [name, service] : loaded.project.services)
    references.push_back(loaded.project.name + "/" + name + ":latest");
  references.emplace_back("dockerops/dns:latest");
  for (const auto& reference : references)
    if (auto image = engine.find_image(reference))
      input.images[reference] = {image->id, image->exposed_ports};
  for (const auto& c : loaded.observed.containers) {
    if (c.state != "running")
      continue;
    auto label = [&](std::string_view key) { return apply::label_of(c, key); };
    input.running.push_back({label(project::k_label_service), label(project::k_label_instance), c.ip});
  }
  return input;
}

} // namespace dockerops::cli
