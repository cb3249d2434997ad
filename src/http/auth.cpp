#include "http/auth.hpp"

#include "base/strings.hpp"

namespace dockerops::http {

bool constant_time_equal(std::string_view a, std::string_view b) {
  // Every byte of the longer input is visited; the length difference is folded in last.
  std::size_t n = a.size() > b.size() ? a.size() : b.size();
  unsigned char diff = 0;
  for (std::size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff = static_cast<unsigned char>(diff | (x ^ y));
  }
  return diff == 0 && a.size() == b.size();
}

AuthResult check_bearer(std::string_view authorization, std::string_view token) {
  if (authorization.empty())
    return AuthResult::missing;
  std::size_t space = authorization.find(' ');
  if (space == std::string_view::npos || strings::to_lower(authorization.substr(0, space)) != "bearer")
    return AuthResult::malformed;
  std::string given = strings::trim(authorization.substr(space + 1));
  if (given.empty())
    return AuthResult::malformed;
  return constant_time_equal(given, token) ? AuthResult::ok : AuthResult::wrong;
}

std::string auth_message(AuthResult result) {
  switch (result) {
  case AuthResult::ok:
    return "";
  case AuthResult::missing:
    return "missing bearer token: send \"Authorization: Bearer <token>\" (the token is in "
           ".dockerops/agent.token)";
  case AuthResult::malformed:
    return "the Authorization header must be \"Bearer <token>\"";
  case AuthResult::wrong:
    return "wrong bearer token";
  }
  return "";
}

} // namespace dockerops::http
