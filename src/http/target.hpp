#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The request target, taken apart by the server rather than by the HTTP library, so that every
// trick in a path (%2e%2e, %00, %2f, bad escapes) is seen and refused in one place.
namespace dockerops::http {

// Decodes %XX escapes (and nothing else: '+' stays '+' in paths). nullopt for a truncated or
// non-hex escape and for a decoded NUL.
std::optional<std::string> percent_decode(std::string_view text);

// The same for a query component, where '+' also means a space (HTML forms).
std::optional<std::string> query_decode(std::string_view text);

// A path split into decoded segments, or why it is refused.
struct PathParts {
  std::vector<std::string> segments{};
  std::string error{}; // empty = fine
};

// Splits an absolute path ("/api/v1/state") on '/' and decodes each segment. Refused (a 400):
// a path not starting with '/', bad escapes, a NUL, "." or ".." segments (encoded or not), and an
// encoded '/' inside a segment. A trailing '/' is dropped; empty segments elsewhere are kept, so
// "//state" matches no route (404).
PathParts split_path(std::string_view path);

} // namespace dockerops::http
