// Request bodies and query values for the Engine API (see json_mapping.hpp): structs to JSON.
#include "engine/json_mapping.hpp"
#include "engine/json_write.hpp"

namespace dockerops::engine {
namespace {
using json_write::put_if;
using nlohmann::json;

json endpoint_config(const EndpointSpec& endpoint) {
  json config = json::object();
  put_if(config, "Aliases", endpoint.aliases);
  put_if(config, "Links", endpoint.links);
  if (!endpoint.ipv4_address.empty())
    config["IPAMConfig"] = {{"IPv4Address", endpoint.ipv4_address}};
  return config;
}

} // namespace

json container_create_body(const ContainerSpec& spec) {
  json body = json::object();
  body["Image"] = spec.image;
  if (spec.cmd)
    body["Cmd"] = *spec.cmd;
  if (spec.entrypoint)
    body["Entrypoint"] = *spec.entrypoint;
  put_if(body, "Env", spec.env);
  if (!spec.labels.empty())
    body["Labels"] = spec.labels;
  put_if(body, "Hostname", spec.hostname);
  put_if(body, "Domainname", spec.domainname);
  put_if(body, "User", spec.user);
  put_if(body, "WorkingDir", spec.working_dir);
  body["Tty"] = spec.tty;
  body["OpenStdin"] = spec.open_stdin;
  body["StdinOnce"] = spec.stdin_once;
  body["AttachStdin"] = spec.attach_stdin;
  body["AttachStdout"] = spec.attach_stdout;
  body["AttachStderr"] = spec.attach_stderr;
  if (!spec.exposed_ports.empty()) {
    json ports = json::object();
    for (const auto& port : spec.exposed_ports)
      ports[port.find('/') == std::string::npos ? port + "/tcp" : port] = json::object();
    body["ExposedPorts"] = ports;
  }
  if (spec.healthcheck_none)
    body["Healthcheck"] = {{"Test", {"NONE"}}};
  if (spec.stop_timeout)
    body["StopTimeout"] = *spec.stop_timeout;

  json host = json::object();
  put_if(host, "Binds", spec.binds);
  if (!spec.port_bindings.empty()) {
    json bindings = json::object();
    for (const auto& binding : spec.port_bindings) {
      std::string key = std::to_string(binding.container_port) + "/" + binding.proto;
      bindings[key].push_back(
          {{"HostIp", binding.host_ip},
           {"HostPort", binding.host_port == 0 ? "" : std::to_string(binding.host_port)}});
      // A published port must also be exposed, or the daemon ignores the binding.
      if (!body.contains("ExposedPorts") || !body["ExposedPorts"].contains(key))
        body["ExposedPorts"][key] = json::object();
    }
    host["PortBindings"] = bindings;
  }
  put_if(host, "Dns", spec.dns);
  put_if(host, "DnsSearch", spec.dns_search);
  put_if(host, "NetworkMode", spec.network_mode);
  host["AutoRemove"] = spec.auto_remove;
  if (!spec.restart_policy.empty())
    host["RestartPolicy"] = {{"Name", spec.restart_policy}};
  if (spec.init)
    host["Init"] = true;
  host["Privileged"] = spec.privileged;
  put_if(host, "CapAdd", spec.cap_add);
  put_if(host, "ExtraHosts", spec.extra_hosts);
  for (auto [key, value] : {std::pair{"NanoCpus", spec.nano_cpus},
                            {"Memory", spec.memory},
                            {"MemoryReservation", spec.memory_reservation},
                            {"PidsLimit", spec.pids_limit}})
    if (value > 0)
      host[key] = value;
  body["HostConfig"] = host;

  if (spec.endpoint && !spec.endpoint->network.empty())
    body["NetworkingConfig"] = {
        {"EndpointsConfig", {{spec.endpoint->network, endpoint_config(*spec.endpoint)}}}};
  return body;
}

json exec_create_body(const ExecSpec& spec, bool attach_stdin) {
  json body = {{"Cmd", spec.cmd},      {"AttachStdin", attach_stdin},
               {"AttachStdout", true}, {"AttachStderr", true},
               {"Tty", spec.tty},      {"Privileged", spec.privileged}};
  put_if(body, "Env", spec.env);
  put_if(body, "User", spec.user);
  put_if(body, "WorkingDir", spec.working_dir);
  return body;
}

json network_create_body(const NetworkSpec& spec) {
  json body = {
      {"Name", spec.name}, {"Driver", spec.driver}, {"CheckDuplicate", true}, {"Internal", spec.internal}};
  if (spec.attachable)
    body["Attachable"] = true;
  if (!spec.labels.empty())
    body["Labels"] = spec.labels;
  if (!spec.subnet.empty()) {
    json config = {{"Subnet", spec.subnet}};
    put_if(config, "Gateway", spec.gateway);
    body["IPAM"] = {{"Driver", "default"}, {"Config", json::array({config})}};
  }
  return body;
}

json network_connect_body(const EndpointSpec& endpoint, const std::string& container) {
  return {{"Container", container}, {"EndpointConfig", endpoint_config(endpoint)}};
}

std::string filters_json(const Filters& filters) {
  json body = json::object();
  for (const auto& [key, values] : filters)
    body[key] = values;
  return body.dump();
}

} // namespace dockerops::engine
