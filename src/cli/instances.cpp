#include "cli/instances.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "engine/engine.hpp"
#include "project/model.hpp"
#include "project/resolve.hpp"

#include <algorithm>

namespace dockerops::cli {

std::vector<InstanceRow> list_instances(engine::Engine& engine, const std::string& project,
                                        bool running_only) {
  std::string label(project::k_label_project);
  auto filters = engine::label_filter({project.empty() ? label : label + "=" + project});
  std::vector<InstanceRow> rows;
  for (auto& c : engine.list_containers(filters, !running_only)) {
    InstanceRow row;
    auto get = [&](std::string_view key) {
      auto it = c.labels.find(std::string(key));
      return it == c.labels.end() ? std::string() : it->second;
    };
    row.project = get(project::k_label_project);
    row.service = get(project::k_label_service);
    row.instance = get(project::k_label_instance);
    row.type = get(project::k_label_instance_type);
    row.resources = project::resources_from_labels(c.labels);
    if (auto it = c.ip_by_network.find(project::network_name(row.project)); it != c.ip_by_network.end())
      row.ip = it->second;
    else if (!c.ip_by_network.empty())
      row.ip = c.ip_by_network.begin()->second;
    row.container = std::move(c);
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), [](const InstanceRow& a, const InstanceRow& b) {
    return std::tie(a.project, a.service, a.instance) < std::tie(b.project, b.service, b.instance);
  });
  return rows;
}

std::vector<InstanceRow> instances_of(engine::Engine& engine, const std::string& project, bool swarm,
                                      bool running_only) {
  return swarm ? list_swarm_instances(engine, project, running_only)
               : list_instances(engine, project, running_only);
}

std::vector<InstanceRow> filter_instances(std::vector<InstanceRow> rows, const std::string& service,
                                          const std::optional<std::string>& instance) {
  std::erase_if(rows, [&](const InstanceRow& r) {
    return !project::matches_filter(service, instance.value_or(""), r.service, r.instance);
  });
  return rows;
}

void fail_no_instance(const std::string& command, const std::string& project, const std::string& service,
                      const std::optional<std::string>& instance, const std::vector<InstanceRow>& all_rows) {
  bool one_service = service != "all" && !service.empty() && !service.ends_with('*');
  std::string what = one_service ? service + (instance ? "/" + *instance : "")
                                 : instance.value_or(service == "all" ? "" : service);
  std::vector<std::string> services, candidates; // candidates: what the service part matches
  for (const auto& r : all_rows) {
    if (std::find(services.begin(), services.end(), r.service) == services.end())
      services.push_back(r.service);
    if (project::matches_filter(service, "", r.service, r.instance))
      candidates.push_back(one_service ? r.instance : r.service + "/" + r.instance);
  }
  std::string hint;
  if (!candidates.empty())
    hint =
        fmt::format("; there {} {}", candidates.size() == 1 ? "is" : "are", strings::join(candidates, ", "));
  else if (std::string close = strings::did_you_mean(service, services); !close.empty())
    hint = close;
  else if (one_service)
    hint =
        fmt::format("; start it with dockerops run:{}{}", service, instance ? ",instance=" + *instance : "");
  if (what.empty())
    fail(ErrorKind::not_found, "{}: project {} has no instances; start them with dockerops run:all", command,
         project);
  fail(ErrorKind::not_found, "{}: no instance {} in project {}{}", command, what, project, hint);
}

InstanceRow one_instance(engine::Engine& engine, const std::string& project, const std::string& command,
                         const std::optional<std::string>& service,
                         const std::optional<std::string>& instance, bool swarm) {
  if (!service || service->empty() || *service == "all")
    fail(ErrorKind::usage, "{}: name a service ({}:SERVICE[,instance=NAME])", command, command);
  auto all_rows = instances_of(engine, project, swarm);
  auto rows = filter_instances(all_rows, *service, instance);
  if (rows.empty())
    fail_no_instance(command, project, *service, instance, all_rows);
  if (rows.size() > 1) {
    std::vector<std::string> names;
    names.reserve(rows.size());
    for (const auto& r : rows)
      names.push_back(r.instance);
    fail(ErrorKind::usage, "{}: {} has {} instances ({}); name one with instance=NAME", command, *service,
         rows.size(), strings::join(names, ", "));
  }
  return rows.front();
}

std::string state_text(const engine::ContainerSummary& container) {
  if (container.state == "exited") {
    // Status is "Exited (3) 2 minutes ago": keep the code.
    auto open = container.status.find('(');
    auto close = container.status.find(')');
    if (open != std::string::npos && close != std::string::npos && close > open)
      return "exited " + container.status.substr(open, close - open + 1);
  }
  return container.state;
}

} // namespace dockerops::cli
