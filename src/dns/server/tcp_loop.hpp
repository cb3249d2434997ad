#pragma once

// The TCP/update thread of the server (see server.hpp): one epoll loop for RFC 7766 connections,
// forwarding, the UDP threads' hand-overs and the replies of the update committer.
//   tcp.cpp                 the loop, connections (accept, read, pipelined messages, writes,
//                           zone transfers a window at a time, idle sweep)
//   tcp_updates.cpp         UPDATEs handed to the committer thread and their replies, and the
//                           UDP messages handed over by the UDP threads

#include "dns/server/server_impl.hpp"
#include "dns/update/context.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <span>
#include <vector>

namespace dockerops::dns {

class TcpLoop {
public:
  explicit TcpLoop(Server::Impl& server);
  ~TcpLoop();
  TcpLoop(const TcpLoop&) = delete;
  TcpLoop& operator=(const TcpLoop&) = delete;

  // Until the server stops.
  void run();

private:
  using Clock = std::chrono::steady_clock;

  struct Connection {
    int fd = -1;
    // Forwarded answers and update replies can arrive after their connection closed: the
    // generation tells a reused fd from the original connection.
    std::uint64_t generation = 0;
    ClientInfo client;
    std::vector<std::uint8_t> in;
    std::vector<std::uint8_t> out;
    std::size_t out_sent = 0;
    Clock::time_point last_activity; // accept, last complete message or transfer progress; partial data never
    bool want_write = false;
    std::unique_ptr<TransferWriter> transfer; // a zone transfer being written; input waits meanwhile
  };

  // Where an update's reply goes once the committer has finished it.
  struct UpdateTarget {
    bool tcp = false;
    int fd = -1;                  // connection, or the UDP socket
    std::uint64_t generation = 0; // connection generation (TCP)
    sockaddr_storage to{};        // UDP client
    socklen_t to_length = 0;
    std::size_t udp_limit = 0;
  };

  // Connections (tcp.cpp).
  void accept_all(int listen_fd);
  void on_connection_event(int fd, std::uint32_t events);
  bool process(Connection& c);
  bool flush(Connection& c);
  void pump(Connection& c);
  void close_connection(int fd);
  void sweep_idle();
  // The connection `fd` if it is still the one of `generation`.
  Connection* current(int fd, std::uint64_t generation);
  static void queue_reply(Connection& c, std::span<const std::uint8_t> bytes);

  // Updates and hand-overs (tcp_updates.cpp).
  void submit_update(std::span<const std::uint8_t> wire, const ClientInfo& client,
                     const UpdateTarget& target);
  void deliver_updates();
  void drain_handoffs();

  Server::Impl& m_server;
  int m_ep = -1;
  QueryEngine m_engine;
  Forwarder m_forwarder;
  std::map<int, Connection> m_connections;
  std::uint64_t m_next_generation = 1;
  std::vector<std::uint8_t> m_reply;
  std::vector<std::uint8_t> m_transfer_message;
  Packet m_packet;
  // Shared with the committer's callbacks, which may outlive this loop.
  std::shared_ptr<UpdateCompletions> m_completions = std::make_shared<UpdateCompletions>();
  std::map<std::uint64_t, UpdateTarget> m_update_targets;
  std::uint64_t m_next_token = 1;
};

} // namespace dockerops::dns
