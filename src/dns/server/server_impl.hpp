#pragma once

// Internals shared by server.cpp, udp.cpp and tcp.cpp.

#include "dns/server/query.hpp"
#include "dns/server/server.hpp"

#include <deque>
#include <mutex>

namespace dockerops::dns {

// A UDP message the UDP threads hand to the TCP/update thread: an UPDATE
// (may block on fsync) or a query to forward (waits for an upstream).
struct Handoff {
  Action action = Action::update; // update or forward
  std::vector<std::uint8_t> wire;
  ClientInfo client;
  int fd = -1; // the UDP socket to answer on
};

struct Server::Impl {
  ServerConfig config;
  ZoneSet& zones;
  std::shared_ptr<UpdateContext> update;
  std::vector<int> udp_fds;
  std::vector<int> tcp_fds;
  int tcp_wake = -1; // eventfd: stop or handoff queued
  std::atomic<bool> stopping{false};
  std::mutex queue_mutex;
  std::deque<Handoff> queue;
  std::vector<std::thread> udp_threads; // one per UDP socket
  std::thread tcp_thread;

  Impl(ServerConfig c, ZoneSet& z, std::shared_ptr<UpdateContext> u)
      : config(std::move(c)), zones(z), update(std::move(u)) {}
  ~Impl();

  bool may_forward(const sockaddr_storage& client) const {
    return !config.upstreams.empty() && any_contains(config.forward_allow, client) &&
           !any_contains(config.forward_deny, client);
  }
  void run_udp(int fd);
  void run_tcp();
  // Queues a UDP message for the TCP/update thread; false when the queue is full.
  bool hand_off(Handoff item);
};

// Adds fd to epoll for EPOLLIN with the fd itself as data; throws on failure.
void epoll_watch(int epoll_fd, int fd, std::uint32_t events = 0x001 /* EPOLLIN */);

} // namespace dockerops::dns
