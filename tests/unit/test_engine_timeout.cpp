// Issue 20 item 4: a daemon socket that accepts and never answers must not hang dockerops. A local
// unix socket plays the hung daemon (no Docker involved): each test fails if a call blocks forever,
// since ctest's timeout then kills it.
#include "base/error.hpp"
#include "engine/docker_engine.hpp"
#include "engine/hijack.hpp"
#include "engine/http_client.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

using namespace dockerops;
using namespace dockerops::engine;

namespace {

// A unix socket that accepts every connection; `reply(fd)` runs on each (default: say nothing).
class SilentDaemon {
public:
  explicit SilentDaemon(std::function<void(int)> reply = {}) : m_reply(std::move(reply)) {
    char dir_template[] = "/tmp/dockerops-silent-XXXXXX";
    m_dir = mkdtemp(dir_template);
    m_path = m_dir + "/docker.sock";
    m_listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", m_path.c_str());
    EXPECT_EQ(bind(m_listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(listen(m_listener, 16), 0);
    m_thread = std::thread([this] {
      for (;;) {
        int fd = accept(m_listener, nullptr, nullptr);
        if (fd < 0 || m_stopping)
          return;
        m_accepted.push_back(fd);
        if (m_reply)
          m_reply(fd);
      }
    });
  }
  ~SilentDaemon() {
    m_stopping = true;
    shutdown(m_listener, SHUT_RDWR);
    m_thread.join();
    close(m_listener);
    for (int fd : m_accepted)
      close(fd);
    std::filesystem::remove_all(m_dir);
  }
  std::string host() const { return "unix://" + m_path; }

private:
  std::function<void(int)> m_reply;
  std::string m_dir;
  std::string m_path;
  int m_listener = -1;
  std::atomic<bool> m_stopping{false};
  std::vector<int> m_accepted;
  std::thread m_thread;
};

std::string message_of(const std::function<void()>& f, ErrorKind expected = ErrorKind::engine_unreachable) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), expected) << e.what();
    return e.what();
  }
  return "no error";
}

} // namespace

TEST(ApiTimeout, ParsesTheVariable) {
  EXPECT_EQ(parse_api_timeout(""), std::chrono::seconds(60));
  EXPECT_EQ(parse_api_timeout("5"), std::chrono::seconds(5));
  EXPECT_EQ(message_of([] { parse_api_timeout("0"); }, ErrorKind::usage),
            "DOCKEROPS_API_TIMEOUT=0: must be a whole number of seconds from 1 to 86400");
  EXPECT_EQ(message_of([] { parse_api_timeout("1.5"); }, ErrorKind::usage),
            "DOCKEROPS_API_TIMEOUT=1.5: must be a whole number of seconds from 1 to 86400");
  EXPECT_EQ(message_of([] { parse_api_timeout("99999999999999999999"); }, ErrorKind::usage).substr(0, 43),
            "DOCKEROPS_API_TIMEOUT=99999999999999999999:");
}

TEST(ApiTimeout, ACallToASilentDaemonFailsNamingTheSocket) {
  SilentDaemon daemon;
  HttpClient client(parse_docker_host(daemon.host()), std::chrono::seconds(1));
  EXPECT_EQ(message_of([&] { client.perform({.path = "/v1.41/containers/json?all=1"}); }),
            "the Docker daemon at " + daemon.host() +
                " did not answer GET /v1.41/containers/json within 1 s; is it hung? (DOCKEROPS_API_TIMEOUT "
                "sets the limit in seconds)");
  // The constructor's ping is bounded too (`version` and every command start with it).
  EXPECT_NE(message_of([&] {
              DockerEngine engine(parse_docker_host(daemon.host()), std::chrono::seconds(1));
            }).find("did not answer GET /_ping within 1 s"),
            std::string::npos);
}

TEST(ApiTimeout, AStreamWithoutAHeadStalls) {
  SilentDaemon daemon;
  HttpClient client(parse_docker_host(daemon.host()), std::chrono::seconds(1));
  HttpRequest logs{.path = "/v1.41/containers/x/logs?follow=1",
                   .on_data = [](std::string_view) { return true; }};
  EXPECT_NE(message_of([&] {
              client.perform(logs);
            }).find("did not answer GET /v1.41/containers/x/logs within 1 s"),
            std::string::npos);
  HttpRequest wait{.method = "POST", .path = "/v1.41/containers/x/wait", .open_ended = true};
  EXPECT_NE(message_of([&] { client.perform(wait); }).find("did not answer POST"), std::string::npos);
  EXPECT_NE(message_of([&] {
              HijackedStream stream(parse_docker_host(daemon.host()), std::chrono::seconds(1), "POST",
                                    "/v1.41/exec/x/start", "{}");
            }).find("did not answer POST /v1.41/exec/x/start within 1 s"),
            std::string::npos);
}

TEST(ApiTimeout, AStreamMayStayQuietAfterItsHead) {
  // logs -f and events are silent for as long as nothing happens: only the head is timed.
  SilentDaemon daemon([](int fd) {
    std::thread([fd] {
      char request[4096];
      (void)!read(fd, request, sizeof(request));
      std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
      (void)!write(fd, head.data(), head.size());
      std::this_thread::sleep_for(std::chrono::milliseconds(2500));
      std::string body = "5\r\nhello\r\n0\r\n\r\n";
      (void)!write(fd, body.data(), body.size());
    }).detach();
  });
  HttpClient client(parse_docker_host(daemon.host()), std::chrono::seconds(1));
  std::string received;
  HttpResponse response = client.perform({.path = "/v1.41/events", .on_data = [&](std::string_view chunk) {
                                            received.append(chunk);
                                            return true;
                                          }});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(received, "hello");
}
