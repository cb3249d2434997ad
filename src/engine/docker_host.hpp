#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace dockerops::engine {

// Where the daemon listens, parsed from DOCKER_HOST.
struct HostAddress {
  bool is_unix = true;
  std::string socket_path{}; // unix: "/var/run/docker.sock"
  std::string host{};        // tcp: "127.0.0.1"
  int port = 0;              // tcp: 2375
  std::string original{};    // "unix:///var/run/docker.sock", for messages

  // The URL prefix for libcurl: "http://localhost" over a socket, "http://host:port" over tcp.
  std::string url_base() const;
};

inline constexpr std::string_view k_default_docker_host = "unix:///var/run/docker.sock";

// Parses DOCKER_HOST (empty = the default socket). A bad value is a usage Error.
HostAddress parse_docker_host(std::string_view value);

// How long a call may wait for the daemon (docs: dockerops(1), ENVIRONMENT): a whole non-streaming
// call, or, for streams, the reply's head after the last byte sent. 60 s, as docker compose's default.
inline constexpr std::chrono::seconds k_default_api_timeout{60};

// Parses DOCKEROPS_API_TIMEOUT (whole seconds, 1 to 86400; empty = the default). A bad value is a usage
// Error.
std::chrono::seconds parse_api_timeout(std::string_view value);

// The client's range of Engine API versions (https://docs.docker.com/engine/api/#api-version-matrix).
inline constexpr std::string_view k_api_min = "1.41";
inline constexpr std::string_view k_api_max = "1.43";

// min(k_api_max, server) as the Go client negotiates; a server below k_api_min or an unparsable
// version is an engine Error. An empty server version (old daemons) means k_api_min.
std::string negotiate_api_version(std::string_view server_version);

} // namespace dockerops::engine
