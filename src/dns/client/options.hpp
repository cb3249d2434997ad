#pragma once

// How the DNS client reaches dockerops-dnsd (update_client.hpp, tcp.hpp).

#include <chrono>
#include <cstdint>
#include <string>

namespace dockerops::dns {

// Where the server is and how patient to be.
struct ClientOptions {
  std::string server_ip; // IPv4 or IPv6 literal
  std::uint16_t port = 53;
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds reply_timeout{3000};
  int attempts = 3;                           // connection failures and timeouts are retried, rcodes are not
  std::chrono::milliseconds retry_delay{100}; // before attempt n: (n - 1) * retry_delay
};

} // namespace dockerops::dns
