#include "dns/server/forward.hpp"

#include "base/error.hpp"
#include "base/log.hpp"
#include "base/strings.hpp"
#include "dns/server/reply.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <unistd.h>

#include <cstring>

namespace dockerops::dns {

namespace {

// Normalises an address to (family, bytes): v4-mapped IPv6 becomes IPv4.
int address_bytes(const sockaddr_storage& address, std::uint8_t out[16]) {
  if (address.ss_family == AF_INET) {
    std::memcpy(out, &reinterpret_cast<const sockaddr_in&>(address).sin_addr, 4);
    return AF_INET;
  }
  if (address.ss_family == AF_INET6) {
    const auto& a6 = reinterpret_cast<const sockaddr_in6&>(address).sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&a6)) {
      std::memcpy(out, a6.s6_addr + 12, 4);
      return AF_INET;
    }
    std::memcpy(out, a6.s6_addr, 16);
    return AF_INET6;
  }
  return 0;
}

} // namespace

bool same_endpoint(const sockaddr_storage& a, const sockaddr_storage& b) {
  if (a.ss_family != b.ss_family)
    return false;
  if (a.ss_family == AF_INET) {
    const auto& x = reinterpret_cast<const sockaddr_in&>(a);
    const auto& y = reinterpret_cast<const sockaddr_in&>(b);
    return x.sin_port == y.sin_port && x.sin_addr.s_addr == y.sin_addr.s_addr;
  }
  const auto& x = reinterpret_cast<const sockaddr_in6&>(a);
  const auto& y = reinterpret_cast<const sockaddr_in6&>(b);
  return x.sin6_port == y.sin6_port && std::memcmp(&x.sin6_addr, &y.sin6_addr, 16) == 0;
}

Network Network::parse(std::string_view text) {
  Network n;
  std::string address(text);
  int prefix = -1;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    address = std::string(text.substr(0, slash));
    try {
      std::size_t used = 0;
      prefix = std::stoi(std::string(text.substr(slash + 1)), &used);
      if (used != text.size() - slash - 1)
        prefix = -2;
    } catch (const std::exception&) {
      prefix = -2;
    }
  }
  if (inet_pton(AF_INET, address.c_str(), n.bytes) == 1)
    n.family = AF_INET;
  else if (inet_pton(AF_INET6, address.c_str(), n.bytes) == 1)
    n.family = AF_INET6;
  else
    fail(ErrorKind::usage, "--forward-allow: \"{}\" is not an address or CIDR network (e.g. 172.30.0.0/24)",
         text);
  int max = n.family == AF_INET ? 32 : 128;
  if (prefix == -1)
    prefix = max;
  if (prefix < 0 || prefix > max)
    fail(ErrorKind::usage, "--forward-allow: bad prefix length in \"{}\" (0-{})", text, max);
  n.prefix = prefix;
  return n;
}

bool Network::contains(const sockaddr_storage& address) const {
  std::uint8_t b[16];
  if (address_bytes(address, b) != family)
    return false;
  int full = prefix / 8;
  if (std::memcmp(b, bytes, static_cast<std::size_t>(full)) != 0)
    return false;
  int rest = prefix % 8;
  if (rest == 0)
    return true;
  auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (b[full] & mask) == (bytes[full] & mask);
}

bool any_contains(const std::vector<Network>& networks, const sockaddr_storage& address) {
  for (const auto& n : networks)
    if (n.contains(address))
      return true;
  return false;
}

Upstream parse_upstream(std::string_view text) {
  Upstream u;
  std::string host(text);
  int port = 53;
  auto bad = [&] { fail(ErrorKind::usage, "--forward: \"{}\" is not IP, IP:PORT or [IPv6]:PORT", text); };
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos)
      bad();
    host = std::string(text.substr(1, close - 1));
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':')
        bad();
      port = std::atoi(std::string(text.substr(close + 2)).c_str());
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    auto colon = text.find(':');
    host = std::string(text.substr(0, colon));
    port = std::atoi(std::string(text.substr(colon + 1)).c_str());
  }
  if (port <= 0 || port > 65535)
    bad();
  auto* a4 = reinterpret_cast<sockaddr_in*>(&u.address);
  auto* a6 = reinterpret_cast<sockaddr_in6*>(&u.address);
  if (inet_pton(AF_INET, host.c_str(), &a4->sin_addr) == 1) {
    a4->sin_family = AF_INET;
    a4->sin_port = htons(static_cast<std::uint16_t>(port));
    u.length = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, host.c_str(), &a6->sin6_addr) == 1) {
    a6->sin6_family = AF_INET6;
    a6->sin6_port = htons(static_cast<std::uint16_t>(port));
    u.length = sizeof(sockaddr_in6);
  } else {
    bad();
  }
  u.text = fmt::format("{}{}{}:{}", u.length == sizeof(sockaddr_in6) ? "[" : "", host,
                       u.length == sizeof(sockaddr_in6) ? "]" : "", port);
  return u;
}

std::vector<std::string> default_gateways(std::string_view route, std::string_view ipv6_route) {
  std::vector<std::string> out;
  auto words_of = [](const std::string& line) {
    auto words = strings::split(strings::replace_all(line, "\t", " "), ' ');
    std::erase_if(words, [](const std::string& w) { return w.empty(); });
    return words;
  };
  // Iface Destination Gateway Flags ...: hex in host (little-endian) byte order.
  for (const auto& line : strings::split(route, '\n')) {
    auto words = words_of(line);
    if (words.size() < 3 || words[1] != "00000000" || words[2].size() != 8 || words[2] == "00000000")
      continue;
    std::uint32_t gateway = 0;
    try {
      gateway = static_cast<std::uint32_t>(std::stoul(words[2], nullptr, 16));
    } catch (const std::exception&) {
      continue;
    }
    char text[INET_ADDRSTRLEN];
    in_addr a{gateway};
    if (inet_ntop(AF_INET, &a, text, sizeof text))
      out.emplace_back(text);
  }
  // Destination PrefixLength Source PrefixLength NextHop ...: 32 hex digits in network order.
  for (const auto& line : strings::split(ipv6_route, '\n')) {
    auto words = words_of(line);
    if (words.size() < 5 || words[0] != std::string(32, '0') || words[1] != "00" || words[4].size() != 32 ||
        words[4] == std::string(32, '0'))
      continue;
    in6_addr a{};
    bool ok = true;
    for (std::size_t i = 0; i < 16 && ok; ++i) {
      try {
        a.s6_addr[i] = static_cast<std::uint8_t>(std::stoul(words[4].substr(2 * i, 2), nullptr, 16));
      } catch (const std::exception&) {
        ok = false;
      }
    }
    char text[INET6_ADDRSTRLEN];
    if (ok && inet_ntop(AF_INET6, &a, text, sizeof text))
      out.emplace_back(text);
  }
  return out;
}

std::vector<std::string> resolv_conf_nameservers(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& raw : strings::split(text, '\n')) {
    auto line = strings::replace_all(strings::trim(raw), "\t", " ");
    auto words = strings::split(line, ' ');
    std::erase_if(words, [](const std::string& w) { return w.empty(); });
    if (words.size() >= 2 && words[0] == "nameserver")
      out.push_back(strings::trim(words[1]));
  }
  return out;
}

} // namespace dockerops::dns
