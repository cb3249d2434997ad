#include "base/error.hpp"
#include "base/strings.hpp"
#include "plan/planner.hpp"

#include <algorithm>
#include <functional>
#include <map>

namespace dockerops::plan {

Plan plan_build(const project::Project& project, const std::vector<std::string>& services, bool nocache) {
  Plan plan;
  plan.command = "build";
  plan.project = project.name;

  std::vector<std::string> requested = services;
  if (requested.empty())
    for (const auto& [name, unused] : project.services)
      requested.push_back(name); // std::map: sorted, deterministic
  std::vector<std::string> known;
  for (const auto& [name, unused] : project.services)
    known.push_back(name);

  // Depth-first over FROM chains (docs/compatibility.md §build): parents first, each once;
  // a chain that comes back to itself is an error naming it.
  std::map<std::string, int> op_of;
  std::vector<std::string> stack;
  std::function<int(const std::string&, const std::string&)> visit = [&](const std::string& name,
                                                                         const std::string& cause) -> int {
    if (auto it = op_of.find(name); it != op_of.end())
      return it->second;
    if (std::find(stack.begin(), stack.end(), name) != stack.end()) {
      std::vector<std::string> path(std::find(stack.begin(), stack.end(), name), stack.end());
      path.push_back(name);
      fail(ErrorKind::config, "build cycle: {}", strings::join(path, " -> "));
    }
    auto service = project.services.find(name);
    if (service == project.services.end()) {
      if (project::is_builtin_service(name))
        fail(ErrorKind::usage, "{} is built in (image {}); it is built by \"dockerops init\", not by build",
             name, project::builtin_image(name));
      fail(ErrorKind::config, "service \"{}\" has no folder services/{} with a Dockerfile{}", name, name,
           project::unknown_service_hint(project, name));
    }
    stack.push_back(name);
    Operation op;
    std::string parent = project::local_parent(service->second.dockerfile, project.name);
    if (!parent.empty()) {
      if (!project.services.count(parent) && parent != name)
        fail(ErrorKind::config, "services/{}/Dockerfile: FROM {} but there is no services/{}{}", name,
             service->second.dockerfile.from, parent, strings::did_you_mean(parent, known));
      op.after.push_back(visit(parent, "parent of " + name));
    }
    stack.pop_back();
    op.kind = OpKind::build_image;
    op.target = project.name + "/" + name + ":latest";
    op.service = name;
    op.context_dir = service->second.dir;
    op.from = service->second.dockerfile.from;
    op.nocache = nocache;
    op.labels = {{std::string(project::k_label_project), project.name},
                 {std::string(project::k_label_service), name}};
    op.cause = cause;
    op.id = static_cast<int>(plan.operations.size()) + 1;
    plan.operations.push_back(op);
    op_of[name] = op.id;
    return op.id;
  };
  for (const auto& name : requested)
    visit(name, "requested");
  return plan;
}

} // namespace dockerops::plan
