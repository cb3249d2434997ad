// The latency metric's probe on real sockets on 127.0.0.1: an HTTP answer or a TCP connect is
// timed, a probe still unanswered at the timeout counts as the timeout, a refused connection or an
// answer that is not HTTP gives no figure; an instance's figure is the median of its last 3 probes.
#include "agent/latency_probe.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

using namespace dockerops;
using namespace dockerops::agent;

namespace {

// A listening socket on 127.0.0.1 (an ephemeral port); `answer` non-empty: one accept, read the
// request, write it, close.
class Listener {
public:
  explicit Listener(std::string answer = "") {
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(m_fd, 4), 0);
    socklen_t length = sizeof addr;
    ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &length);
    port = ntohs(addr.sin_port);
    if (!answer.empty())
      m_thread = std::thread([this, answer] {
        int c = ::accept(m_fd, nullptr, nullptr);
        if (c < 0)
          return;
        char buffer[1024];
        std::string request;
        while (request.find("\r\n\r\n") == std::string::npos) {
          ssize_t n = ::recv(c, buffer, sizeof buffer, 0);
          if (n <= 0)
            break;
          request.append(buffer, static_cast<std::size_t>(n));
        }
        received = request;
        ::send(c, answer.data(), answer.size(), MSG_NOSIGNAL);
        ::close(c);
      });
  }
  ~Listener() {
    ::shutdown(m_fd, SHUT_RDWR);
    if (m_thread.joinable())
      m_thread.join();
    ::close(m_fd);
  }
  int port = 0;
  std::string received{};

private:
  int m_fd = -1;
  std::thread m_thread{};
};

// A port nothing listens on: bound, then closed.
int closed_port() {
  Listener l;
  return l.port;
}

} // namespace

TEST(AgentLatencyProbe, TimesAnHttpGetAndATcpConnect) {
  Listener http("HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n");
  Listener tcp;
  auto results =
      probe_all({{"web/w1", "127.0.0.1", http.port, "/health"}, {"web/w2", "127.0.0.1", tcp.port, ""}},
                std::chrono::milliseconds(5000));
  ASSERT_EQ(results.size(), 2u);
  EXPECT_TRUE(results["web/w1"].ms) << results["web/w1"].error;
  EXPECT_EQ(results["web/w1"].error, "");
  EXPECT_TRUE(results["web/w2"].ms) << results["web/w2"].error;
  EXPECT_EQ(http.received.substr(0, 24), "GET /health HTTP/1.0\r\nHo");
}

TEST(AgentLatencyProbe, NoAnswerCountsAsTheTimeoutRefusedAndNotHttpAsNoFigure) {
  Listener silent; // the kernel accepts the connection; nobody ever answers the GET
  Listener garbage("SSH-2.0-OpenSSH\r\n");
  int refused = closed_port();
  auto results = probe_all({{"web/w1", "127.0.0.1", silent.port, "/"},
                            {"web/w2", "127.0.0.1", garbage.port, "/"},
                            {"web/w3", "127.0.0.1", refused, "/"},
                            {"web/w4", "not-an-ip", 80, ""}},
                           std::chrono::milliseconds(300));
  ASSERT_TRUE(results["web/w1"].ms);
  EXPECT_DOUBLE_EQ(*results["web/w1"].ms, 300.0);
  EXPECT_EQ(results["web/w1"].error, "no answer within 300 ms");
  EXPECT_FALSE(results["web/w2"].ms);
  EXPECT_EQ(results["web/w2"].error, "the answer is not HTTP");
  EXPECT_FALSE(results["web/w3"].ms);
  EXPECT_EQ(results["web/w3"].error.rfind("connect: ", 0), 0u) << results["web/w3"].error;
  EXPECT_FALSE(results["web/w4"].ms);
}

TEST(AgentLatencyProbe, AnInstancesFigureIsTheMedianOfItsLastThreeProbes) {
  LatencyWindow w;
  auto pass = [&](std::map<std::string, std::optional<double>> values) {
    std::map<std::string, ProbeResult> results;
    for (const auto& [key, ms] : values)
      results[key] = {ms, ms ? "" : "connect: Connection refused"};
    w.record(results);
    return w.medians();
  };
  EXPECT_EQ(pass({{"web/w1", 10.0}}), (std::map<std::string, double>{{"web/w1", 10.0}}));
  EXPECT_EQ(pass({{"web/w1", 30.0}, {"web/w2", std::nullopt}}),
            (std::map<std::string, double>{{"web/w1", 20.0}}));
  EXPECT_EQ(pass({{"web/w1", 500.0}, {"web/w2", 7.0}}),
            (std::map<std::string, double>{{"web/w1", 30.0}, {"web/w2", 7.0}})); // one outlier: no change
  EXPECT_EQ(pass({{"web/w1", 400.0}, {"web/w2", 8.0}}),
            (std::map<std::string, double>{{"web/w1", 400.0}, {"web/w2", 7.5}})); // 30, 500, 400
  // A failed probe starts the instance again empty; one not probed any more is forgotten.
  EXPECT_EQ(pass({{"web/w1", std::nullopt}}), (std::map<std::string, double>{}));
  EXPECT_EQ(pass({{"web/w1", 5.0}}), (std::map<std::string, double>{{"web/w1", 5.0}}));
}

TEST(AgentLatencyProbe, ProbesOnlyTheRunningInstancesOfLatencyEntries) {
  AutoscaledEntry latency;
  latency.service = "web";
  latency.prefix = "w";
  latency.spec.metric = project::AutoscaleMetric::latency;
  latency.spec.probe = project::AutoscaleProbe{8080, "/ping"};
  AutoscaledEntry cpu = latency;
  cpu.service = "api";
  cpu.spec.metric = project::AutoscaleMetric::cpu;
  cpu.spec.probe.reset();
  auto instance = [](std::string service, std::string name, std::string state, std::string ip) {
    InstanceView v;
    v.observed.service = std::move(service);
    v.observed.instance = std::move(name);
    v.observed.state = std::move(state);
    v.observed.ip = std::move(ip);
    return v;
  };
  auto targets = probe_targets({latency, cpu}, {instance("web", "w1", "running", "172.30.0.5"),
                                                instance("web", "w2", "exited", "172.30.0.6"),
                                                instance("web", "w3", "running", ""),
                                                instance("web", "other", "running", "172.30.0.7"),
                                                instance("api", "w1", "running", "172.30.0.8")});
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].key, "web/w1");
  EXPECT_EQ(targets[0].ip, "172.30.0.5");
  EXPECT_EQ(targets[0].port, 8080);
  EXPECT_EQ(targets[0].path, "/ping");
  EXPECT_EQ(probe_timeout(std::chrono::seconds(5)), std::chrono::milliseconds(2000));
  EXPECT_EQ(probe_timeout(std::chrono::seconds(1)), std::chrono::milliseconds(500));
}
