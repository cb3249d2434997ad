#pragma once

#include "engine/docker_host.hpp"
#include "engine/types.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace dockerops::engine {

// One HTTP exchange with the daemon.
struct HttpRequest {
  std::string method = "GET";         // GET, HEAD, POST, DELETE
  std::string path{};                 // with version prefix and query: "/v1.41/containers/json?all=1"
  std::string json_body{};            // sent as application/json when non-empty
  const BodyReader* upload = nullptr; // streamed (chunked) body, e.g. a tar
  std::string content_type{};         // for upload
  std::vector<std::string> headers{}; // extra request headers, "Name: value"
  // Streaming replies: each chunk of a 2xx body goes here instead of into HttpResponse::body;
  // returning false ends the transfer early (not an error).
  std::function<bool(std::string_view chunk)> on_data{};
  // A reply that comes when the daemon's work is done (POST /wait): timed like a stream, only until
  // its head arrives.
  bool open_ended = false;
  // Seconds the daemon may legitimately take on top of the timeout (a stop's grace period).
  int extra_seconds = 0;
  // Polled about once a second during the transfer: true ends it early, as a clean stop (a
  // stream whose reader went away).
  std::function<bool()> cancelled{};
};

struct HttpResponse {
  long status = 0;
  std::string body{};                           // error bodies always land here
  std::map<std::string, std::string> headers{}; // lowercased names
  bool stopped = false;                         // on_data asked to stop
};

// libcurl transport to the Engine API: a pool of easy handles, one per concurrent caller, each reused
// so that libcurl keeps its connection alive (over the unix socket too). Thread-safe.
// Throws engine_unreachable when the connection fails or the daemon does not answer in time (a
// non-streaming call within `timeout`, a stream's head within `timeout` of the last byte sent: a
// daemon that accepts and never answers must not hang dockerops), interrupted on Ctrl-C; HTTP errors
// are returned.
class HttpClient {
public:
  explicit HttpClient(HostAddress address, std::chrono::seconds timeout = k_default_api_timeout);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResponse perform(const HttpRequest& request);
  const HostAddress& address() const { return m_address; }
  std::chrono::seconds timeout() const { return m_timeout; }

private:
  void* acquire();
  void release(void* handle);

  HostAddress m_address;
  std::chrono::seconds m_timeout;
  std::mutex m_mutex{};
  std::vector<void*> m_idle{};
};

// URL-encodes one query value (curl_easy_escape).
std::string url_escape(std::string_view text);

// Builds "?k=v&k2=v2" with escaped values; empty when no parameter was added.
class Query {
public:
  Query& add(std::string_view key, std::string_view value);
  Query& add(std::string_view key, bool value) { return add(key, std::string_view(value ? "1" : "0")); }
  Query& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
  Query& add(std::string_view key, long long value) {
    return add(key, std::string_view(std::to_string(value)));
  }
  const std::string& str() const { return m_text; }

private:
  std::string m_text{};
};

} // namespace dockerops::engine
