#include "base/ip_address.hpp"

#include <arpa/inet.h>

#include <string>

namespace dockerops::ip {
namespace {

// inet_pton reads a C string: a NUL inside the text must not cut it short.
bool parses(int family, std::string_view text) {
  if (text.empty() || text.size() > 64 || text.find('\0') != std::string_view::npos)
    return false;
  unsigned char bytes[16];
  return inet_pton(family, std::string(text).c_str(), bytes) == 1;
}

} // namespace

bool is_ipv4(std::string_view text) {
  return parses(AF_INET, text);
}

bool is_ipv6(std::string_view text) {
  return parses(AF_INET6, text);
}

} // namespace dockerops::ip
