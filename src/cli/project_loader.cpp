#include "cli/project_loader.hpp"

#include "apply/observe.hpp"
#include "base/error.hpp"
#include "base/fs.hpp"
#include "cli/context.hpp"
#include "engine/engine.hpp"

#include <cstdlib>
#include <memory>
#include <mutex>

namespace dockerops::cli {
namespace {

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

project::DiscoveryOptions discovery(const Context& context) {
  project::DiscoveryOptions options;
  options.dir = std::filesystem::absolute(context.options().project_dir).lexically_normal().string();
  while (options.dir.size() > 1 && options.dir.back() == '/')
    options.dir.pop_back();
  options.name =
      context.options().project_name.empty() ? env_or_empty("PROJECT_NAME") : context.options().project_name;
  options.services_dir = env_or_empty("SERVICES_IMAGES_DIR");
  options.data_dir = env_or_empty("DATA_DIR");
  return options;
}

} // namespace

std::string conf_filename(const std::string& value) {
  if (value.size() > 5 && value.substr(value.size() - 5) == ".conf")
    return value;
  return value + ".conf";
}

std::string project_name(const Context& context) {
  return project::make_project(discovery(context)).name;
}

LoadedProject load_project(const Context& context, const std::optional<std::string>& conf) {
  LoadedProject loaded;
  loaded.project = project::discover_project(discovery(context));
  const std::filesystem::path dir = loaded.project.dir;

  std::string name;
  if (conf && !conf->empty()) {
    name = conf_filename(*conf);
    if (!std::filesystem::exists(dir / name))
      fail(ErrorKind::not_found, "{}: no such run conf in {}", name, dir.string());
  } else {
    name = std::filesystem::exists(dir / "run.conf") || !std::filesystem::exists(dir / "default.conf")
               ? "run.conf"
               : "default.conf";
  }
  if (std::filesystem::exists(dir / name))
    loaded.conf = project::parse_run_conf(fs::read_file(dir / name), name);
  else
    loaded.conf.filename = name;

  for (auto path : {dir / "host.conf", dir / ".dockerops" / "host.conf"})
    if (std::filesystem::exists(path)) {
      loaded.host_conf = project::parse_host_conf(fs::read_file(path), "host.conf");
      break;
    }

  loaded.host = project::system_host_info();
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
