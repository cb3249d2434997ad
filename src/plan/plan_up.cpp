// run's whole plan: the images that do not exist yet are built first (FROM parents before their
// children, docs/decisions.md 17), then the run plan, each instance after the build of its image.
#include "plan/planner.hpp"

#include <map>
#include <set>

namespace dockerops::plan {

namespace {

// Appends `op` to `plan` with ids shifted by `offset`; returns its new id.
int append(Plan& plan, Operation op, const std::map<int, int>& renumber) {
  op.id = static_cast<int>(plan.operations.size()) + 1;
  std::vector<int> after;
  for (int id : op.after)
    if (auto it = renumber.find(id); it != renumber.end())
      after.push_back(it->second);
  op.after = std::move(after);
  plan.operations.push_back(std::move(op));
  return plan.operations.back().id;
}

// The project files the started instances mount that do not exist yet (docs/decisions.md 10, 13):
// the SSH key pair every instance mounts, the TSIG key of the DNS.
std::vector<std::string> missing_files(const Plan& run, const ObservedState& observed) {
  bool starts = false, dns = false, agent_secret = false;
  for (const auto& op : run.operations)
    if (op.instance && starts_instance(op.kind)) {
      starts = true;
      dns = dns || op.instance->is_dns || (run.swarm && op.instance->is_agent); // a secret on a swarm
      agent_secret = agent_secret || (run.swarm && op.instance->is_agent);
    }
  std::vector<std::string> out;
  if (starts &&
      !(observed.project_files.count("id_ed25519") && observed.project_files.count("id_ed25519.pub")))
    out.emplace_back(".dockerops/id_ed25519");
  if (dns && !observed.project_files.count("dns.key"))
    out.emplace_back(".dockerops/dns.key");
  if (agent_secret && !observed.project_files.count("agent.token"))
    out.emplace_back(".dockerops/agent.token");
  return out;
}

// `run` with `op` first and every operation that starts an instance after it.
Plan prepend(const Plan& run, Operation op) {
  Plan plan = run;
  plan.operations.clear();
  op.id = 1;
  plan.operations.push_back(std::move(op));
  for (Operation o : run.operations) {
    o.id += 1;
    for (int& id : o.after)
      id += 1;
    if (starts_instance(o.kind) || o.kind == OpKind::create_secret) // a secret is made from a project file
      o.after.insert(o.after.begin(), 1);
    plan.operations.push_back(std::move(o));
  }
  return plan;
}

} // namespace

bool starts_instance(OpKind kind) {
  return kind == OpKind::create || kind == OpKind::recreate || kind == OpKind::replace ||
         kind == OpKind::create_service || kind == OpKind::update_service;
}

Plan plan_up(const project::Project& project, const project::ResolvedProject& resolved,
             const ObservedState& observed, const RunOptions& options) {
  return with_builds(project, resolved, observed, plan_run(resolved, observed, options));
}

Plan with_builds(const project::Project& project, const project::ResolvedProject& resolved,
                 const ObservedState& observed, Plan run) {
  if (std::vector<std::string> files = missing_files(run, observed); !files.empty()) {
    Operation op;
    op.kind = OpKind::project_files;
    op.target = project.dir;
    op.files = std::move(files);
    op.cause = "instances mount them";
    run = prepend(run, std::move(op));
  }
  std::set<std::string> missing;
  std::set<std::string> builtins_missing; // dockerops-dns, dockerops-agent: built from installed contexts
  for (const auto& r : resolved.instances) {
    if (!r.image_id.empty())
      continue;
    if (!r.builtin_service)
      missing.insert(r.service);
    else if (r.is_dns || r.is_agent)
      builtins_missing.insert(r.service);
  }
  if (missing.empty() && builtins_missing.empty())
    return run;

  Plan plan;
  plan.command = run.command;
  plan.project = run.project;
  plan.swarm = run.swarm;
  plan.notices = run.notices;
  plan.warnings = run.warnings;
  std::map<std::string, int> build_of; // image reference -> build operation
  for (const auto& service : builtins_missing) {
    Operation op;
    op.kind = OpKind::build_image;
    op.target = project::builtin_image(service) + ":latest";
    op.service = service;
    op.from = "dockerops/base";
    op.cause = "image does not exist";
    op.image_missing = true;
    std::string target = op.target;
    build_of[target] = append(plan, std::move(op), {});
  }
  if (!missing.empty()) {
    std::map<int, int> renumber;
    for (Operation op : plan_build(project, {missing.begin(), missing.end()}).operations) {
      // A parent whose image exists is not built again; a missing one is.
      if (!missing.count(op.service) && observed.images.count(op.target))
        continue;
      if (missing.count(op.service)) {
        op.cause = "image does not exist";
        op.image_missing = true;
      }
      int old_id = op.id;
      std::string target = op.target;
      renumber[old_id] = append(plan, std::move(op), renumber);
      build_of[target] = renumber[old_id];
    }
  }
  const int offset = static_cast<int>(plan.operations.size());
  for (Operation op : run.operations) {
    op.id += offset;
    for (int& id : op.after)
      id += offset;
    // What uses an image waits for its build: an instance started from it, or its push to the
    // swarm's registry.
    std::string image = starts_instance(op.kind) && op.instance ? op.instance->image
                        : op.kind == OpKind::push_image         ? op.target
                                                                : "";
    if (auto it = build_of.find(image); !image.empty() && it != build_of.end())
      op.after.insert(op.after.begin(), it->second);
    plan.operations.push_back(std::move(op));
  }
  return plan;
}

} // namespace dockerops::plan
