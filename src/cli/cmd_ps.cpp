#include "base/log.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/instances.hpp"
#include "cli/output.hpp"
#include "cli/project_loader.hpp"
#include "engine/engine.hpp"
#include "project/conf_files.hpp"
#include "project/project.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace dockerops::cli {
namespace {

std::string ports_text(const engine::ContainerSummary& c) {
  std::string out;
  for (const auto& p : c.ports) {
    if (p.host_port == 0)
      continue;
    if (!out.empty())
      out += ", ";
    out += fmt::format("{}{}->{}/{}", p.host_ip.empty() ? "" : p.host_ip + ":", p.host_port, p.container_port,
                       p.proto);
  }
  return out;
}

std::string color_of(const std::string& state) {
  if (state == "running")
    return "32";
  if (state.rfind("exited", 0) == 0 || state == "dead")
    return "31";
  return "33";
}

// An empty list in a folder that is no project usually means the wrong folder: say so.
void explain_empty(const project::Project& project) {
  bool has_conf = !project::choose_conf_file("", [&](const std::string& name) {
                     return std::filesystem::exists(project.dir + "/" + name);
                   }).empty();
  if (has_conf || std::filesystem::is_directory(project.services_dir))
    log::notice("project {} has no instances; start them with dockerops run:all", project.name);
  else
    log::notice("project {} has no instances, and {} has no services/ folder nor run.conf: is it a dockerops "
                "project? (--project-dir DIR)",
                project.name, project.dir);
}

} // namespace

// ps[:SVC*][,all=true][,onlyrunning=true]: the project's instances from their labels.
int cmd_ps(Context& context, const Arguments& args) {
  bool every_project = args.flag("all");
  project::Project here = project::make_project(discovery(context)); // names and folders only
  std::string project = every_project ? "" : here.name;
  bool swarm = on_swarm(context);
  auto rows = filter_instances(instances_of(context.engine(), project, swarm, args.flag("onlyrunning")),
                               args.get_or("service", "all"), std::nullopt);
  if (context.options().json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows) {
      nlohmann::json ports = nlohmann::json::array();
      for (const auto& p : r.container.ports)
        if (p.host_port != 0)
          ports.push_back({{"host_ip", p.host_ip},
                           {"host_port", p.host_port},
                           {"container_port", p.container_port},
                           {"protocol", p.proto}});
      out.push_back({{"project", r.project},
                     {"service", r.service},
                     {"instance", r.instance},
                     {"type", r.type},
                     {"state", r.container.state},
                     {"status", r.container.status},
                     {"ip", r.ip},
                     {"ports", ports},
                     {"resources", project::resources_json(r.resources)},
                     {"container", r.container.name},
                     {"id", r.container.id}});
      if (swarm)
        out.back()["node"] = r.node; // docs/decisions.md 33
    }
    print_json(out);
    return 0;
  }
  if (rows.empty() && !every_project && args.get_or("service", "all") == "all")
    explain_empty(here);
  std::vector<std::string> headers{"SERVICE", "INSTANCE", "TYPE", "STATE", "IP", "PORTS"};
  if (swarm)
    headers.insert(headers.begin() + 4, "NODE");
  if (every_project)
    headers.insert(headers.begin(), "PROJECT");
  Table table(headers);
  for (const auto& r : rows) {
    std::string state = state_text(r.container);
    std::vector<std::string> cells{r.service, r.instance, r.type, state, r.ip, ports_text(r.container)};
    std::vector<std::string> colors{"", "", "", color_of(state), "", ""};
    if (swarm) {
      cells.insert(cells.begin() + 4, r.node);
      colors.insert(colors.begin() + 4, "");
    }
    if (every_project) {
      cells.insert(cells.begin(), r.project);
      colors.insert(colors.begin(), "");
    }
    table.add_row(cells, colors);
  }
  print(table.render(context.color()));
  return 0;
}

} // namespace dockerops::cli
