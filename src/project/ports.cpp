#include "base/error.hpp"
#include "base/strings.hpp"
#include "project/resolve_parts.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <tuple>

namespace dockerops::project::detail {

namespace {

int to_port(std::string_view text, const std::string& where, const std::string& spec) {
  int port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc() || end != text.data() + text.size() || port < 1 || port > 65535)
    fail(ErrorKind::config, "{}: port \"{}\" must be HOST:CONTAINER[/udp] or IP:HOST:CONTAINER[/tcp|udp]",
         where, spec);
  return port;
}

// "HOST:CONTAINER[/proto]" or "IP:HOST:CONTAINER[/proto]".
PortMapping parse_port_spec(const std::string& spec, const std::string& where) {
  std::string body = spec;
  PortMapping port;
  if (auto slash = body.find('/'); slash != std::string::npos) {
    port.protocol = strings::to_lower(body.substr(slash + 1));
    body = body.substr(0, slash);
    if (port.protocol != "tcp" && port.protocol != "udp")
      fail(ErrorKind::config, "{}: port \"{}\": the protocol must be tcp or udp", where, spec);
  }
  auto parts = strings::split(body, ':');
  if (parts.size() == 3) {
    port.host_ip = parts[0];
    parts.erase(parts.begin());
  }
  if (parts.size() != 2)
    fail(ErrorKind::config, "{}: port \"{}\" must be HOST:CONTAINER[/udp] or IP:HOST:CONTAINER[/tcp|udp]",
         where, spec);
  port.host_port = to_port(parts[0], where, spec);
  port.container_port = to_port(parts[1], where, spec);
  return port;
}

std::string env_value(const ResolvedInstance& instance, const std::string& name) {
  auto it = instance.env.find(name);
  return it == instance.env.end() ? std::string() : it->second.value;
}

} // namespace

std::vector<PortMapping> resolve_ports(const ResolvedInstance& instance, const Service* service,
                                       const ImageFacts* image, const ConfEntry* entry,
                                       const std::string& conf_filename) {
  // Bind address (docs/compatibility.md §ports): PUBLISH_ON_IP > SERVICE_IP > all interfaces;
  // the DNS never on all interfaces by default (docs/decisions.md 15).
  std::string ip = env_value(instance, "PUBLISH_ON_IP");
  if (ip.empty())
    ip = env_value(instance, "SERVICE_IP");
  if (ip.empty() && instance.is_dns)
    ip = "127.0.0.1";

  std::vector<PortMapping> ports;
  if (instance.publish_ports) {
    std::vector<std::string> exposed;
    if (image)
      exposed = image->exposed_ports;
    else if (service)
      exposed = service->dockerfile.expose;
    if (instance.is_dns) // DNS answers on 53 whatever the image declares (docs/decisions.md 15)
    {
      exposed.push_back("53/tcp");
      exposed.push_back("53/udp");
    }
    for (const auto& text : exposed) {
      auto slash = text.find('/');
      int number = std::atoi(text.substr(0, slash).c_str());
      std::string proto = slash == std::string::npos ? "tcp" : text.substr(slash + 1);
      if (number > 0 && (proto == "tcp" || proto == "udp"))
        ports.push_back({ip, number, number, proto});
    }
    if (service) {
      for (int udp : service->dockerfile.udp_expose)
        ports.push_back({ip, udp, udp, "udp"});
      for (const auto& as : service->dockerfile.expose_as) {
        // #EXPOSE_AS remaps: the container port is published once, on the new host port.
        std::erase_if(ports, [&](const PortMapping& p) {
          return p.protocol == "tcp" && p.container_port == as.container_port;
        });
        ports.push_back({ip, as.host_port, as.container_port, "tcp"});
      }
    }
  }
  if (entry) {
    for (const auto& spec : entry->ports) {
      PortMapping port = parse_port_spec(spec.value, fmt::format("{}:{}", conf_filename, spec.line));
      if (port.host_ip.empty())
        port.host_ip = ip;
      std::erase_if(ports, [&](const PortMapping& p) {
        return p.protocol == port.protocol && p.container_port == port.container_port;
      });
      ports.push_back(port);
    }
  }
  std::sort(ports.begin(), ports.end(), [](const PortMapping& a, const PortMapping& b) {
    return std::tie(a.protocol, a.container_port, a.host_port, a.host_ip) <
           std::tie(b.protocol, b.container_port, b.host_port, b.host_ip);
  });
  ports.erase(std::unique(ports.begin(), ports.end(),
                          [](const PortMapping& a, const PortMapping& b) {
                            return a.protocol == b.protocol && a.container_port == b.container_port &&
                                   a.host_port == b.host_port && a.host_ip == b.host_ip;
                          }),
              ports.end());
  return ports;
}

std::vector<VolumeMount> resolve_volumes(const ConfEntry& entry, const Project& project,
                                         const std::string& conf_filename) {
  std::vector<VolumeMount> out;
  for (const auto& spec : entry.volumes) {
    std::string text = strings::replace_all(spec.value, "${PROJECT_DIR}", project.dir);
    text = strings::replace_all(text, "$PROJECT_DIR", project.dir);
    auto parts = strings::split(text, ':');
    if (parts.size() < 2 || parts.size() > 3 || parts[0].empty() || parts[1].empty() || parts[1][0] != '/')
      fail(ErrorKind::config, "{}:{}: volume \"{}\" must be HOST_PATH:/CONTAINER_PATH[:ro]", conf_filename,
           spec.line, spec.value);
    VolumeMount mount;
    mount.host_path = parts[0][0] == '/' ? parts[0] : project.dir + "/" + parts[0]; // docs/decisions.md 22
    // Lexical normalization ("./x", "a/../b") so equal mounts hash equally.
    mount.host_path = std::filesystem::path(mount.host_path).lexically_normal().string();
    if (mount.host_path.size() > 1 && mount.host_path.back() == '/')
      mount.host_path.pop_back();
    mount.container_path = parts[1];
    if (parts.size() == 3)
      mount.mode = parts[2];
    out.push_back(std::move(mount));
  }
  return out;
}

} // namespace dockerops::project::detail
