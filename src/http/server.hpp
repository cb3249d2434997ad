#pragma once

#include "http/router.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace dockerops::http {

// Where and how the server listens.
struct ServerOptions {
  std::string address = "127.0.0.1"; // an IPv4 or IPv6 literal
  std::uint16_t port = 0;            // 0 = a free port chosen by the kernel
  std::string token{};               // every request needs "Authorization: Bearer <token>"
  // Paths served without the token (the status page's assets, which carry no data); null = none.
  std::function<bool(const std::string& path)> is_public{};
  // Called after each answered request (status, method, path), e.g. for a debug log.
  std::function<void(int status, const std::string& method, const std::string& path)> on_request{};
};

struct ServerInternals;

// The agent's HTTP/1.1 server on libmicrohttpd (ARCHITECTURE.md says why): one event thread with
// epoll serves every connection; streams (SSE) and deferred responses park their connection
// until there is something to send, so a hundred idle event streams cost no thread and cannot
// starve the API. Every request is bounded (limits.hpp) and authenticated before routing; errors
// are JSON with an honest status; a handler that throws gets a 500 that names the bug.
class Server {
public:
  Server(ServerOptions options, Router router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts serving; throws an io Error naming the address when it cannot.
  void start();

  // Ends every stream, answers parked requests with 503, and stops. Idempotent.
  void stop();

  // The bound port (the chosen one when the options said 0).
  std::uint16_t port() const;

  // "http://127.0.0.1:41234" ("http://[::1]:41234" for IPv6).
  std::string base_url() const;

  // Requests answered so far (any status): the API's `api_requests`.
  std::uint64_t requests() const;

private:
  std::unique_ptr<ServerInternals> m_internals;
};

// True for 127.0.0.0/8 and ::1: anything else needs an explicit flag and a warning.
bool is_loopback(const std::string& address);

} // namespace dockerops::http
