// Swarm-mode request bodies (see swarm_json.hpp): structs to JSON. Fields at their default are left
// out, so the daemon's defaults apply and a spec read back compares equal.
#include "base/strings.hpp"
#include "engine/json_write.hpp"
#include "engine/swarm_json.hpp"

namespace dockerops::engine {
namespace {
using nlohmann::json;

using json_write::put_if;

json mount_body(const ServiceMount& mount) {
  json body = {{"Type", mount.type}, {"Target", mount.target}};
  put_if(body, "Source", mount.source);
  if (mount.read_only)
    body["ReadOnly"] = true;
  if (!mount.volume_labels.empty())
    body["VolumeOptions"] = {{"Labels", mount.volume_labels}};
  return body;
}

json container_spec_body(const ServiceSpec& spec) {
  json body = {{"Image", spec.image}};
  if (spec.command)
    body["Command"] = *spec.command;
  if (spec.args)
    body["Args"] = *spec.args;
  put_if(body, "Env", spec.env);
  put_if(body, "Labels", spec.container_labels);
  put_if(body, "Hostname", spec.hostname);
  put_if(body, "User", spec.user);
  put_if(body, "Dir", spec.working_dir);
  if (spec.tty)
    body["TTY"] = true;
  if (spec.open_stdin)
    body["OpenStdin"] = true;
  if (spec.init)
    body["Init"] = true;
  if (spec.healthcheck_none)
    body["Healthcheck"] = {{"Test", {"NONE"}}};
  if (spec.stop_grace_period_ns)
    body["StopGracePeriod"] = *spec.stop_grace_period_ns;
  for (const auto& mount : spec.mounts)
    body["Mounts"].push_back(mount_body(mount));
  put_if(body, "Hosts", spec.hosts);
  if (!spec.dns_nameservers.empty() || !spec.dns_search.empty()) {
    json dns = json::object();
    put_if(dns, "Nameservers", spec.dns_nameservers);
    put_if(dns, "Search", spec.dns_search);
    body["DNSConfig"] = dns;
  }
  put_if(body, "CapabilityAdd", spec.capability_add);
  auto files = [&](const char* key, const char* id_key, const char* name_key,
                   const std::vector<ServiceFile>& list) {
    for (const auto& file : list)
      body[key].push_back({{"File", {{"Name", file.target}, {"UID", "0"}, {"GID", "0"}, {"Mode", file.mode}}},
                           {id_key, file.id},
                           {name_key, file.name}});
  };
  files("Secrets", "SecretID", "SecretName", spec.secrets);
  files("Configs", "ConfigID", "ConfigName", spec.configs);
  return body;
}

json task_template_body(const ServiceSpec& spec) {
  json body = {{"ContainerSpec", container_spec_body(spec)}};
  json limits = json::object();
  put_if(limits, "NanoCPUs", spec.nano_cpus);
  put_if(limits, "MemoryBytes", spec.memory_bytes);
  put_if(limits, "Pids", spec.pids_limit);
  json reservations = json::object();
  put_if(reservations, "MemoryBytes", spec.memory_reservation_bytes);
  if (!limits.empty() || !reservations.empty())
    body["Resources"] = {{"Limits", limits}, {"Reservations", reservations}};
  json restart = {{"Condition", spec.restart_condition}};
  if (spec.restart_delay_ns)
    restart["Delay"] = *spec.restart_delay_ns;
  put_if(restart, "MaxAttempts", spec.restart_max_attempts);
  body["RestartPolicy"] = restart;
  json placement = json::object();
  put_if(placement, "Constraints", spec.constraints);
  put_if(placement, "MaxReplicas", spec.max_replicas_per_node);
  if (!placement.empty())
    body["Placement"] = placement;
  for (const auto& network : spec.networks) {
    json attachment = {{"Target", network.target}};
    put_if(attachment, "Aliases", network.aliases);
    body["Networks"].push_back(attachment);
  }
  put_if(body, "ForceUpdate", spec.force_update);
  return body;
}

} // namespace

json service_spec_body(const ServiceSpec& spec) {
  json body = {{"Name", spec.name}};
  put_if(body, "Labels", spec.labels);
  body["TaskTemplate"] = task_template_body(spec);
  if (spec.global)
    body["Mode"] = {{"Global", json::object()}};
  else
    body["Mode"] = {{"Replicated", {{"Replicas", spec.replicas}}}};
  json endpoint = {{"Mode", spec.endpoint_mode}};
  for (const auto& port : spec.ports) {
    json entry = {
        {"Protocol", port.protocol}, {"TargetPort", port.target_port}, {"PublishMode", port.publish_mode}};
    put_if(entry, "PublishedPort", port.published_port);
    endpoint["Ports"].push_back(entry);
  }
  body["EndpointSpec"] = endpoint;
  return body;
}

json swarm_file_body(const SwarmFile& file) {
  json body = {{"Name", file.name}, {"Data", strings::base64_encode(file.data)}};
  put_if(body, "Labels", file.labels);
  return body;
}

json node_spec_body(const NodeSpec& spec) {
  return {{"Labels", spec.labels}, {"Role", spec.role}, {"Availability", spec.availability}};
}

json swarm_update_body(const json& current, const SwarmUpdate& update) {
  json body = current.is_object() ? current : json::object();
  if (update.heartbeat_period_ns)
    body["Dispatcher"]["HeartbeatPeriod"] = *update.heartbeat_period_ns;
  if (update.task_history_limit)
    body["Orchestration"]["TaskHistoryRetentionLimit"] = *update.task_history_limit;
  return body;
}

} // namespace dockerops::engine
