#include "http/server.hpp"

#include "base/error.hpp"
#include "base/log.hpp"
#include "http/limits.hpp"
#include "http/server_impl.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>

#include <unistd.h>

#include <chrono>
#include <cstdarg>
#include <cstring>
#include <thread>

namespace dockerops::http {
namespace {

// Paths and query strings reach the handler undecoded; target.cpp decodes and validates them.
std::size_t keep_escaped(void*, MHD_Connection*, char* text) {
  return std::strlen(text);
}

// libmicrohttpd's printf-style messages.
__attribute__((format(printf, 2, 0))) void log_from_library(void*, const char* format, va_list args) {
  char line[512];
  std::vsnprintf(line, sizeof line, format, args);
  std::string text(line);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.pop_back();
  log::debug("http: {}", text);
}

// As many connections as the descriptor limit allows (raised to its hard maximum), leaving room
// for the agent's own files and Engine connections.
unsigned connection_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
  }
  rlim_t usable = limit.rlim_cur > 192 ? limit.rlim_cur - 128 : 64;
  return static_cast<unsigned>(usable < 4096 ? usable : 4096);
}

} // namespace

bool is_loopback(const std::string& address) {
  in_addr v4{};
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1)
    return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, address.c_str(), &v6) == 1)
    return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

Server::Server(ServerOptions options, Router router) : m_internals(std::make_unique<ServerInternals>()) {
  m_internals->options = std::move(options);
  m_internals->router = std::move(router);
}

Server::~Server() {
  stop();
}

void Server::start() {
  auto& in = *m_internals;
  sockaddr_storage storage{};
  unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (inet_pton(AF_INET, in.options.address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(in.options.port);
  } else if (inet_pton(AF_INET6, in.options.address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(in.options.port);
    flags |= MHD_USE_IPv6;
  } else {
    fail(ErrorKind::usage, "listen address \"{}\" is not an IPv4 or IPv6 literal", in.options.address);
  }
  MHD_set_panic_func(
      [](void*, const char* file, unsigned line, const char* reason) {
        log::write(log::Level::error, fmt::format("http: libmicrohttpd panic at {}:{}: {}", file, line,
                                                  reason == nullptr ? "" : reason));
        std::abort();
      },
      nullptr);
  in.daemon =
      MHD_start_daemon(flags, 0, nullptr, nullptr, handle_access, &in,                                    //
                       MHD_OPTION_SOCK_ADDR, reinterpret_cast<sockaddr*>(&storage),                       //
                       MHD_OPTION_CONNECTION_MEMORY_LIMIT, static_cast<std::size_t>(k_connection_memory), //
                       MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned>(k_idle_timeout.count()),      //
                       MHD_OPTION_CONNECTION_LIMIT, connection_limit(),                                   //
                       MHD_OPTION_UNESCAPE_CALLBACK, keep_escaped, nullptr,                               //
                       MHD_OPTION_NOTIFY_COMPLETED, handle_completed, &in,                                //
                       MHD_OPTION_EXTERNAL_LOGGER, log_from_library, nullptr,                             //
                       MHD_OPTION_STRICT_FOR_CLIENT, 1,                                                   //
                       MHD_OPTION_END);
  if (in.daemon == nullptr)
    fail(ErrorKind::io, "cannot listen on {}:{}: {}", in.options.address, in.options.port,
         errno != 0 ? std::strerror(errno) : "libmicrohttpd refused to start");
  const MHD_DaemonInfo* info = MHD_get_daemon_info(in.daemon, MHD_DAEMON_INFO_BIND_PORT);
  in.port = info != nullptr ? info->port : in.options.port;
}

void Server::stop() {
  auto& in = *m_internals;
  if (in.daemon == nullptr)
    return;
  in.stopping.store(true);
  // libmicrohttpd must not stop with parked connections: end every stream and answer every
  // deferred request, then wake them all; nothing parks again once `stopping` is set.
  std::set<std::shared_ptr<Stream>> streams;
  std::set<std::shared_ptr<Deferred>> deferred;
  std::set<std::shared_ptr<Parking>> parkings;
  {
    std::lock_guard lock(in.live_mutex);
    streams = in.live_streams;
    deferred = in.live_deferred;
    parkings = in.live_parkings;
  }
  for (const auto& s : streams)
    s->finish();
  for (const auto& d : deferred)
    d->complete(error_response(503, "the agent is stopping"));
  for (const auto& p : parkings)
    p->wake();
  // Stop accepting, then give the ended streams and answered requests a moment to reach their
  // clients before every connection is closed.
  MHD_socket listener = MHD_quiesce_daemon(in.daemon);
  if (listener != MHD_INVALID_SOCKET)
    ::close(listener);
  for (int i = 0; i < 200; ++i) {
    {
      std::lock_guard lock(in.live_mutex);
      if (in.live_streams.empty() && in.live_deferred.empty())
        break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  MHD_stop_daemon(in.daemon);
  in.daemon = nullptr;
}

std::uint16_t Server::port() const {
  return m_internals->port;
}

std::string Server::base_url() const {
  const std::string& address = m_internals->options.address;
  bool v6 = address.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + address + "]" : address) + ":" + std::to_string(port());
}

std::uint64_t Server::requests() const {
  return m_internals->requests.load();
}

} // namespace dockerops::http
