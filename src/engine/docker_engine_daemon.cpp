#include "engine/docker_engine.hpp"

#include "base/error.hpp"
#include "engine/http_error.hpp"
#include "engine/json_lines.hpp"
#include "engine/json_mapping.hpp"

#include <cstdlib>

namespace dockerops::engine {

DockerEngine::DockerEngine(HostAddress address, std::chrono::seconds timeout)
    : m_http(std::move(address), timeout) {
  // GET /_ping's Api-Version header drives negotiation (as the Go client does).
  HttpResponse response = m_http.perform({.method = "GET", .path = "/_ping"});
  if (response.status >= 400)
    throw http_error(response.status, response.body, "GET", "/_ping");
  auto it = response.headers.find("api-version");
  m_api_version = negotiate_api_version(it == response.headers.end() ? "" : it->second);
}

HttpResponse DockerEngine::call(const HttpRequest& request) {
  HttpResponse response = m_http.perform(request);
  if (response.status >= 400)
    throw http_error(response.status, response.body, request.method, request.path);
  return response;
}

nlohmann::json DockerEngine::call_json(const HttpRequest& request) {
  HttpResponse response = call(request);
  if (response.body.empty())
    return nlohmann::json();
  auto parsed = nlohmann::json::parse(response.body, nullptr, false);
  if (parsed.is_discarded())
    fail(ErrorKind::engine, "{} {}: the Docker daemon sent invalid JSON", request.method, request.path);
  return parsed;
}

std::string DockerEngine::call_json_lines(HttpRequest request,
                                          const std::function<bool(const nlohmann::json&)>& line) {
  std::string error;
  JsonLineSplitter splitter([&](std::string_view text) {
    auto parsed = nlohmann::json::parse(text, nullptr, false);
    if (parsed.is_discarded())
      return true; // progress noise, not worth failing a build over
    // In-stream failures: {"errorDetail":{"message":...},"error":...} (build, pull, import).
    if (error.empty() && parsed.is_object() && (parsed.contains("error") || parsed.contains("errorDetail"))) {
      const auto& detail = parsed.value("errorDetail", nlohmann::json::object());
      if (detail.is_object() && detail.contains("message") && detail["message"].is_string())
        error = detail["message"].get<std::string>();
      else if (parsed.contains("error") && parsed["error"].is_string())
        error = parsed["error"].get<std::string>();
      else
        error = "unknown error";
    }
    return line(parsed);
  });
  request.on_data = [&](std::string_view chunk) { return splitter.feed(chunk); };
  HttpResponse response = call(request);
  if (!response.stopped)
    splitter.finish();
  while (!error.empty() && (error.back() == '\n' || error.back() == ' '))
    error.pop_back();
  return error;
}

void DockerEngine::ping() {
  call({.method = "GET", .path = "/_ping"});
}

VersionInfo DockerEngine::version() {
  return parse_version(call_json({.path = versioned("/version")}));
}

SystemInfo DockerEngine::info() {
  return parse_info(call_json({.path = versioned("/info")}));
}

void DockerEngine::events(const EventOptions& options, const EventCallback& callback) {
  Query query;
  if (options.since > 0)
    query.add("since", static_cast<long long>(options.since));
  if (options.until > 0)
    query.add("until", static_cast<long long>(options.until));
  if (!options.filters.empty())
    query.add("filters", filters_json(options.filters));
  call_json_lines({.path = versioned("/events" + query.str()), .cancelled = options.cancelled},
                  [&](const nlohmann::json& line) { return callback(parse_event(line)); });
}

std::unique_ptr<Engine> connect(const std::string& docker_host) {
  const char* timeout = std::getenv("DOCKEROPS_API_TIMEOUT");
  return std::make_unique<DockerEngine>(parse_docker_host(docker_host),
                                        parse_api_timeout(timeout == nullptr ? "" : timeout));
}

std::unique_ptr<Engine> connect() {
  const char* value = std::getenv("DOCKER_HOST");
  return connect(value == nullptr ? std::string() : std::string(value));
}

} // namespace dockerops::engine
