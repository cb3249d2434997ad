#include "http/router.hpp"

#include "base/strings.hpp"

#include <algorithm>

namespace dockerops::http {
namespace {

bool is_parameter(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Binds the pattern's parameters, or returns false when the segments do not fit it.
bool fits(const std::vector<std::string>& pattern, const std::vector<std::string>& segments,
          std::map<std::string, std::string>& params) {
  if (pattern.size() != segments.size())
    return false;
  std::map<std::string, std::string> bound;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (is_parameter(pattern[i])) {
      if (segments[i].empty())
        return false;
      bound[pattern[i].substr(1, pattern[i].size() - 2)] = segments[i];
    } else if (pattern[i] != segments[i]) {
      return false;
    }
  }
  params = std::move(bound);
  return true;
}

} // namespace

void Router::add(std::string method, std::string pattern, Handler handler) {
  std::vector<std::string> parts = strings::split(pattern, '/');
  parts.erase(parts.begin()); // the empty part before the leading '/'
  if (parts.size() == 1 && parts.front().empty())
    parts.clear(); // "/" has no segments, as split_path() says of a request for "/"
  m_patterns.push_back(std::move(parts));
  m_routes.push_back({std::move(method), std::move(pattern), std::move(handler)});
}

Match Router::match(const std::string& method, const std::vector<std::string>& segments) const {
  Match result;
  const std::string& wanted = method == "HEAD" ? std::string("GET") : method;
  for (std::size_t i = 0; i < m_routes.size(); ++i) {
    std::map<std::string, std::string> params;
    if (!fits(m_patterns[i], segments, params))
      continue;
    if (m_routes[i].method == wanted) {
      result.route = &m_routes[i];
      result.params = std::move(params);
      result.allowed.clear();
      return result;
    }
    if (std::find(result.allowed.begin(), result.allowed.end(), m_routes[i].method) == result.allowed.end())
      result.allowed.push_back(m_routes[i].method);
  }
  return result;
}

Response Router::dispatch(Request& request) const {
  Match found = match(request.method, request.segments);
  if (found.route == nullptr && found.allowed.empty())
    return error_response(404, "no such route: " + request.path);
  if (found.route == nullptr) {
    Response response =
        error_response(405, "method " + request.method + " is not allowed on " + request.path +
                                " (allowed: " + strings::join(found.allowed, ", ") + ")");
    response.headers.emplace_back("Allow", strings::join(found.allowed, ", "));
    return response;
  }
  request.params = std::move(found.params);
  return found.route->handler(request);
}

std::vector<std::string> Router::describe() const {
  std::vector<std::string> lines;
  for (const auto& route : m_routes)
    lines.push_back(route.method + " " + route.pattern);
  return lines;
}

} // namespace dockerops::http
