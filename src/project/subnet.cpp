#include "project/subnet.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"

#include <charconv>
#include <cstdint>

namespace dockerops::project {

namespace {

struct Cidr {
  std::uint32_t base = 0;
  int prefix = 0;
};

Cidr parse_cidr(std::string_view text) {
  auto slash = text.find('/');
  std::string_view address = text.substr(0, slash);
  int prefix = 32;
  if (slash != std::string_view::npos) {
    auto p = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
    if (ec != std::errc() || end != p.data() + p.size() || prefix < 0 || prefix > 32)
      fail(ErrorKind::config, "\"{}\" is not an IPv4 subnet (A.B.C.D/N)", text);
  }
  auto parts = strings::split(address, '.');
  if (parts.size() != 4)
    fail(ErrorKind::config, "\"{}\" is not an IPv4 subnet (A.B.C.D/N)", text);
  std::uint32_t value = 0;
  for (const auto& part : parts) {
    unsigned octet = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), octet);
    if (ec != std::errc() || end != part.data() + part.size() || octet > 255)
      fail(ErrorKind::config, "\"{}\" is not an IPv4 subnet (A.B.C.D/N)", text);
    value = (value << 8) | octet;
  }
  std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t(0) << (32 - prefix);
  return {value & mask, prefix};
}

std::uint32_t last(const Cidr& c) {
  return c.prefix == 0 ? ~std::uint32_t(0) : c.base | ~(~std::uint32_t(0) << (32 - c.prefix));
}

std::string dotted(std::uint32_t v) {
  return fmt::format("{}.{}.{}.{}", v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255);
}

} // namespace

std::string choose_subnet(const std::vector<std::string>& in_use, std::string_view pool) {
  Cidr range = parse_cidr(pool);
  if (range.prefix > 24)
    fail(ErrorKind::config, "subnet pool {} is smaller than a /24", pool);
  std::vector<Cidr> used;
  for (const auto& text : in_use)
    if (text.find(':') == std::string::npos) // IPv6 subnets cannot overlap
      used.push_back(parse_cidr(text));
  for (std::uint64_t base = range.base; base + 255 <= last(range); base += 256) {
    Cidr candidate{static_cast<std::uint32_t>(base), 24};
    bool overlaps = false;
    for (const auto& u : used)
      if (candidate.base <= last(u) && u.base <= last(candidate))
        overlaps = true;
    if (!overlaps)
      return dotted(candidate.base) + "/24";
  }
  fail(ErrorKind::conflict,
       "every /24 of the subnet pool {} is in use; remove unused networks or choose another pool", pool);
}

std::string subnet_host(std::string_view subnet, int host) {
  Cidr c = parse_cidr(subnet);
  return dotted(c.base + static_cast<std::uint32_t>(host));
}

std::string reverse_zone(std::string_view subnet) {
  Cidr c = parse_cidr(subnet);
  return fmt::format("{}.{}.{}.in-addr.arpa", (c.base >> 8) & 255, (c.base >> 16) & 255, c.base >> 24);
}

} // namespace dockerops::project
