#pragma once

#include "http/message.hpp"

#include <functional>
#include <string>
#include <vector>

namespace dockerops::http {

// Answers one routed request. Runs on the server's event thread: it must not block (read a
// snapshot, start a stream, or hand the work to another thread with a Deferred).
using Handler = std::function<Response(Request&)>;

// One route: a method and a pattern of segments where "{name}" matches any one segment and
// binds it in Request::params ("/api/v1/instances/{service}/{instance}/restart").
struct Route {
  std::string method;
  std::string pattern;
  Handler handler;
};

// What matching a request found.
struct Match {
  const Route* route = nullptr;                // the route, or nullptr
  std::vector<std::string> allowed{};          // when the path matched other methods only (405)
  std::map<std::string, std::string> params{}; // bound parameters of the route
};

// The route table. Pure: no I/O, unit-tested on its own.
class Router {
public:
  void add(std::string method, std::string pattern, Handler handler);

  // The route for a method and decoded segments. HEAD matches GET routes.
  Match match(const std::string& method, const std::vector<std::string>& segments) const;

  // Dispatches: 404 with the path when nothing matches, 405 with an Allow header when only the
  // method is wrong, else the handler's response.
  Response dispatch(Request& request) const;

  // Every route ("GET /api/v1/state"), in the order added: the OpenAPI test compares it with
  // the document.
  std::vector<std::string> describe() const;

private:
  std::vector<Route> m_routes{};
  std::vector<std::vector<std::string>> m_patterns{};
};

} // namespace dockerops::http
