#pragma once

#include <string>
#include <string_view>

namespace dockerops::http {

// Compares two secrets in time that depends on their lengths only, never on where they differ
// (docs/decisions.md 30: tokens are compared in constant time).
bool constant_time_equal(std::string_view a, std::string_view b);

// Whether a request carries the right token, and if not why.
enum class AuthResult { ok, missing, malformed, wrong };

// Checks "Authorization: Bearer <token>" (the scheme in any case, RFC 6750 §2.1).
AuthResult check_bearer(std::string_view authorization, std::string_view token);

// The message of a 401 for people ("missing bearer token: send Authorization: Bearer ...").
std::string auth_message(AuthResult result);

} // namespace dockerops::http
