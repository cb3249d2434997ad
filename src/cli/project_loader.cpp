#include "cli/project_loader.hpp"

#include "cli/context.hpp"
#include "cli/terminal_prompt.hpp"
#include "project/conf_files.hpp"
#include "project/orchestrator.hpp"

#include <cstdlib>

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

bool on_swarm(const Context& context) {
  project::Project project = project::make_project(discovery(context));
  const char* env = std::getenv("DOCKEROPS_ORCHESTRATOR");
  return project::choose_orchestrator(project::load_host_conf(project.dir),
                                      env ? std::optional<std::string>(env) : std::nullopt) ==
         project::Orchestrator::swarm;
}

core::LoadedProject load_project(const Context& context, const std::optional<std::string>& conf) {
  project::HostInfo host = project::system_host_info();
  project::DiscoveryOptions where = discovery(context);
  if (context.options().ask && host.is_tty) {
    // The prompt saves answers in the project dir: discover it first.
    std::string dir = project::make_project(where).dir;
    host.ask = terminal_prompt(dir, !context.options().dry_run);
  }
  return core::load_project(where, conf.value_or(""), std::move(host));
}

} // namespace dockerops::cli
