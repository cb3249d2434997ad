#include "http/target.hpp"

namespace dockerops::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

std::optional<std::string> decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size())
        return std::nullopt;
      int high = hex_value(text[i + 1]);
      int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0)
        return std::nullopt;
      c = static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0')
      return std::nullopt;
    out += c;
  }
  return out;
}

} // namespace

std::optional<std::string> percent_decode(std::string_view text) {
  return decode(text, false);
}

std::optional<std::string> query_decode(std::string_view text) {
  return decode(text, true);
}

PathParts split_path(std::string_view path) {
  PathParts parts;
  if (path.empty() || path.front() != '/') {
    parts.error = "the path must start with '/'";
    return parts;
  }
  path.remove_prefix(1);
  if (!path.empty() && path.back() == '/')
    path.remove_suffix(1);
  if (path.empty())
    return parts;
  std::size_t start = 0;
  while (true) {
    std::size_t slash = path.find('/', start);
    std::string_view raw = path.substr(start, slash == std::string_view::npos ? path.npos : slash - start);
    auto decoded = percent_decode(raw);
    if (!decoded) {
      parts.error = "bad percent-encoding in the path";
      return parts;
    }
    if (*decoded == "." || *decoded == "..") {
      parts.error = "\".\" and \"..\" are not allowed in the path";
      return parts;
    }
    if (decoded->find('/') != std::string::npos) {
      parts.error = "an encoded '/' is not allowed in the path";
      return parts;
    }
    parts.segments.push_back(std::move(*decoded));
    if (slash == std::string_view::npos)
      break;
    start = slash + 1;
  }
  return parts;
}

} // namespace dockerops::http
