#pragma once

// IP address literals, checked without any name resolution: a value that is
// not a literal is an error for the caller to report, never looked up.

#include <string_view>

namespace dockerops::ip {

// "127.0.0.1": four decimal octets, nothing around them.
bool is_ipv4(std::string_view text);

// "::1", "fe80::1": an IPv6 literal without brackets or zone.
bool is_ipv6(std::string_view text);

// Either of the two.
inline bool is_ip(std::string_view text) {
  return is_ipv4(text) || is_ipv6(text);
}

} // namespace dockerops::ip
