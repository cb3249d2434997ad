// The one impure file of project/: it reads the real host into a HostInfo.

#include "project/host_info.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cstring>
#include <random>

extern char** environ;

namespace dockerops::project {

const std::string* HostInfo::getenv(const std::string& name) const {
  auto it = env.find(name);
  return it == env.end() ? nullptr : &it->second;
}

HostInfo system_host_info() {
  HostInfo info;
  for (char** entry = environ; entry && *entry; ++entry) {
    const char* eq = std::strchr(*entry, '=');
    if (eq)
      info.env.emplace(std::string(*entry, static_cast<std::size_t>(eq - *entry)), std::string(eq + 1));
  }
  // getifaddrs(3) instead of the original's SIOCGIFADDR ioctl: portable, and
  // interface names with '_' need no parsing.
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) == 0) {
    for (ifaddrs* it = list; it; it = it->ifa_next) {
      if (!it->ifa_addr || it->ifa_addr->sa_family != AF_INET)
        continue;
      char text[INET_ADDRSTRLEN] = {};
      const auto* address = reinterpret_cast<const sockaddr_in*>(it->ifa_addr);
      if (inet_ntop(AF_INET, &address->sin_addr, text, sizeof text))
        info.interfaces.emplace(it->ifa_name, text); // first IPv4 of each interface
    }
    freeifaddrs(list);
  }
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) == 0)
    info.hostname = name;
  info.is_tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
  info.random_name = [] {
    static std::random_device device;
    static const char k_hex[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 8; ++i)
      out += k_hex[device() % 16];
    return out;
  };
  return info;
}

} // namespace dockerops::project
