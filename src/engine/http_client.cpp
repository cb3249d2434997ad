#include "engine/http_client.hpp"

#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "base/log.hpp"
#include "engine/http_error.hpp"

#include <curl/curl.h>

#include <chrono>
#include <cstring>
#include <exception>

namespace dockerops::engine {
namespace {

// curl_global_init is not thread-safe: do it once, before the first handle.
void global_init() {
  static const bool k_done = [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return true;
  }();
  (void)k_done;
}

using Clock = std::chrono::steady_clock;

// The timeout of one transfer: a whole call, or (streams) the wait for the reply's head after the
// last byte moved, so that a stream may then stay quiet (logs -f, events) for as long as it likes.
struct Deadline {
  Clock::duration limit{};
  bool head_only = false;
  Clock::time_point last_activity = Clock::now();
  curl_off_t last_down = 0;
  curl_off_t last_up = 0;
  bool head_received = false;
  bool expired = false;

  // Called from the progress callback (at least once a second): true when time is up.
  bool check(curl_off_t down, curl_off_t up) {
    auto now = Clock::now();
    if (head_only && (down != last_down || up != last_up)) {
      last_down = down;
      last_up = up;
      last_activity = now;
    }
    expired = !(head_only && head_received) && now - last_activity > limit;
    return expired;
  }
};

// State shared with the C callbacks of one transfer; exceptions are parked and rethrown after perform.
struct Transfer {
  CURL* handle = nullptr;
  const HttpRequest* request = nullptr;
  HttpResponse* response = nullptr;
  std::exception_ptr error;
  bool interrupted = false;
  Deadline deadline{};
  bool cancelled = false;
};

extern "C" size_t on_write(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  size_t bytes = size * count;
  long status = 0;
  curl_easy_getinfo(transfer->handle, CURLINFO_RESPONSE_CODE, &status);
  if (!transfer->request->on_data || status >= 300) {
    transfer->response->body.append(data, bytes);
    return bytes;
  }
  try {
    if (!transfer->request->on_data(std::string_view(data, bytes))) {
      transfer->response->stopped = true;
      return 0; // CURLE_WRITE_ERROR, treated as a clean stop
    }
  } catch (...) {
    transfer->error = std::current_exception();
    return 0;
  }
  return bytes;
}

extern "C" size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  size_t bytes = size * count;
  transfer->deadline.head_received = true;
  std::string_view line(data, bytes);
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    for (auto& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
      value.remove_suffix(1);
    transfer->response->headers[name] = std::string(value);
  }
  return bytes;
}

extern "C" size_t on_read(char* buffer, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  try {
    return (*transfer->request->upload)(buffer, size * count);
  } catch (...) {
    transfer->error = std::current_exception();
    return CURL_READFUNC_ABORT;
  }
}

// Aborts any transfer, streams included, once Ctrl-C was pressed, its deadline passed, or its
// requester cancels.
extern "C" int on_progress(void* user, curl_off_t, curl_off_t down, curl_off_t, curl_off_t up) {
  auto* transfer = static_cast<Transfer*>(user);
  if (interrupt::requested()) {
    transfer->interrupted = true;
    return 1;
  }
  if (transfer->request->cancelled && transfer->request->cancelled()) {
    transfer->cancelled = true;
    transfer->response->stopped = true;
    return 1;
  }
  return transfer->deadline.check(down, up) ? 1 : 0;
}

} // namespace

std::string url_escape(std::string_view text) {
  char* escaped = curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size()));
  if (escaped == nullptr)
    fail(ErrorKind::internal, "cannot URL-encode a query value");
  std::string result(escaped);
  curl_free(escaped);
  return result;
}

Query& Query::add(std::string_view key, std::string_view value) {
  m_text += m_text.empty() ? '?' : '&';
  m_text.append(key);
  m_text += '=';
  m_text += url_escape(value);
  return *this;
}

HttpClient::HttpClient(HostAddress address, std::chrono::seconds timeout)
    : m_address(std::move(address)), m_timeout(timeout) {
  global_init();
}

HttpClient::~HttpClient() {
  for (void* handle : m_idle)
    curl_easy_cleanup(static_cast<CURL*>(handle));
}

