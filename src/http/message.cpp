#include "http/message.hpp"

namespace dockerops::http {

std::string Request::header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? std::string() : it->second;
}

std::optional<std::string> Request::query_value(std::string_view key) const {
  auto it = query.find(std::string(key));
  if (it == query.end())
    return std::nullopt;
  return it->second;
}

Response json_response(int status, const nlohmann::json& body) {
  Response response;
  response.status = status;
  // Invalid UTF-8 from a container (names, labels) is replaced, never a throw mid-request.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  response.body += '\n';
  return response;
}

Response error_response(int status, std::string_view message) {
  return json_response(status, nlohmann::json{{"error", message}});
}

Response text_response(int status, std::string body, std::string content_type) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.content_type = std::move(content_type);
  return response;
}

std::string_view status_text(int status) {
  switch (status) {
  case 200:
    return "OK";
  case 202:
    return "Accepted";
  case 204:
    return "No Content";
  case 304:
    return "Not Modified";
  case 400:
    return "Bad Request";
  case 401:
    return "Unauthorized";
  case 404:
    return "Not Found";
  case 405:
    return "Method Not Allowed";
  case 409:
    return "Conflict";
  case 413:
    return "Content Too Large";
  case 414:
    return "URI Too Long";
  case 415:
    return "Unsupported Media Type";
  case 429:
    return "Too Many Requests";
  case 500:
    return "Internal Server Error";
  case 503:
    return "Service Unavailable";
  default:
    return "Unknown";
  }
}

} // namespace dockerops::http
