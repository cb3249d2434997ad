#include "engine/docker_host.hpp"

#include "base/error.hpp"

#include <gtest/gtest.h>

using dockerops::Error;
using dockerops::ErrorKind;
using namespace dockerops::engine;

TEST(DockerHost, DefaultsToTheLocalSocket) {
  HostAddress address = parse_docker_host("");
  EXPECT_TRUE(address.is_unix);
  EXPECT_EQ(address.socket_path, "/var/run/docker.sock");
  EXPECT_EQ(address.original, "unix:///var/run/docker.sock");
  EXPECT_EQ(address.url_base(), "http://localhost");
}

TEST(DockerHost, ParsesUnixAndTcp) {
  HostAddress unix_address = parse_docker_host("unix:///run/user/1000/docker.sock");
  EXPECT_TRUE(unix_address.is_unix);
  EXPECT_EQ(unix_address.socket_path, "/run/user/1000/docker.sock");

  HostAddress tcp = parse_docker_host("tcp://127.0.0.1:2375");
  EXPECT_FALSE(tcp.is_unix);
  EXPECT_EQ(tcp.host, "127.0.0.1");
  EXPECT_EQ(tcp.port, 2375);
  EXPECT_EQ(tcp.url_base(), "http://127.0.0.1:2375");
  EXPECT_EQ(parse_docker_host("tcp://docker.example:2376/").port, 2376);
}

TEST(DockerHost, RejectsBadValuesAsUsageErrors) {
  for (const char* value : {"ssh://user@host", "npipe:////./pipe/docker_engine", "unix://relative.sock",
                            "tcp://host", "tcp://host:abc", "tcp://host:70000", "/var/run/docker.sock"}) {
    try {
      parse_docker_host(value);
      ADD_FAILURE() << value << " was accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::usage) << value;
      EXPECT_NE(std::string(error.what()).find(value), std::string::npos) << error.what();
    }
  }
  try {
    parse_docker_host("ssh://user@host");
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "DOCKER_HOST=ssh://user@host: unsupported scheme; use "
                               "unix:///path/to/docker.sock or tcp://HOST:PORT");
  }
}

TEST(ApiVersion, NegotiatesTheLowerOfBothWithAFloor) {
  EXPECT_EQ(negotiate_api_version("1.41"), "1.41");
  EXPECT_EQ(negotiate_api_version("1.42"), "1.42");
  EXPECT_EQ(negotiate_api_version("1.43"), "1.43");
  EXPECT_EQ(negotiate_api_version("1.50"), "1.43");
  EXPECT_EQ(negotiate_api_version("2.0"), "1.43");
  EXPECT_EQ(negotiate_api_version(""), "1.41");
}

TEST(ApiVersion, RejectsOldOrUnreadableServers) {
  try {
    negotiate_api_version("1.40");
    ADD_FAILURE() << "1.40 accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::engine);
    EXPECT_STREQ(error.what(), "the Docker daemon speaks API 1.40 but dockerops needs at least 1.41 (Docker "
                               "20.10); upgrade the daemon");
  }
  EXPECT_THROW(negotiate_api_version("1.4x"), Error);
  EXPECT_THROW(negotiate_api_version("141"), Error);
  // 1.9 is lower than 1.41 (numeric minor, not string comparison).
  EXPECT_THROW(negotiate_api_version("1.9"), Error);
}
