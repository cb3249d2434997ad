#include "base/error.hpp"
#include "cli/arguments.hpp"
#include "cli/command_spec.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/project_loader.hpp"
#include "engine/engine.hpp"
#include "project/model.hpp"
#include "project/project.hpp"

#include <cstdlib>
#include <set>

namespace dockerops::cli {
namespace {

project::Project current_project(const Context& context) {
  return project::discover_project(discovery(context));
}

} // namespace

// Candidates for the bash completion, from the same table and project the
// commands use, so completion never drifts from the code.
int cmd_complete(Context& context, const Arguments& args) {
  std::string what = args.get_or("what", "commands");
  std::string out;
  if (what == "commands") {
    for (const auto& spec : command_table())
      if (spec.name != "complete")
        out += spec.name + "\n";
  } else if (what == "keys") {
    const CommandSpec* spec = find_command(args.get_or("command", ""));
    if (spec == nullptr)
      fail(ErrorKind::usage, "complete: keys need command=NAME of a dockerops command");
    for (const auto& key : spec->keys)
      out += key.name + "\n";
  } else if (what == "services") {
    for (const auto& [name, service] : current_project(context).services)
      out += name + "\n";
  } else if (what == "instances") {
    project::Project project = current_project(context);
    std::vector<std::string> labels{std::string(project::k_label_project) + "=" + project.name};
    if (auto service = args.get("service"))
      labels.push_back(std::string(project::k_label_service) + "=" + *service);
    std::set<std::string> instances;
    for (const auto& container : context.engine().list_containers(engine::label_filter(labels), false)) {
      auto it = container.labels.find(std::string(project::k_label_instance));
      if (it != container.labels.end())
        instances.insert(it->second);
    }
    for (const auto& instance : instances)
      out += instance + "\n";
  } else {
    fail(ErrorKind::usage, "complete: unknown list \"{}\" (use commands, keys, services or instances)", what);
  }
  print(out);
  return 0;
}

} // namespace dockerops::cli
