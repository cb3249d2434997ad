#include "apply/container_spec.hpp"

#include "base/error.hpp"

#include <algorithm>

namespace dockerops::apply {

engine::ContainerSpec container_spec(const project::ResolvedInstance& instance, const SpecExtras& extras) {
  engine::ContainerSpec spec;
  spec.name = instance.container_name;
  spec.image = instance.image;
  if (!instance.command.empty())
    spec.cmd = instance.command;
  for (const auto& [name, value] : instance.env) {
    if (!value.pending_link_container.empty()) {
      if (!extras.link_address)
        continue;
      spec.env.push_back(name + "=" + extras.link_address(value.pending_link_container));
      continue;
    }
    spec.env.push_back(name + "=" + value.value);
  }
  spec.labels = extras.labels;
  for (const auto& [key, value] : instance.labels)
    spec.labels[key] = value;
  spec.hostname = instance.hostname;
  spec.nano_cpus = instance.resources.nano_cpus();
  spec.memory = instance.resources.memory;
  spec.memory_reservation = instance.resources.memory_reservation;
  spec.pids_limit = instance.resources.pids;
  spec.stop_timeout = 10;
  spec.restart_policy = instance.daemon_restart;
  if (instance.interactive) {
    spec.tty = true;
    spec.open_stdin = true;
    spec.stdin_once = true;
    spec.attach_stdin = true;
    spec.attach_stdout = true;
    spec.attach_stderr = true;
  }
  for (const auto& volume : instance.volumes)
    spec.binds.push_back(volume.host_path + ":" + volume.container_path +
                         (volume.mode.empty() ? "" : ":" + volume.mode));
  for (const auto& port : instance.ports) {
    spec.port_bindings.push_back({port.protocol, port.container_port, port.host_ip, port.host_port});
    std::string exposed = std::to_string(port.container_port) + "/" + port.protocol;
    if (std::find(spec.exposed_ports.begin(), spec.exposed_ports.end(), exposed) == spec.exposed_ports.end())
      spec.exposed_ports.push_back(exposed);
  }
  if (!instance.dns_server.empty())
    spec.dns.push_back(instance.dns_server);
  if (!instance.dns_search.empty())
    spec.dns_search.push_back(instance.dns_search);
  if (instance.nethost) {
    spec.network_mode = "host";
    spec.hostname.clear();
  } else if (!instance.network.empty()) {
    spec.network_mode = instance.network;
    engine::EndpointSpec endpoint;
    endpoint.network = instance.network;
    if (instance.linked)
      for (const auto& link : instance.links)
        if (!link.target_container.empty()) // empty: a remote link (a *_SERVICE_IP value only)
          endpoint.links.push_back(link.target_container + ":" + link.alias);
    endpoint.ipv4_address = instance.ipv4_address;
    spec.endpoint = endpoint;
  }
  return spec;
}

} // namespace dockerops::apply
