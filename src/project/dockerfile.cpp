#include "project/dockerfile.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "project/jsonc.hpp"

#include <charconv>

namespace dockerops::project {

namespace {

int parse_port(std::string_view token, const std::string& filename, int line) {
  int port = 0;
  auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), port);
  if (ec != std::errc() || end != token.data() + token.size() || port < 1 || port > 65535)
    fail(ErrorKind::config, "{}:{}: \"{}\" is not a port number (1-65535)", filename, line, token);
  return port;
}

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  for (char c : text) {
    if (c == ' ' || c == '\t') {
      if (!current.empty())
        out.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty())
    out.push_back(std::move(current));
  return out;
}

} // namespace

Dockerfile parse_dockerfile(std::string_view text, const std::string& filename) {
  Dockerfile out;
  int line_number = 0;
  int from_line = 0;
  for (const auto& raw : strings::split(text, '\n')) {
    ++line_number;
    std::string line = strings::trim(raw);
    auto tokens = words(line);
    if (tokens.empty())
      continue;
    std::string keyword = strings::to_upper(tokens[0]);
    if (keyword == "FROM" && tokens.size() >= 2) {
      // FROM [--platform=X] IMAGE [AS NAME]: the last FROM is the final stage (docs/compatibility.md §build).
      std::size_t i = 1;
      while (i < tokens.size() && tokens[i].rfind("--", 0) == 0)
        ++i;
      if (i < tokens.size()) {
        out.from = tokens[i];
        from_line = line_number;
      }
    } else if (keyword == "EXPOSE") {
      for (std::size_t i = 1; i < tokens.size(); ++i) {
        std::string token = tokens[i];
        std::string proto = "tcp";
        if (auto slash = token.find('/'); slash != std::string::npos) {
          proto = strings::to_lower(token.substr(slash + 1));
          token = token.substr(0, slash);
        }
        if (token.find('$') != std::string::npos)
          continue; // build arguments: only the built image knows (ExposedPorts)
        out.expose.push_back(std::to_string(parse_port(token, filename, line_number)) + "/" + proto);
      }
    } else if (tokens[0] == "#UDP_EXPOSE" || tokens[0] == "#UDPEXPOSE") {
      for (std::size_t i = 1; i < tokens.size(); ++i)
        out.udp_expose.push_back(parse_port(tokens[i], filename, line_number));
    } else if (tokens[0] == "#EXPOSE_AS") {
      std::string rest = tokens.size() >= 2 ? strings::join({tokens.begin() + 1, tokens.end()}, "") : "";
      auto parts = strings::split(rest, ',');
      if (parts.size() != 2)
        fail(ErrorKind::config,
             "{}:{}: #EXPOSE_AS needs CONTAINER_PORT,HOST_PORT (e.g. #EXPOSE_AS 9000,19000)", filename,
             line_number);
      out.expose_as.push_back({parse_port(strings::trim(parts[0]), filename, line_number),
                               parse_port(strings::trim(parts[1]), filename, line_number)});
    }
  }
  if (out.from.empty())
    fail(ErrorKind::config, "{}: no FROM line", filename);
  if (out.from.rfind("dockerops/dockerops-", 0) == 0)
    fail(ErrorKind::config, "{}:{}: \"{}\" is an image of the old DockerOps; use \"FROM dockerops/base\"",
         filename, from_line, out.from);
  return out;
}

std::string local_parent(const Dockerfile& dockerfile, std::string_view project) {
  std::string prefix = std::string(project) + "/";
  if (dockerfile.from.rfind(prefix, 0) != 0)
    return {};
  std::string rest = dockerfile.from.substr(prefix.size());
  return rest.substr(0, rest.find(':'));
}

std::vector<std::string> parse_required_vars(std::string_view text, const std::string& filename) {
  std::vector<std::string> out;
  if (strings::trim(text).empty())
    return out;
  JsonValue root = parse_jsonc(text, filename);
  if (root.type != JsonValue::Type::array)
    fail(ErrorKind::config, "{}:{}: must be a list of variable names, not {}", filename, root.line,
         root.type_name());
  for (const auto& item : root.items) {
    if (item.type != JsonValue::Type::string || item.string.empty())
      fail(ErrorKind::config, "{}:{}: must be a list of variable names; found {}", filename, item.line,
           item.type_name());
    out.push_back(item.string);
  }
  return out;
}

} // namespace dockerops::project
