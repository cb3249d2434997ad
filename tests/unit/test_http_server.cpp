// The real server on a loopback port (no daemon needed): bounds, auth before routing, JSON
// errors, path tricks, streams, parked requests, and clients that hold connections.

#include "http/deferred.hpp"
#include "http/limits.hpp"
#include "http/server.hpp"
#include "http/sse.hpp"
#include "http/stream.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

namespace dockerops::http {
namespace {

const std::string k_token = "0123456789abcdef";

// A raw TCP client: what a test sends is exactly what the server sees.
class RawClient {
public:
  explicit RawClient(std::uint16_t port) {
    m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{10, 0};
    setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    m_connected = ::connect(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawClient() { ::close(m_fd); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return m_connected; }
  bool send(const std::string& bytes) {
    return ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }
  // Reads until `marker` appears in what was received, the peer closes, or 10 s pass.
  std::string read_until(const std::string& marker) {
    char buffer[4096];
    while (m_received.find(marker) == std::string::npos) {
      ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
      if (n <= 0)
        break;
      m_received.append(buffer, static_cast<std::size_t>(n));
    }
    return m_received;
  }
  std::string read_all() { return read_until("\x01never\x01"); }

private:
  int m_fd = -1;
  bool m_connected = false;
  std::string m_received{};
};

int status_of(const std::string& response) {
  return response.size() > 12 ? std::atoi(response.substr(9, 3).c_str()) : 0;
}

std::string body_of(const std::string& response) {
  auto at = response.find("\r\n\r\n");
  return at == std::string::npos ? "" : response.substr(at + 4);
}

std::string request(const std::string& method, const std::string& target, const std::string& extra = "",
                    const std::string& token = k_token) {
  std::string text = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n";
  if (!token.empty())
    text += "Authorization: Bearer " + token + "\r\n";
  return text + extra + "\r\n";
}

class HttpServerTest : public ::testing::Test {
protected:
  void SetUp() override {
    Router router;
    router.add("GET", "/api/v1/ping", [](Request&) { return json_response(200, {{"pong", true}}); });
    router.add("POST", "/api/v1/echo", [](Request& r) {
      return json_response(200, {{"length", r.body.size()}, {"query", r.query}});
    });
    router.add("GET", "/api/v1/throw", [](Request&) -> Response { throw std::runtime_error("a bug"); });
    router.add("GET", "/api/v1/events", [this](Request&) {
      auto stream = std::make_shared<Stream>(k_max_stream_backlog);
      stream->push(sse_retry(k_sse_retry_ms));
      std::lock_guard lock(m_mutex);
      m_streams.push_back(stream);
      Response response;
      response.content_type = "text/event-stream";
      response.stream = stream;
      return response;
    });
    router.add("POST", "/api/v1/slow", [this](Request&) {
      auto deferred = std::make_shared<Deferred>();
      std::lock_guard lock(m_mutex);
      m_deferred.push_back(deferred);
      Response response;
      response.deferred = deferred;
      return response;
    });
    ServerOptions options;
    options.token = k_token;
    m_server = std::make_unique<Server>(options, std::move(router));
    m_server->start();
  }
  void TearDown() override { m_server->stop(); }

  std::string exchange(const std::string& text) {
    RawClient client(m_server->port());
    EXPECT_TRUE(client.connected());
    client.send(text);
    return client.read_all();
  }
  void broadcast(const std::string& bytes) {
    std::lock_guard lock(m_mutex);
    for (auto& s : m_streams)
      s->push(bytes);
  }
  std::size_t stream_count() {
    std::lock_guard lock(m_mutex);
    return m_streams.size();
  }

  std::unique_ptr<Server> m_server;
  std::mutex m_mutex;
  std::vector<std::shared_ptr<Stream>> m_streams;
  std::vector<std::shared_ptr<Deferred>> m_deferred;
};

TEST_F(HttpServerTest, AnswersWithTheTokenOnly) {
  std::string ok = exchange(request("GET", "/api/v1/ping"));
  EXPECT_EQ(status_of(ok), 200);
  EXPECT_EQ(body_of(ok), "{\"pong\":true}\n");
  EXPECT_NE(ok.find("Content-Type: application/json"), std::string::npos);
  std::string none = exchange(request("GET", "/api/v1/ping", "", ""));
  EXPECT_EQ(status_of(none), 401);
  EXPECT_NE(none.find("WWW-Authenticate: Bearer realm=\"dockerops\""), std::string::npos);
  EXPECT_NE(body_of(none).find("{\"error\":\"missing bearer token"), std::string::npos);
  EXPECT_EQ(status_of(exchange(request("GET", "/api/v1/ping", "", "0123456789abcdeX"))), 401);
  EXPECT_EQ(status_of(exchange(request("GET", "/api/v1/ping", "Authorization: Basic eDp5\r\n", ""))), 401);
  // Authentication comes before routing: an unknown route says nothing without the token.
  EXPECT_EQ(status_of(exchange(request("GET", "/api/v1/secret", "", ""))), 401);
  EXPECT_EQ(m_server->requests(), 5u);
}

TEST_F(HttpServerTest, RoutesWithHonestStatuses) {
  std::string missing = exchange(request("GET", "/api/v1/nothing"));
  EXPECT_EQ(status_of(missing), 404);
  EXPECT_EQ(body_of(missing), "{\"error\":\"no such route: /api/v1/nothing\"}\n");
  std::string wrong = exchange(request("DELETE", "/api/v1/ping"));
  EXPECT_EQ(status_of(wrong), 405);
  EXPECT_NE(wrong.find("Allow: GET"), std::string::npos);
  std::string bug = exchange(request("GET", "/api/v1/throw"));
  EXPECT_EQ(status_of(bug), 500);
  EXPECT_EQ(body_of(bug), "{\"error\":\"internal error: a bug\"}\n");
  std::string query = exchange(request("POST", "/api/v1/echo?a=b%20c&d=e+f", "Content-Length: 0\r\n"));
  EXPECT_EQ(body_of(query), "{\"length\":0,\"query\":{\"a\":\"b c\",\"d\":\"e f\"}}\n");
}

TEST_F(HttpServerTest, RefusesPathTricks) {
  for (const char* path : {"/api/v1/../v1/ping", "/api/v1/%2e%2e/v1/ping", "/api/v1/%2E%2e/ping",
                           "/api/v1/ping/..", "/api/%2fv1/ping", "/api/v1/pi%zzng", "/api/v1/ping%00"}) {
    std::string response = exchange(request("GET", path));
    EXPECT_EQ(status_of(response), 400) << path;
    EXPECT_EQ(body_of(response).rfind("{\"error\":\"bad path: ", 0), 0u) << path;
  }
  EXPECT_EQ(status_of(exchange(request("GET", "/api/v1/ping?x=%zz"))), 400);
  std::string long_path = "/api/v1/" + std::string(k_max_target, 'a');
  std::string too_long = exchange(request("GET", long_path));
  EXPECT_EQ(status_of(too_long), 414);
  EXPECT_EQ(body_of(too_long), "{\"error\":\"the request target is longer than 8192 bytes\"}\n");
  // Beyond the connection's memory the library refuses on its own (431 or 414): still a 4xx.
  int huge = status_of(exchange(request("GET", "/api/v1/" + std::string(200 * 1024, 'a'))));
  EXPECT_GE(huge, 400);
  EXPECT_LT(huge, 500);
  int headers =
      status_of(exchange(request("GET", "/api/v1/ping", "X-Big: " + std::string(100 * 1024, 'b') + "\r\n")));
  EXPECT_GE(headers, 400);
  EXPECT_LT(headers, 500);
  // A request line that is not HTTP: the library answers 400 or closes; either way no crash.
  for (const char* junk :
       {"GARBAGE\r\n\r\n", "GET\r\n\r\n", "\x01\x02\x03\r\n\r\n", "GET / HTTP/1.1\r\nBad Header\r\n\r\n"}) {
    int status = status_of(exchange(junk));
    EXPECT_TRUE(status == 0 || status == 400) << junk << ": " << status;
  }
  EXPECT_EQ(status_of(exchange(request("GET", "/api/v1/ping"))), 200);
}

TEST_F(HttpServerTest, BoundsBodies) {
  std::string exact(k_max_body, 'x');
  std::string fits = exchange(
      request("POST", "/api/v1/echo", "Content-Length: " + std::to_string(exact.size()) + "\r\n") + exact);
  EXPECT_EQ(body_of(fits), "{\"length\":1048576,\"query\":{}}\n");
  // Announced too large: refused before the body is read.
  std::string announced = exchange(request("POST", "/api/v1/echo", "Content-Length: 2097152\r\n"));
  EXPECT_EQ(status_of(announced), 413);
  EXPECT_EQ(body_of(announced), "{\"error\":\"the request body is larger than 1 MiB\"}\n");
  // Chunked, growing past the bound: read and dropped, then refused.
  std::string chunked = request("POST", "/api/v1/echo", "Transfer-Encoding: chunked\r\n");
  std::string chunk(64 * 1024, 'y');
  for (int i = 0; i < 20; ++i)
    chunked += "10000\r\n" + chunk + "\r\n";
  chunked += "0\r\n\r\n";
  std::string refused = exchange(chunked);
  EXPECT_EQ(status_of(refused), 413);
  EXPECT_EQ(status_of(exchange(request("POST", "/api/v1/echo", "Content-Length: nope\r\n"))), 400);
  // Unauthenticated bodies are never read: 401 first.
  EXPECT_EQ(status_of(exchange(request("POST", "/api/v1/echo", "Content-Length: 2097152\r\n", ""))), 401);
}

TEST_F(HttpServerTest, StreamsToManyClientsWithoutStarvingRequests) {
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 100; ++i) {
    clients.push_back(std::make_unique<RawClient>(m_server->port()));
    clients.back()->send(request("GET", "/api/v1/events"));
  }
  for (auto& c : clients)
    EXPECT_NE(c->read_until("retry: 2000\n\n").find("text/event-stream"), std::string::npos);
  EXPECT_EQ(stream_count(), 100u);
  // With every stream open and idle, plain requests are still answered, one after another.
  for (int i = 0; i < 50; ++i)
    ASSERT_EQ(status_of(exchange(request("GET", "/api/v1/ping"))), 200);
  broadcast(sse_event("{\"n\":1}", "event", "1"));
  for (auto& c : clients)
    EXPECT_NE(c->read_until("data: {\"n\":1}\n\n").find("id: 1\n"), std::string::npos);
  m_server->stop(); // ends every stream: each client sees the end of the chunked body
  for (auto& c : clients)
    EXPECT_NE(c->read_all().find("0\r\n\r\n"), std::string::npos);
}

TEST_F(HttpServerTest, SlowClientsDoNotBlockOthers) {
  std::vector<std::unique_ptr<RawClient>> slow;
  for (int i = 0; i < 50; ++i) {
    slow.push_back(std::make_unique<RawClient>(m_server->port()));
    slow.back()->send("GET /api/v1/ping HTTP/1.1\r\nHost: loc"); // and nothing more
  }
  RawClient half(m_server->port());
  half.send(request("POST", "/api/v1/echo", "Content-Length: 100\r\n") + "only part of it");
  for (int i = 0; i < 20; ++i)
    ASSERT_EQ(status_of(exchange(request("GET", "/api/v1/ping"))), 200);
}

TEST_F(HttpServerTest, ParkedRequestsAnswerWhenDone) {
  std::thread completer([this] {
    while (true) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      std::lock_guard lock(m_mutex);
      if (!m_deferred.empty()) {
        m_deferred.front()->complete(json_response(200, {{"done", true}}));
        return;
      }
    }
  });
  std::string done = exchange(request("POST", "/api/v1/slow", "Content-Length: 2\r\n") + "{}");
  completer.join();
  EXPECT_EQ(status_of(done), 200);
  EXPECT_EQ(body_of(done), "{\"done\":true}\n");
  // A request still parked when the server stops gets a 503, not a hang.
  RawClient parked(m_server->port());
  parked.send(request("POST", "/api/v1/slow", "Content-Length: 0\r\n"));
  while (true) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::lock_guard lock(m_mutex);
    if (m_deferred.size() == 2)
      break;
  }
  m_server->stop();
  EXPECT_EQ(status_of(parked.read_all()), 503);
}

TEST(HttpServer, KnowsLoopbackAddresses) {
  EXPECT_TRUE(is_loopback("127.0.0.1"));
  EXPECT_TRUE(is_loopback("127.3.2.1"));
  EXPECT_TRUE(is_loopback("::1"));
  EXPECT_FALSE(is_loopback("0.0.0.0"));
  EXPECT_FALSE(is_loopback("::"));
  EXPECT_FALSE(is_loopback("192.168.1.2"));
  EXPECT_FALSE(is_loopback("localhost"));
}

} // namespace
} // namespace dockerops::http
