#pragma once

// Shared by server.cpp (the daemon's life) and server_request.cpp (one request's life). Not a
// public header: only the http module includes it.

#include "http/deferred.hpp"
#include "http/server.hpp"
#include "http/stream.hpp"

#include <microhttpd.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <set>

namespace dockerops::http {

// Suspends and resumes one connection safely across threads: a wake-up that arrives before the
// connection is parked is remembered, so no output and no completion is ever missed.
class Parking {
public:
  Parking(MHD_Connection* connection, const std::atomic<bool>* stopping)
      : m_connection(connection), m_stopping(stopping) {}

  // Event thread: parks the connection unless a wake-up is pending or the server stops; returns
  // true when parked.
  bool park();

  // Any thread: resumes the connection when parked, else remembers the wake-up.
  void wake();

  // Event thread: the request is over; later wake-ups do nothing.
  void gone();

private:
  std::mutex m_mutex{};
  MHD_Connection* m_connection;
  const std::atomic<bool>* m_stopping;
  bool m_parked = false;
  bool m_pending = false;
  bool m_gone = false;
};

// One request in progress (MHD's per-request closure).
struct RequestState {
  Request request{};
  bool started = false;            // the first call (headers) was handled
  bool answered = false;           // a response is queued
  std::optional<Response> early{}; // decided before the body (401, 413...): queued at the end
  std::size_t received = 0;        // body bytes seen, kept or not
  bool too_large = false;
  std::shared_ptr<Deferred> deferred{};
  std::shared_ptr<Stream> stream{};
  std::shared_ptr<Parking> parking{};
};

// Everything the C callbacks reach through their closure pointer.
struct ServerInternals {
  ServerOptions options;
  Router router;
  MHD_Daemon* daemon = nullptr;
  std::uint16_t port = 0;
  std::atomic<std::uint64_t> requests{0};
  std::atomic<bool> stopping{false};
  // Live streams and deferred requests, so that stop() can end them before the daemon stops.
  std::mutex live_mutex{};
  std::set<std::shared_ptr<Stream>> live_streams{};
  std::set<std::shared_ptr<Deferred>> live_deferred{};
  std::set<std::shared_ptr<Parking>> live_parkings{};
};

// The MHD access handler (server_request.cpp).
MHD_Result handle_access(void* cls, MHD_Connection* connection, const char* url, const char* method,
                         const char* version, const char* upload_data, std::size_t* upload_data_size,
                         void** con_cls);

// The MHD completion callback: frees the request's state (server_request.cpp).
void handle_completed(void* cls, MHD_Connection* connection, void** con_cls, MHD_RequestTerminationCode code);

} // namespace dockerops::http
