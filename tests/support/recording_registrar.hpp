#pragma once

// A Registrar that records every call, for core tests without a DNS server.
#include "apply/registrar.hpp"
#include "project/model.hpp"

#include <fmt/format.h>

#include <mutex>
#include <string>
#include <vector>

namespace dockerops::core::testing {

// Records every registration and deregistration, in order.
class RecordingRegistrar : public apply::Registrar {
public:
  void register_instance(const apply::DnsRecord& r) override { add("register", r); }
  void deregister_instance(const apply::DnsRecord& r) override { add("deregister", r); }
  std::size_t sync(const std::string& server, const std::string& name,
                   const std::vector<apply::DnsRecord>& running) override {
    std::lock_guard lock(m_mutex);
    m_calls.push_back(fmt::format("sync {} at {}: {} running", name, server, running.size()));
    return running.size();
  }
  apply::ZoneAddresses addresses(const std::string& server, const std::string&) override {
    std::lock_guard lock(m_mutex);
    m_calls.push_back("transfer from " + server);
    return zone;
  }
  apply::ZoneAddresses zone; // what addresses() answers
  std::vector<std::string> calls() {
    std::lock_guard lock(m_mutex);
    return m_calls;
  }

private:
  void add(const char* what, const apply::DnsRecord& r) {
    std::lock_guard lock(m_mutex);
    m_calls.push_back(fmt::format("{} {}.{} {} service {} at {} ({})", what, r.hostname, r.zone, r.ip,
                                  r.service, r.server, project::to_string(r.policy)));
  }
  std::mutex m_mutex;
  std::vector<std::string> m_calls;
};

} // namespace dockerops::core::testing
