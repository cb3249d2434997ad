#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dockerops::http {

class Stream;
class Deferred;

// One request as the handlers see it: the path already split and percent-decoded, the query
// decoded, header names lowercased, the body read whole (it is bounded by k_max_body).
struct Request {
  std::string method{};                       // "GET", "POST"...; HEAD is routed as GET
  std::string path{};                         // as received, without the query
  std::vector<std::string> segments{};        // decoded path segments
  std::map<std::string, std::string> query{}; // decoded; a repeated key keeps its last value
  std::map<std::string, std::string> headers{};
  std::string body{};
  std::map<std::string, std::string> params{}; // route parameters ({service} -> "web")

  // The header's value, or "" when absent (`name` in lowercase).
  std::string header(std::string_view name) const;
  // The query value, or nullopt.
  std::optional<std::string> query_value(std::string_view key) const;
};

// What a handler answers: a status and a body, or a stream (SSE) whose body comes later, or a
// deferred response that another thread completes (e.g. a restart the agent carries out).
struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body{};
  std::vector<std::pair<std::string, std::string>> headers{};
  std::shared_ptr<Stream> stream{};
  std::shared_ptr<Deferred> deferred{};
};

// A JSON body with a status (the body ends with a newline, for curl users).
Response json_response(int status, const nlohmann::json& body);

// The API's error shape: {"error": "message"} with an honest status (docs/decisions.md 30).
Response error_response(int status, std::string_view message);

// A text body (Prometheus metrics, plain text).
Response text_response(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");

// The reason phrase of a status ("Not Found"), for messages and tests.
std::string_view status_text(int status);

} // namespace dockerops::http