void* HttpClient::acquire() {
  {
    std::lock_guard lock(m_mutex);
    if (!m_idle.empty()) {
      void* handle = m_idle.back();
      m_idle.pop_back();
      return handle;
    }
  }
  CURL* handle = curl_easy_init();
  if (handle == nullptr)
    fail(ErrorKind::internal, "libcurl could not create a handle");
  return handle;
}

void HttpClient::release(void* handle) {
  std::lock_guard lock(m_mutex);
  m_idle.push_back(handle);
}

HttpResponse HttpClient::perform(const HttpRequest& request) {
  CURL* handle = static_cast<CURL*>(acquire());
  struct Lease {
    HttpClient* client;
    CURL* handle;
    ~Lease() { client->release(handle); }
  } lease{this, handle};

  // curl_easy_reset clears every option (no body or method leaks into the next request) but keeps
  // the live connection, so keep-alive still works.
  curl_easy_reset(handle);
  HttpResponse response;
  Transfer transfer{handle, &request, &response, nullptr, false, {}, false};
  transfer.deadline.limit = m_timeout + std::chrono::seconds(request.extra_seconds);
  transfer.deadline.head_only = request.on_data || request.upload != nullptr || request.open_ended;
  std::string url = m_address.url_base() + request.path;
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  if (m_address.is_unix)
    curl_easy_setopt(handle, CURLOPT_UNIX_SOCKET_PATH, m_address.socket_path.c_str());
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, 30L);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(handle, CURLOPT_XFERINFODATA, &transfer);

  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Expect:");
  for (const auto& header : request.headers)
    headers = curl_slist_append(headers, header.c_str());
  if (request.method == "HEAD") {
    curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
  } else if (request.upload != nullptr) {
    curl_easy_setopt(handle, CURLOPT_POST, 1L);
    curl_easy_setopt(handle, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(handle, CURLOPT_READDATA, &transfer);
    headers = curl_slist_append(headers, "Transfer-Encoding: chunked");
    std::string type =
        "Content-Type: " + (request.content_type.empty() ? "application/x-tar" : request.content_type);
    headers = curl_slist_append(headers, type.c_str());
  } else if (request.method == "POST") {
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.json_body.c_str());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.json_body.size()));
    headers = curl_slist_append(headers, "Content-Type: application/json");
  } else if (request.method != "GET") {
    curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);

  auto started = std::chrono::steady_clock::now();
  CURLcode code = curl_easy_perform(handle);
  curl_slist_free_all(headers);
  long os_errno = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &response.status);
  curl_easy_getinfo(handle, CURLINFO_OS_ERRNO, &os_errno);
  auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
          .count();
  // Only method and path, without body or query: both may carry env values or build args.
  log::debug("engine: {} {} -> {} ({} ms)", request.method, request.path.substr(0, request.path.find('?')),
             response.status, elapsed);

  if (transfer.error)
    std::rethrow_exception(transfer.error);
  if (transfer.cancelled && !transfer.interrupted)
    return response;
  if (transfer.deadline.expired && code == CURLE_ABORTED_BY_CALLBACK)
    throw timeout_error(m_address.original, request.method, request.path,
                        std::chrono::duration_cast<std::chrono::seconds>(transfer.deadline.limit).count());
  if (transfer.interrupted || code == CURLE_ABORTED_BY_CALLBACK)
    fail(ErrorKind::interrupted, "interrupted");
  if (code == CURLE_WRITE_ERROR && response.stopped)
    return response;
  if (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST ||
      (code != CURLE_OK && response.status == 0)) {
    std::string reason = os_errno != 0 ? std::strerror(static_cast<int>(os_errno)) : curl_easy_strerror(code);
    throw unreachable_error(m_address.original, reason);
  }
  if (code != CURLE_OK) {
    // The daemon closed a stream mid-way, e.g. because it restarted.
    fail(ErrorKind::engine, "{} {}: connection to the Docker daemon failed: {}", request.method, request.path,
         curl_easy_strerror(code));
  }
  return response;
}

} // namespace dockerops::engine
