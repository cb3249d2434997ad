#pragma once

// Host facts reach project/ only through this value (docs/decisions.md 20), so that
// resolution is pure and golden tests are deterministic. The real builder is
// host_info_system.cpp, the one impure file of project/.

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace dockerops::project {

// What the resolver may know about the machine dockerops runs on.
struct HostInfo {
  std::map<std::string, std::string> env;        // the process environment
  std::map<std::string, std::string> interfaces; // interface name -> IPv4 ("eth0" -> "192.0.2.10")
  std::string hostname;                          // gethostname(), for HOST_HOSTNAME
  bool is_tty = false;                           // stdin and stdout are terminals
  std::function<std::string()> random_name;      // 8 lowercase hex characters per call
  // Asks the user for the value of a required variable that has none (`question` says which
  // instance needs it and why); nullopt or "" = no answer. Unset unless --ask on a terminal.
  std::function<std::optional<std::string>(const std::string& name, const std::string& question)> ask;

  // The value of an environment variable, or nullptr when unset.
  const std::string* getenv(const std::string& name) const;
};

// Reads the real host: environ, getifaddrs (IPv4 only), gethostname, isatty,
// and a random_name backed by std::random_device.
HostInfo system_host_info();

} // namespace dockerops::project
