#pragma once

#include "project/model.hpp"

#include <string>

namespace dockerops::apply {

// The records one instance owns in the project zone (docs/decisions.md 14).
struct DnsRecord {
  std::string server;   // the DNS container's IP on the project network
  std::string zone;     // "local.zone"
  std::string hostname; // "demo-one": <hostname>.<zone> A and its PTR
  std::string service;  // "demo": <service>.<zone> A per policy
  std::string ip;       // the instance's address
  project::DnsPolicy policy = project::DnsPolicy::append;
};

// Registers and deregisters instances in the project's DNS; the real one sends TSIG-signed
// RFC 2136 updates over TCP (dns_registrar.hpp), tests record the calls.
class Registrar {
public:
  virtual ~Registrar() = default;
  // Adds <hostname>.<zone>, the PTR, and <service>.<zone> per policy (APPEND adds, REPLACE
  // replaces, HIDE registers nothing).
  virtual void register_instance(const DnsRecord& record) = 0;
  // Removes what register_instance added: only this instance's address from <service>.<zone>.
  virtual void deregister_instance(const DnsRecord& record) = 0;
};

} // namespace dockerops::apply
