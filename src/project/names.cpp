#include "base/error.hpp"
#include "base/strings.hpp"
#include "project/resolve_parts.hpp"

#include <cctype>
#include <map>
#include <regex>

namespace dockerops::project::detail {

namespace {

// RFC 1035 §2.3.4: a label has at most 63 octets; also the kernel's limit for a hostname.
constexpr std::size_t k_max_label = 63;

// Where a DNS label is first used, for the collision message.
struct LabelUse {
  std::string service;
  std::string instance;
  std::string where;
};

} // namespace

void check_name(const std::string& what, const std::string& name, const std::string& where) {
  bool ok = !name.empty() && std::isalnum(static_cast<unsigned char>(name[0]));
  for (char c : name)
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-');
  if (!ok)
    fail(ErrorKind::config,
         "{}: {} \"{}\" must start with a letter or digit and contain only letters, digits, "
         "'_', '.' and '-'",
         where, what, name);
}

void check_service_name(const std::string& service, const std::string& where) {
  // A path component of an image name (<project>/<service>), Docker's reference grammar.
  static const std::regex k_component("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  if (service.size() >= k_max_label || !std::regex_match(service, k_component))
    fail(ErrorKind::config,
         "{}: service \"{}\": a service name is also part of an image name: at most {} lower-case letters "
         "and digits, with '-', '_' or '.' between them; rename the folder",
         where, service, k_max_label - 1);
}

void check_instance_name(const std::string& service, const std::string& instance, const std::string& where) {
  check_name("instance", instance, where);
  std::size_t length = service.size() + 1 + instance.size();
  if (length > k_max_label)
    fail(ErrorKind::config,
         "{}: {}/{}: the name \"{}-{}\" is {} characters; as a hostname and DNS label it may have at most "
         "{} (shorten the instance name)",
         where, service, instance.substr(0, 80), service, instance.substr(0, 80), length, k_max_label);
}

void check_labels_unique(const std::vector<Wanted>& wanted, const ResolveInput& input) {
  std::map<std::string, LabelUse> uses;
  auto use = [&](const std::string& service, const std::string& instance, const std::string& where) {
    std::string label = strings::to_lower(service + "-" + instance);
    auto [it, inserted] = uses.emplace(label, LabelUse{service, instance, where});
    const LabelUse& first = it->second;
    if (inserted || (first.service == service && first.instance == instance))
      return;
    fail(ErrorKind::config,
         "{}: {}/{} collides with {}/{} ({}): both are \"{}\" in DNS, where case does not count; rename one",
         where, service, instance, first.service, first.instance, first.where, label);
  };
  for (const auto& e : input.conf->entries)
    if (e.instance)
      use(e.service.value, e.instance->value, fmt::format("{}:{}", input.conf->filename, e.instance->line));
  for (const auto& r : input.running)
    use(r.service, r.instance, "running");
  for (const auto& w : wanted)
    use(w.service, w.instance, w.origin.entry ? w.origin.where() : std::string("command line"));
}

} // namespace dockerops::project::detail
