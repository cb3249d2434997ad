// Server configuration helpers, and one loopback round trip over UDP and TCP
// through the real loop (port 0: the kernel picks a free port).

#include "base/error.hpp"
#include "dns/server/server.hpp"
#include "dns/zone/zone_file.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace dockerops::dns {
namespace {

sockaddr_storage address(const char* ip) {
  sockaddr_storage s{};
  if (inet_pton(AF_INET, ip, &reinterpret_cast<sockaddr_in&>(s).sin_addr) == 1)
    s.ss_family = AF_INET;
  else if (inet_pton(AF_INET6, ip, &reinterpret_cast<sockaddr_in6&>(s).sin6_addr) == 1)
    s.ss_family = AF_INET6;
  return s;
}

TEST(DnsServer, NetworksMatchAddresses) {
  Network n = Network::parse("172.30.0.0/24");
  EXPECT_TRUE(n.contains(address("172.30.0.9")));
  EXPECT_FALSE(n.contains(address("172.30.1.9")));
  EXPECT_TRUE(Network::parse("10.0.0.0/7").contains(address("11.255.0.1")));
  EXPECT_TRUE(Network::parse("127.0.0.0/8").contains(address("::ffff:127.0.0.5")));
  EXPECT_TRUE(Network::parse("::1").contains(address("::1")));
  EXPECT_FALSE(Network::parse("::1").contains(address("127.0.0.1")));
  EXPECT_TRUE(Network::parse("0.0.0.0/0").contains(address("8.8.8.8")));
  EXPECT_THROW(Network::parse("172.30.0.0/33"), Error);
  EXPECT_THROW(Network::parse("nonsense"), Error);
}

TEST(DnsServer, ParsesUpstreamsAndResolvConf) {
  EXPECT_EQ(parse_upstream("127.0.0.2").text, "127.0.0.2:53");
  EXPECT_EQ(parse_upstream("127.0.0.2:5300").text, "127.0.0.2:5300");
  EXPECT_EQ(parse_upstream("[::1]:5300").text, "[::1]:5300");
  EXPECT_EQ(parse_upstream("fd00::1").text, "[fd00::1]:53");
  EXPECT_THROW(parse_upstream("127.0.0.2:0"), Error);
  EXPECT_THROW(parse_upstream("resolver.example"), Error);
  auto ns = resolv_conf_nameservers(
      "# comment\nsearch local.zone\nnameserver 127.0.0.11\n  nameserver\t::1\noptions ndots:0\n");
  ASSERT_EQ(ns.size(), 2u);
  EXPECT_EQ(ns[0], "127.0.0.11");
  EXPECT_EQ(ns[1], "::1");
}

TEST(DnsServer, FindsTheDefaultGateways) {
  const char* route = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\n"
                      "eth0\t00000000\t01001EAC\t0003\t0\t0\t0\t00000000\n"  // default via 172.30.0.1
                      "eth0\t00001EAC\t00000000\t0001\t0\t0\t0\t00FFFFFF\n"; // the subnet itself
  const char* ipv6_route = "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
                           "fd000000000000000000000000000001 "
                           "00000400 00000001 00000000 00000003 eth0\n"
                           "fd000000000000000000000000000000 40 00000000000000000000000000000000 00 "
                           "00000000000000000000000000000000 "
                           "00000100 00000001 00000000 00000001 eth0\n";
  EXPECT_EQ(default_gateways(route, ipv6_route), (std::vector<std::string>{"172.30.0.1", "fd00::1"}));
  EXPECT_TRUE(default_gateways("", "").empty());
  EXPECT_TRUE(default_gateways("garbage\n\n", "x\n").empty());
}

class DnsServerLoop : public ::testing::Test {
protected:
  void SetUp() override {
    m_zones.add(
        make_minimal_zone(name_from_text("local.zone."), name_from_text("dns.local.zone."), "127.0.0.1"));
    ServerConfig config;
    config.listen = {"127.0.0.1"};
    config.port = 0;
    m_server = std::make_unique<Server>(config, m_zones, nullptr);
    m_server->start();
    m_to.sin_family = AF_INET;
    m_to.sin_port = htons(m_server->port());
    inet_pton(AF_INET, "127.0.0.1", &m_to.sin_addr);
  }
  void TearDown() override { m_server->stop(); }

  int socket_with_timeout(int type) {
    int fd = ::socket(AF_INET, type, 0);
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
  }

