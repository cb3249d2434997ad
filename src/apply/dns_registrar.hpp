#pragma once

#include "apply/registrar.hpp"
#include "dns/client/update_client.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace dockerops::apply {

// The real Registrar: TSIG-signed RFC 2136 updates over TCP to the project DNS (docs/decisions.md 14),
// with the key from <project>/.dockerops/dns.key (docs/decisions.md 13).
std::unique_ptr<Registrar> make_dns_registrar(const std::filesystem::path& project_dir,
                                              const std::string& project);

// project::DnsPolicy as the DNS client spells it.
dns::RegistrationPolicy registration_policy(project::DnsPolicy policy);

} // namespace dockerops::apply
