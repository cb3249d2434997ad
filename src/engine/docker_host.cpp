#include "engine/docker_host.hpp"

#include "base/error.hpp"

#include <charconv>

namespace dockerops::engine {
namespace {

// "1.41" -> {1, 41}; nullopt-like {-1, -1} when unparsable.
std::pair<int, int> parse_api(std::string_view text) {
  auto dot = text.find('.');
  if (dot == std::string_view::npos)
    return {-1, -1};
  int major = -1;
  int minor = -1;
  auto a = std::from_chars(text.data(), text.data() + dot, major);
  auto b = std::from_chars(text.data() + dot + 1, text.data() + text.size(), minor);
  if (a.ec != std::errc() || a.ptr != text.data() + dot || b.ec != std::errc() ||
      b.ptr != text.data() + text.size())
    return {-1, -1};
  return {major, minor};
}

} // namespace

std::string HostAddress::url_base() const {
  if (is_unix)
    return "http://localhost";
  return "http://" + host + ":" + std::to_string(port);
}

std::chrono::seconds parse_api_timeout(std::string_view value) {
  if (value.empty())
    return k_default_api_timeout;
  long seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || end != value.data() + value.size() || seconds < 1 || seconds > 86400)
    fail(ErrorKind::usage, "DOCKEROPS_API_TIMEOUT={}: must be a whole number of seconds from 1 to 86400",
         value);
  return std::chrono::seconds(seconds);
}

HostAddress parse_docker_host(std::string_view value) {
  HostAddress address;
  if (value.empty())
    value = k_default_docker_host;
  address.original = std::string(value);
  constexpr std::string_view unix_scheme = "unix://";
  constexpr std::string_view tcp_scheme = "tcp://";
  if (value.starts_with(unix_scheme)) {
    address.is_unix = true;
    address.socket_path = std::string(value.substr(unix_scheme.size()));
    if (address.socket_path.empty() || address.socket_path.front() != '/')
      fail(ErrorKind::usage,
           "DOCKER_HOST={}: a unix socket needs an absolute path, e.g. unix:///var/run/docker.sock", value);
    return address;
  }
  if (value.starts_with(tcp_scheme)) {
    address.is_unix = false;
    std::string_view rest = value.substr(tcp_scheme.size());
    while (!rest.empty() && rest.back() == '/')
      rest.remove_suffix(1);
    auto colon = rest.rfind(':');
    if (colon == std::string_view::npos || colon == 0)
      fail(ErrorKind::usage, "DOCKER_HOST={}: expected tcp://HOST:PORT", value);
    std::string_view port_text = rest.substr(colon + 1);
    int port = 0;
    auto result = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (result.ec != std::errc() || result.ptr != port_text.data() + port_text.size() || port <= 0 ||
        port > 65535)
      fail(ErrorKind::usage, "DOCKER_HOST={}: bad port \"{}\", expected tcp://HOST:PORT", value, port_text);
    address.host = std::string(rest.substr(0, colon));
    address.port = port;
    return address;
  }
  fail(ErrorKind::usage,
       "DOCKER_HOST={}: unsupported scheme; use unix:///path/to/docker.sock or tcp://HOST:PORT", value);
}

std::string negotiate_api_version(std::string_view server_version) {
  if (server_version.empty())
    return std::string(k_api_min);
  auto server = parse_api(server_version);
  if (server.first < 0)
    fail(ErrorKind::engine, "the Docker daemon reports an unreadable API version \"{}\"", server_version);
  auto min = parse_api(k_api_min);
  auto max = parse_api(k_api_max);
  if (server < min)
    fail(ErrorKind::engine,
         "the Docker daemon speaks API {} but dockerops needs at least {} (Docker 20.10); upgrade the daemon",
         server_version, k_api_min);
  if (server > max)
    return std::string(k_api_max);
  return std::to_string(server.first) + "." + std::to_string(server.second);
}

} // namespace dockerops::engine
