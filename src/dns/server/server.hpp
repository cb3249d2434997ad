#pragma once

// The UDP/TCP server loop of dockerops-dnsd.
//
// Threads (the box has 2 cores; one UDP thread is the fastest per CPU second):
//  - One UDP thread per UDP socket: blocks in recvmmsg (MSG_WAITFORONE, up
//    to 64 datagrams per call), answers with QueryEngine, replies with one
//    sendmmsg: two system calls per batch, no epoll. It never blocks on
//    anything else: UPDATE datagrams and queries to forward are handed to the
//    TCP/update thread (queue + eventfd), which answers on the same UDP
//    socket when the update is durable or the upstream replied.
//  - TCP/update thread: epoll over the listening sockets, connections (RFC
//    7766: 2-byte length framing, pipelining, at most k_max_connections,
//    idle timeout, messages up to 65535 bytes), the Forwarder and the
//    handoff queue. Updates go from here to the update path's committer
//    thread (UpdateContext::submit); their replies come back through
//    UpdateCompletions, so no loop waits for an fsync.
//  - The caller's thread waits for SIGTERM/SIGINT (dnsd.cpp) and calls stop().

#include "dns/server/forward.hpp"
#include "dns/update/config.hpp"
#include "dns/zone/zone_store.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace dockerops::dns {

// Everything the loop needs from the command line.
struct ServerConfig {
  std::vector<std::string> listen{"127.0.0.1"}; // IPv4 or IPv6 literals
  std::uint16_t port = 53;
  std::vector<Upstream> upstreams;    // empty = no forwarding
  std::vector<Network> forward_allow; // clients allowed to use forwarding
  std::vector<Network> forward_deny;  // never, even inside forward_allow (wins)
  std::size_t max_connections = 64;
  std::chrono::milliseconds idle_timeout{10000};
  std::size_t classic_answer_limit = 0; // QueryEngine::set_classic_answer_limit
};

class Server {
public:
  // `update` may be null: UPDATE then gets NOTIMP.
  Server(ServerConfig config, ZoneSet& zones, std::shared_ptr<UpdateContext> update);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds every socket (throws an io Error naming the address on failure,
  // e.g. port in use) and starts the threads.
  void start();
  // Asks the threads to finish and joins them. Idempotent.
  void stop();

  // The bound port (useful with port 0 in tests).
  std::uint16_t port() const { return m_bound_port; }

  struct Impl;

private:
  std::unique_ptr<Impl> m_impl;
  std::uint16_t m_bound_port = 0;
};

} // namespace dockerops::dns
