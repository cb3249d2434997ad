#include "base/error.hpp"
#include "base/strings.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/instances.hpp"
#include "cli/output.hpp"
#include "cli/project_loader.hpp"
#include "engine/engine.hpp"

#include <fmt/format.h>

#include <map>
#include <optional>

namespace dockerops::cli {

namespace {
nlohmann::json swarm_item(engine::Engine& engine, const InstanceRow& r, std::string& text);
} // namespace

// info:SVC*[,instance=NAME]: a detail view per instance (image, state, addresses, ports, mounts,
// environment with secrets masked, the container's own labels).
int cmd_info(Context& context, const Arguments& args) {
  std::string service = args.get_or("service", "");
  if (service.empty())
    fail(ErrorKind::usage, "info: name a service (info:SERVICE or info:PREFIX*)");
  std::string project = project_name(context);
  engine::Engine& engine = context.engine();
  auto all_rows = instances_of(engine, project, on_swarm(context));
  auto rows = filter_instances(all_rows, service, args.get("instance"));
  if (rows.empty())
    fail_no_instance("info", project, service, args.get("instance"), all_rows);
  nlohmann::json all = nlohmann::json::array();
  std::string text;
  std::map<std::string, std::optional<engine::ImageInfo>> images; // by ID: instances share images
  for (const auto& r : rows) {
    if (!r.service_id.empty()) {
      all.push_back(swarm_item(engine, r, text));
      continue;
    }
    engine::ContainerInfo info = engine.inspect_container(r.container.id);
    nlohmann::json env = nlohmann::json::object();
    for (const auto& kv : info.env) {
      auto eq = kv.find('=');
      std::string name = kv.substr(0, eq);
      env[name] = project::shown_value(name, eq == std::string::npos ? "" : kv.substr(eq + 1));
    }
    nlohmann::json networks = nlohmann::json::object();
    for (const auto& [name, attachment] : info.networks)
      networks[name] = {{"ip", attachment.ip_address}, {"aliases", attachment.aliases}};
    nlohmann::json ports = nlohmann::json::array();
    for (const auto& p : info.ports)
      if (p.host_port != 0)
        ports.push_back(fmt::format("{}{}->{}/{}", p.host_ip.empty() ? "" : p.host_ip + ":", p.host_port,
                                    p.container_port, p.proto));
    nlohmann::json mounts = nlohmann::json::array();
    for (const auto& m : info.mounts)
      mounts.push_back(fmt::format("{}:{}{}", m.source, m.destination, m.read_write ? "" : ":ro"));
    project::Resources limits;
    limits.cpus = static_cast<double>(info.nano_cpus) / 1e9;
    limits.memory = info.memory;
    limits.memory_reservation = info.memory_reservation;
    limits.pids = info.pids_limit;
    nlohmann::json item = {{"service", r.service},
                           {"instance", r.instance},
                           {"type", r.type},
                           {"container", info.name},
                           {"id", info.id},
                           {"image", info.image},
                           {"image_id", info.image_id},
                           {"state", info.status},
                           {"exit_code", info.exit_code},
                           {"started_at", info.started_at},
                           {"hostname", info.hostname},
                           {"networks", networks},
                           {"ports", ports},
                           {"mounts", mounts},
                           {"resources", project::resources_json(limits)},
                           {"env", env},
                           {"labels", info.labels}};
    all.push_back(item);
    text += fmt::format("{}/{} ({})\n", r.service, r.instance, info.name);
    text += fmt::format("  id        {}\n  image     {} ({})\n  type      {}\n", info.id.substr(0, 12),
                        info.image, info.image_id.substr(0, 19), r.type);
    text += fmt::format("  state     {}{}\n", info.status,
                        info.running ? ", since " + info.started_at
                                     : fmt::format(", exit code {}", info.exit_code));
    text += fmt::format("  hostname  {}\n", info.hostname);
    for (const auto& [name, attachment] : info.networks)
      text += fmt::format(
          "  network   {} {}{}\n", name, attachment.ip_address,
          attachment.aliases.empty() ? "" : " (aliases " + strings::join(attachment.aliases, ", ") + ")");
    if (!limits.empty())
      text += fmt::format("  resources {}\n", project::describe(limits));
    for (const auto& p : ports)
      text += fmt::format("  port      {}\n", p.get<std::string>());
    for (const auto& m : mounts)
      text += fmt::format("  mount     {}\n", m.get<std::string>());
    for (const auto& [name, value] : env.items())
      text += fmt::format("  env       {}={}\n", name, value.get<std::string>());
    // The container's own labels: an image's labels (dockerops.builtin of dockerops/base, say)
    // reach every container of it and of every image built on it, which --json still lists.
    auto [known, unseen] = images.try_emplace(info.image_id);
    if (unseen)
      known->second = engine.find_image(info.image_id);
    const std::optional<engine::ImageInfo>& image = known->second;
    for (const auto& [key, value] : info.labels) {
      bool from_image = image && image->labels.count(key) && image->labels.at(key) == value;
      if (!from_image)
        text += fmt::format("  label     {}={}\n", key, value);
    }
  }
  if (context.options().json)
    print_json(all);
  else
    print(text);
  return 0;
}

namespace {

// info on a swarm: the service's spec and its task (the task's container may be on another node,
// out of reach of the manager's Engine API).
nlohmann::json swarm_item(engine::Engine& engine, const InstanceRow& r, std::string& text) {
  engine::ServiceInfo service = engine.swarm().inspect_service(r.service_id);
  const engine::ServiceSpec& spec = service.spec;
  nlohmann::json env = nlohmann::json::object();
  for (const auto& kv : spec.env) {
    auto eq = kv.find('=');
    std::string name = kv.substr(0, eq);
    env[name] = project::shown_value(name, eq == std::string::npos ? "" : kv.substr(eq + 1));
  }
  nlohmann::json ports = nlohmann::json::array(), mounts = nlohmann::json::array();
  for (const auto& p : spec.ports)
    ports.push_back(
        fmt::format("{}->{}/{} ({})", p.published_port, p.target_port, p.protocol, p.publish_mode));
  for (const auto& m : spec.mounts)
    mounts.push_back(fmt::format("{}:{}{} ({})", m.source, m.target, m.read_only ? ":ro" : "", m.type));
  nlohmann::json item = {{"service", r.service},
                         {"instance", r.instance},
                         {"type", r.type},
                         {"swarm_service", spec.name},
                         {"id", service.id},
                         {"image", spec.image},
                         {"state", r.container.state},
                         {"status", r.container.status},
                         {"node", r.node},
                         {"ip", r.ip},
                         {"hostname", spec.hostname},
                         {"replicas", spec.global ? nlohmann::json("global") : nlohmann::json(spec.replicas)},
                         {"constraints", spec.constraints},
                         {"ports", ports},
                         {"mounts", mounts},
                         {"env", env},
                         {"labels", spec.labels}};
  text += fmt::format("{}/{} (service {})\n", r.service, r.instance, spec.name);
  text += fmt::format("  id        {}\n  image     {}\n  type      {}\n", service.id.substr(0, 12),
                      spec.image, r.type);
  text += fmt::format("  state     {}{}\n", r.container.state,
                      r.container.status.empty() ? "" : " (" + r.container.status + ")");
  text += fmt::format("  node      {}\n  address   {}\n  hostname  {}\n", r.node.empty() ? "-" : r.node,
                      r.ip.empty() ? "-" : r.ip, spec.hostname);
  text +=
      fmt::format("  replicas  {}\n", spec.global ? "global (one per node)" : std::to_string(spec.replicas));
  for (const auto& c : spec.constraints)
    text += fmt::format("  placement {}\n", c);
  for (const auto& p : ports)
    text += fmt::format("  port      {}\n", p.get<std::string>());
  for (const auto& m : mounts)
    text += fmt::format("  mount     {}\n", m.get<std::string>());
  for (const auto& [name, value] : env.items())
    text += fmt::format("  env       {}={}\n", name, value.get<std::string>());
  for (const auto& [key, value] : spec.labels)
    text += fmt::format("  label     {}={}\n", key, value);
  return item;
}

} // namespace

} // namespace dockerops::cli
