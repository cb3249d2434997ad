#include "base/error.hpp"
#include "base/ip_address.hpp"
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

// Why `text` is not an IP literal, for messages; dockerops resolves no host names (a mistyped bind
// address must never become "all interfaces").
std::string not_an_ip_hint(const std::string& text) {
  if (ip::is_ip(strings::trim(text)))
    return "remove the blanks around it";
  return "write an IPv4 or IPv6 address such as 127.0.0.1; host names are not resolved";
}

// "HOST:CONTAINER[/proto]", "IP:HOST:CONTAINER[/proto]" or "[IPv6]:HOST:CONTAINER[/proto]".
PortMapping parse_port_spec(const std::string& spec, const std::string& where) {
  std::string body = spec;
  PortMapping port;
  if (auto slash = body.find('/'); slash != std::string::npos) {
    port.protocol = strings::to_lower(body.substr(slash + 1));
    body = body.substr(0, slash);
    if (port.protocol != "tcp" && port.protocol != "udp")
      fail(ErrorKind::config, "{}: port \"{}\": the protocol must be tcp or udp", where, spec);
  }
  bool bracketed = !body.empty() && body[0] == '[';
  if (bracketed) {
    auto close = body.find("]:");
    if (close == std::string::npos)
      fail(ErrorKind::config, "{}: port \"{}\": an IPv6 address is written [ADDRESS]:HOST:CONTAINER", where,
           spec);
    port.host_ip = body.substr(1, close - 1);
    body = body.substr(close + 2);
  }
  auto parts = strings::split(body, ':');
  if (parts.size() == 3 && !bracketed) {
    port.host_ip = parts[0];
    parts.erase(parts.begin());
  }
  if (parts.size() != 2)
    fail(ErrorKind::config, "{}: port \"{}\" must be HOST:CONTAINER[/udp] or IP:HOST:CONTAINER[/tcp|udp]",
         where, spec);
  if ((bracketed && !ip::is_ipv6(port.host_ip)) ||
      (!bracketed && !port.host_ip.empty() && !ip::is_ipv4(port.host_ip)))
    fail(ErrorKind::config, "{}: port \"{}\": \"{}\" is not an IP address ({})", where, spec, port.host_ip,
         not_an_ip_hint(port.host_ip));
  port.host_port = to_port(parts[0], where, spec);
  port.container_port = to_port(parts[1], where, spec);
  return port;
}

// The address ports are published on (docs/compatibility.md §ports): PUBLISH_ON_IP > SERVICE_IP > all
// interfaces; the DNS never on all interfaces by default (docs/decisions.md 15). The value in use must
// be an IP literal: an error names the variable and where its value came from.
std::string bind_address(const ResolvedInstance& instance) {
  for (const char* name : {"PUBLISH_ON_IP", "SERVICE_IP"}) {
    auto it = instance.env.find(name);
    if (it == instance.env.end() || it->second.value.empty())
      continue;
    const EnvValue& value = it->second;
    if (!ip::is_ip(value.value))
      fail(ErrorKind::config, "{}: {}: {} \"{}\" is not an IP address to publish ports on ({})",
           value.detail.empty() ? std::string(to_string(value.source)) : value.detail, instance.who(), name,
           value.value, not_an_ip_hint(value.value));
    return value.value;
  }
  return instance.is_dns ? "127.0.0.1" : "";
}

// The options Docker's bind mounts take, comma-separated: "ro", "rw,z", "ro,rshared".
void check_volume_mode(const std::string& mode, const Located<std::string>& spec,
                       const std::string& conf_filename) {
  static const std::vector<std::string> k_options = {
      "ro",    "rw",     "z",       "Z",        "nocopy",     "shared", "rshared",
      "slave", "rslave", "private", "rprivate", "consistent", "cached", "delegated"};
  for (const auto& option : strings::split(mode, ','))
    if (std::find(k_options.begin(), k_options.end(), option) == k_options.end())
      fail(ErrorKind::config,
           "{}:{}: volume \"{}\": unknown mode \"{}\"{}; use ro or rw (Docker's bind options "
           "z, Z, nocopy and the propagation modes work too)",
           conf_filename, spec.line, spec.value, option, strings::did_you_mean(option, k_options));
}

} // namespace

std::vector<PortMapping> resolve_ports(const ResolvedInstance& instance, const Service* service,
                                       const ImageFacts* image, const ConfEntry* entry,
                                       const std::string& conf_filename) {
  bool publishes = instance.publish_ports || (entry && !entry->ports.empty());
  std::string ip = publishes ? bind_address(instance) : std::string();

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
    if (parts.size() == 3) {
      mount.mode = parts[2];
      check_volume_mode(mount.mode, spec, conf_filename);
    }
    out.push_back(std::move(mount));
  }
  return out;
}

} // namespace dockerops::project::detail
