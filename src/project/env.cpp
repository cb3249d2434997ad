#include "base/error.hpp"
#include "base/strings.hpp"
#include "project/resolve_parts.hpp"

namespace dockerops::project::detail {

std::string Origin::where() const {
  return entry ? fmt::format("{}:{}", conf_filename, entry->line) : std::string("command line");
}

namespace {

// "from_<iface>" -> the interface's IPv4 (docs/compatibility.md §env, any variable, '_' allowed in names).
void apply_interface(const std::string& who, const std::string& name, EnvValue& value, const HostInfo& host) {
  if (value.value.rfind("from_", 0) != 0)
    return;
  std::string iface = value.value.substr(5);
  auto it = host.interfaces.find(iface);
  std::string where = value.detail.empty() ? std::string(to_string(value.source)) : value.detail;
  if (it == host.interfaces.end()) {
    std::vector<std::string> names;
    for (const auto& [n, ip] : host.interfaces)
      names.push_back(n);
    fail(ErrorKind::config, "{}: {}: {} is \"{}\" but the host has no IPv4 interface \"{}\" (interfaces: {})",
         where, who, name, value.value, iface,
         names.empty() ? std::string("none") : strings::join(names, ", "));
  }
  value.detail = value.value + " (" + where + ")";
  value.value = it->second;
  value.source = EnvSource::interface;
}

// A required variable with no value: the user's answer, when dockerops may ask (--ask on a terminal).
std::optional<std::string> ask(const decltype(HostInfo::ask)& ask_user, const std::string& who,
                               const std::string& name, const std::string& reason) {
  if (!ask_user)
    return std::nullopt;
  std::optional<std::string> answer =
      ask_user(name, fmt::format("{}: {} is required{} but has no value", who, name, reason));
  if (!answer || answer->empty())
    return std::nullopt;
  return answer;
}

// Linux passes each "NAME=value" to the container's first process as one string of at most
// MAX_ARG_STRLEN (32 pages, 131072 bytes with its NUL): a longer one fails the exec after the start.
constexpr std::size_t k_max_variable = 131071;

// A name Docker and the kernel can carry: not empty, no '='; NUL cannot come from any source.
void check_variable_name(const std::string& who, const std::string& name, const std::string& where) {
  if (name.empty())
    fail(ErrorKind::config, "{}: {}: a variable name must not be empty", where, who);
  if (name.find('=') != std::string::npos || name.find('\0') != std::string::npos)
    fail(ErrorKind::config, "{}: {}: variable name \"{}\" must not contain '='", where, who, name);
}

void check_variable_value(const std::string& who, const std::string& name, const EnvValue& value) {
  std::string where = value.detail.empty() ? std::string(to_string(value.source)) : value.detail;
  if (value.value.find('\0') != std::string::npos)
    fail(ErrorKind::config, "{}: {}: the value of {} contains a NUL character", where, who, name);
  if (name.size() + 1 + value.value.size() > k_max_variable)
    fail(ErrorKind::config,
         "{}: {}: the value of {} is {} bytes; a variable may have at most {} (put large "
         "data in a file and mount it with \"volumes\")",
         where, who, name, value.value.size(), k_max_variable - name.size() - 1);
}

} // namespace

std::map<std::string, EnvValue> resolve_env(const std::string& who,
                                            const std::map<std::string, std::string>& builtins,
                                            const std::map<std::string, Declared>& declared,
                                            const ResolveInput& input, Notices& notices) {
  std::map<std::string, EnvValue> env;
  for (const auto& [name, d] : declared) {
    check_variable_name(who, name, d.detail);
    if (builtins.count(name)) {
      notices.warnings.push_back(
          fmt::format("{}: {} is built in: the value from {} is ignored", who, name, d.detail));
      continue;
    }
    // docs/decisions.md 19: process environment > host.conf > run.conf.
    EnvValue value;
    const std::string* from_env = input.host->getenv(name);
    auto from_host_conf = input.host_conf->values.find(name);
    if (from_env && !from_env->empty()) {
      value = {*from_env, EnvSource::environment, "", ""};
    } else if (from_host_conf != input.host_conf->values.end()) {
      value = {from_host_conf->second, EnvSource::host_conf, "", ""};
    } else if (d.value || !d.pending_link_container.empty()) {
      value = {d.value.value_or(""), d.source, d.detail, d.pending_link_container};
    } else if (std::optional<std::string> answer = ask(input.host->ask, who, name, d.reason)) {
      value = {*answer, EnvSource::prompt, "", ""};
    } else {
      fail(ErrorKind::config,
           "{}: {}: {} is required{} but has no value; set it with \"export {}=...\" or in host.conf",
           d.detail, who, name, d.reason, name);
    }
    apply_interface(who, name, value, *input.host);
    check_variable_value(who, name, value);
    env[name] = std::move(value);
  }
  for (const auto& [name, text] : builtins) {
    const std::string* from_env = input.host->getenv(name);
    if (from_env && !from_env->empty() && *from_env != text)
      notices.warnings.push_back(
          fmt::format("{}: {} is built in: the value from the environment is ignored", who, name));
    env[name] = {text, EnvSource::builtin, "", ""};
  }
  return env;
}

std::string fnv1a_hex(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return fmt::format("{:016x}", hash);
}

} // namespace dockerops::project::detail
