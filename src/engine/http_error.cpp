#include "engine/http_error.hpp"

#include <nlohmann/json.hpp>

namespace dockerops::engine {

DaemonError http_error(long status, std::string_view body, std::string_view method, std::string_view path) {
  ErrorKind kind = ErrorKind::engine;
  if (status == 404)
    kind = ErrorKind::not_found;
  else if (status == 409)
    kind = ErrorKind::conflict;
  std::string message;
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_object() && parsed.contains("message") && parsed["message"].is_string())
    message = parsed["message"].get<std::string>();
  while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
    message.pop_back();
  if (message.empty())
    message = fmt::format("the Docker daemon answered HTTP {} to {} {}", status, method, path);
  return DaemonError(kind, message, status);
}

Error unreachable_error(std::string_view docker_host, std::string_view reason) {
  return Error(ErrorKind::engine_unreachable,
               fmt::format("cannot reach the Docker daemon at {} ({}); start it with \"dockerd\" or "
                           "\"systemctl start docker\", or set DOCKER_HOST",
                           docker_host, reason));
}

Error timeout_error(std::string_view docker_host, std::string_view method, std::string_view path,
                    long seconds) {
  return Error(ErrorKind::engine_unreachable,
               fmt::format("the Docker daemon at {} did not answer {} {} within {} s; is it hung? "
                           "(DOCKEROPS_API_TIMEOUT sets the limit in seconds)",
                           docker_host, method, path.substr(0, path.find('?')), seconds));
}

} // namespace dockerops::engine
