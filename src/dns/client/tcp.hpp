#pragma once

// The TCP transport of the DNS client (update_client.cpp, transfer.cpp): one
// connection, two-byte length framing (RFC 1035 §4.2.2, RFC 7766 §8), every
// wait bounded by a deadline. Internal to dns/.

#include "dns/client/options.hpp"
#include "dns/proto/key_file.hpp"
#include "dns/proto/wire_name.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace dockerops::dns::client_tcp {

using Clock = std::chrono::steady_clock;

// A random message ID.
std::uint16_t random_id();

// A query message: one question (name, type, class IN), no flags.
std::vector<std::uint8_t> query_message(std::uint16_t id, const WireName& name, std::uint16_t type);

// What a TSIG error in a NOTAUTH reply means for the user of `key`.
std::string tsig_error_hint(std::uint16_t error, const TsigKey& key);

class Connection {
public:
  // Connects to options.server_ip:port within options.connect_timeout; throws
  // an Error of kind dns_unreachable (or dns when the address is not an IP literal).
  explicit Connection(const ClientOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends one message with its length prefix.
  void send(const std::vector<std::uint8_t>& message, Clock::time_point deadline);
  // Receives one whole message (without the length prefix).
  std::vector<std::uint8_t> receive(Clock::time_point deadline);

private:
  int m_fd = -1;
};

} // namespace dockerops::dns::client_tcp