  ZoneSet m_zones;
  std::unique_ptr<Server> m_server;
  sockaddr_in m_to{};
};

// "dns.local.zone. A" with ID 0x0102.
const std::uint8_t k_query[] = {1, 2,   1,   0,   0,   1,   0, 0,   0,   0,   0,   0, 3, 'd', 'n', 's',
                                5, 'l', 'o', 'c', 'a', 'l', 4, 'z', 'o', 'n', 'e', 0, 0, 1,   0,   1};

TEST_F(DnsServerLoop, AnswersOverUdp) {
  int fd = socket_with_timeout(SOCK_DGRAM);
  ASSERT_EQ(::sendto(fd, k_query, sizeof k_query, 0, reinterpret_cast<sockaddr*>(&m_to), sizeof m_to),
            static_cast<ssize_t>(sizeof k_query));
  std::uint8_t reply[512];
  ssize_t n = ::recv(fd, reply, sizeof reply, 0);
  ::close(fd);
  ASSERT_EQ(n, static_cast<ssize_t>(sizeof k_query + 16));
  EXPECT_EQ(reply[1], 2);
  EXPECT_EQ(reply[7], 1); // ANCOUNT
  EXPECT_EQ(reply[n - 4], 127);
}

TEST_F(DnsServerLoop, AnswersPipelinedQueriesOverTcp) {
  int fd = socket_with_timeout(SOCK_STREAM);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&m_to), sizeof m_to), 0);
  std::vector<std::uint8_t> two;
  for (int i = 0; i < 2; ++i) {
    two.push_back(0);
    two.push_back(sizeof k_query);
    two.insert(two.end(), k_query, k_query + sizeof k_query);
    two[two.size() - sizeof k_query + 1] = static_cast<std::uint8_t>(10 + i); // distinct IDs
  }
  ASSERT_EQ(::send(fd, two.data(), two.size(), 0), static_cast<ssize_t>(two.size()));
  std::vector<std::uint8_t> got;
  std::uint8_t buffer[1024];
  const std::size_t want = 2 * (2 + sizeof k_query + 16);
  while (got.size() < want) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    ASSERT_GT(n, 0);
    got.insert(got.end(), buffer, buffer + n);
  }
  ::close(fd);
  ASSERT_EQ(got.size(), want);
  EXPECT_EQ(got[1], sizeof k_query + 16); // length prefix
  EXPECT_EQ(got[3], 10);                  // first reply's ID
  EXPECT_EQ(got[2 + sizeof k_query + 16 + 3], 11);
}

// A query from a --forward-deny address gets REFUSED for a name outside the zones even inside
// --forward-allow; the same query from another allowed address is forwarded (to a second loop).
TEST(DnsServerForwarding, DeniedClientsGetNoRecursion) {
  ZoneSet upstream_zones;
  upstream_zones.add(make_minimal_zone(name_from_text("outside.example."),
                                       name_from_text("name.outside.example."), "192.0.2.99"));
  ServerConfig upstream_config;
  upstream_config.port = 0;
  Server upstream(upstream_config, upstream_zones, nullptr);
  upstream.start();

  ZoneSet zones;
  zones.add(make_minimal_zone(name_from_text("local.zone."), name_from_text("dns.local.zone."), "127.0.0.1"));
  ServerConfig config;
  config.port = 0;
  config.upstreams = {parse_upstream("127.0.0.1:" + std::to_string(upstream.port()))};
  config.forward_allow = {Network::parse("127.0.0.0/8")};
  config.forward_deny = {Network::parse("127.0.0.5")}; // as the gateway of a published port
  Server server(config, zones, nullptr);
  server.start();

  // "name.outside.example. A", RD.
  const std::uint8_t q[] = {7,   7,   1,   0,   0,   1,   0,   0,   0,   0,   0,   0,   4,
                            'n', 'a', 'm', 'e', 7,   'o', 'u', 't', 's', 'i', 'd', 'e', 7,
                            'e', 'x', 'a', 'm', 'p', 'l', 'e', 0,   0,   1,   0,   1};
  auto rcode_from = [&](const char* source) {
    int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in from{};
    from.sin_family = AF_INET;
    inet_pton(AF_INET, source, &from.sin_addr);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from), 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(server.port());
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    ::sendto(fd, q, sizeof q, 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
    std::uint8_t reply[512];
    ssize_t n = ::recv(fd, reply, sizeof reply, 0);
    ::close(fd);
    return n >= 12 ? reply[3] & 0x0f : -1;
  };
  EXPECT_EQ(rcode_from("127.0.0.5"), 5); // REFUSED
  EXPECT_EQ(rcode_from("127.0.0.6"), 0); // forwarded, answered
  server.stop();
  upstream.stop();
}

} // namespace
} // namespace dockerops::dns
