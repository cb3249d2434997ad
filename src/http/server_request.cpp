#include "http/auth.hpp"
#include "http/limits.hpp"
#include "http/server_impl.hpp"
#include "http/target.hpp"

#include "base/log.hpp"
#include "base/strings.hpp"

#include <algorithm>
#include <exception>

// One request's life on the event thread: headers -> bounds and auth -> body -> route -> answer
// (now, as a stream, or when a Deferred completes).
namespace dockerops::http {

bool Parking::park() {
  std::lock_guard lock(m_mutex);
  if (m_gone || m_stopping->load())
    return false;
  if (m_pending) {
    m_pending = false;
    return false;
  }
  MHD_suspend_connection(m_connection);
  m_parked = true;
  return true;
}

void Parking::wake() {
  std::lock_guard lock(m_mutex);
  if (m_gone)
    return;
  if (m_parked) {
    m_parked = false;
    MHD_resume_connection(m_connection);
  } else {
    m_pending = true;
  }
}

void Parking::gone() {
  std::lock_guard lock(m_mutex);
  m_gone = true;
}

namespace {

struct QueryCollector {
  std::map<std::string, std::string>* query;
  std::size_t length = 0;
  bool bad = false;
};

MHD_Result collect_header(void* cls, MHD_ValueKind, const char* key, const char* value) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(cls);
  (*headers)[strings::to_lower(key)] = value == nullptr ? "" : value;
  return MHD_YES;
}

// The query arrives undecoded (the unescape callback is the identity): decoded here, so bad
// escapes are a 400 rather than silently mangled.
MHD_Result collect_query(void* cls, MHD_ValueKind, const char* key, const char* value) {
  auto* collector = static_cast<QueryCollector*>(cls);
  std::string_view raw_value = value == nullptr ? "" : value;
  collector->length += std::char_traits<char>::length(key) + raw_value.size() + 2;
  auto k = query_decode(key);
  auto v = query_decode(raw_value);
  if (!k || !v) {
    collector->bad = true;
    return MHD_NO;
  }
  (*collector->query)[*k] = *v;
  return MHD_YES;
}

// Streams are read by the event thread when the client can take more; an empty stream parks.
struct StreamReader {
  std::shared_ptr<Stream> stream;
  std::shared_ptr<Parking> parking;
  ServerInternals* server;
};

ssize_t read_stream(void* cls, std::uint64_t, char* buffer, std::size_t max) {
  auto* reader = static_cast<StreamReader*>(cls);
  while (true) {
    std::size_t taken = 0;
    switch (reader->stream->read(buffer, max, taken)) {
    case Stream::Read::data:
      return static_cast<ssize_t>(taken);
    case Stream::Read::end:
      return MHD_CONTENT_READER_END_OF_STREAM;
    case Stream::Read::empty:
      break;
    }
    if (reader->server->stopping.load())
      return MHD_CONTENT_READER_END_OF_STREAM;
    if (reader->parking->park())
      return 0;
  }
}

void free_stream(void* cls) {
  std::unique_ptr<StreamReader> reader(static_cast<StreamReader*>(cls));
  reader->stream->close();
  reader->parking->gone();
  std::lock_guard lock(reader->server->live_mutex);
  reader->server->live_streams.erase(reader->stream);
  reader->server->live_parkings.erase(reader->parking);
}

void add_headers(MHD_Response* mhd, const Response& response) {
  MHD_add_response_header(mhd, "Content-Type", response.content_type.c_str());
  bool own_cache_control = std::any_of(response.headers.begin(), response.headers.end(), [](const auto& h) {
    return strings::to_lower(h.first) == "cache-control";
  });
  if (!own_cache_control) // the status page's files are revalidated rather than never kept
    MHD_add_response_header(mhd, "Cache-Control", response.stream ? "no-cache" : "no-store");
  MHD_add_response_header(mhd, "X-Content-Type-Options", "nosniff");
  for (const auto& [name, value] : response.headers)
    MHD_add_response_header(mhd, name.c_str(), value.c_str());
}

MHD_Result queue(ServerInternals& server, MHD_Connection* connection, RequestState& state,
                 Response response) {
  MHD_Response* mhd = nullptr;
  if (response.stream) {
    auto reader = std::make_unique<StreamReader>(StreamReader{response.stream, state.parking, &server});
    std::weak_ptr<Parking> parking = state.parking;
    response.stream->set_waker([parking] {
      if (auto p = parking.lock())
        p->wake();
    });
    {
      std::lock_guard lock(server.live_mutex);
      server.live_streams.insert(response.stream);
      server.live_parkings.insert(state.parking);
    }
    mhd = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, read_stream, reader.get(),
                                            free_stream);
    if (mhd != nullptr) {
      [[maybe_unused]] auto* owned_by_mhd = reader.release(); // free_stream deletes it
    }
  } else {
    mhd = MHD_create_response_from_buffer(response.body.size(), response.body.data(), MHD_RESPMEM_MUST_COPY);
  }
  if (mhd == nullptr)
    return MHD_NO;
  add_headers(mhd, response);
  MHD_Result result = MHD_queue_response(connection, static_cast<unsigned>(response.status), mhd);
  MHD_destroy_response(mhd);
  state.answered = true;
  server.requests.fetch_add(1);
  if (server.options.on_request)
    server.options.on_request(response.status, state.request.method, state.request.path);
  return result;
}

// The checks made as soon as the headers are in: bounds of the target, the path, the token, the
// announced body size. Returns the refusal, or nullopt to go on.
std::optional<Response> check_headers(ServerInternals& server, MHD_Connection* connection,
                                      RequestState& state) {
  Request& request = state.request;
  MHD_get_connection_values(connection, MHD_HEADER_KIND, collect_header, &request.headers);
  QueryCollector query{&request.query};
  MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, collect_query, &query);
  if (request.path.size() + query.length > k_max_target)
    return error_response(414,
                          "the request target is longer than " + std::to_string(k_max_target) + " bytes");
  PathParts parts = split_path(request.path);
  if (!parts.error.empty())
    return error_response(400, "bad path: " + parts.error);
  if (query.bad)
    return error_response(400, "bad percent-encoding in the query");
  request.segments = std::move(parts.segments);
  if (!server.options.is_public || !server.options.is_public(request.path)) {
    AuthResult auth = check_bearer(request.header("authorization"), server.options.token);
    if (auth != AuthResult::ok) {
      Response refusal = error_response(401, auth_message(auth));
      refusal.headers.emplace_back("WWW-Authenticate",
                                   auth == AuthResult::wrong
                                       ? "Bearer realm=\"dockerops\", error=\"invalid_token\""
                                       : "Bearer realm=\"dockerops\"");
      return refusal;
    }
  }
  std::string length = request.header("content-length");
  if (!length.empty()) {
    char* end = nullptr;
    unsigned long long announced = std::strtoull(length.c_str(), &end, 10);
    if (end == length.c_str() || *end != '\0')
      return error_response(400, "bad Content-Length");
    if (announced > k_max_body)
      return error_response(413, "the request body is larger than 1 MiB");
  }
  return std::nullopt;
}

Response dispatch(ServerInternals& server, Request& request) {
  if (server.stopping.load())
    return error_response(503, "the agent is stopping");
  try {
    return server.router.dispatch(request);
  } catch (const std::exception& e) {
    log::warning("api: {} {}: internal error: {}", request.method, request.path, e.what());
    return error_response(500, std::string("internal error: ") + e.what());
  }
}

// The last call of a request (the body is in): answer now, stream, or park until a Deferred is done.
MHD_Result finish(ServerInternals& server, MHD_Connection* connection, RequestState& state) {
  if (state.deferred) {
    if (auto response = state.deferred->take())
      return queue(server, connection, state, std::move(*response));
    if (server.stopping.load())
      return queue(server, connection, state, error_response(503, "the agent is stopping"));
    state.parking->park();
    return MHD_YES;
  }
  if (state.too_large)
    return queue(server, connection, state, error_response(413, "the request body is larger than 1 MiB"));
  Response response = dispatch(server, state.request);
  if (!response.deferred)
    return queue(server, connection, state, std::move(response));
  state.deferred = response.deferred;
  {
    std::lock_guard lock(server.live_mutex);
    server.live_deferred.insert(state.deferred);
    server.live_parkings.insert(state.parking);
  }
  std::weak_ptr<Parking> parking = state.parking;
  state.deferred->set_waker([parking] {
    if (auto p = parking.lock())
      p->wake();
  });
  return finish(server, connection, state);
}

} // namespace

MHD_Result handle_access(void* cls, MHD_Connection* connection, const char* url, const char* method,
                         const char*, const char* upload_data, std::size_t* upload_data_size,
                         void** con_cls) {
  auto& server = *static_cast<ServerInternals*>(cls);
  auto* state = static_cast<RequestState*>(*con_cls);
  if (state == nullptr) {
    state = new RequestState();
    *con_cls = state;
    state->request.method = method;
    state->request.path = url;
    state->parking = std::make_shared<Parking>(connection, &server.stopping);
    if (auto refusal = check_headers(server, connection, *state))
      return queue(server, connection, *state, std::move(*refusal));
    return MHD_YES;
  }
  if (state->answered)
    return MHD_YES;
  if (upload_data != nullptr && *upload_data_size > 0) {
    state->received += *upload_data_size;
    if (!state->too_large && state->request.body.size() + *upload_data_size > k_max_body) {
      state->too_large = true;
      state->request.body.clear();
      state->request.body.shrink_to_fit();
    } else if (!state->too_large) {
      state->request.body.append(upload_data, *upload_data_size);
    }
    *upload_data_size = 0;
    // A chunked body that goes on and on is cut off rather than read forever.
    return state->received > 4 * k_max_body ? MHD_NO : MHD_YES;
  }
  return finish(server, connection, *state);
}

void handle_completed(void* cls, MHD_Connection*, void** con_cls, MHD_RequestTerminationCode) {
  auto& server = *static_cast<ServerInternals*>(cls);
  std::unique_ptr<RequestState> state(static_cast<RequestState*>(*con_cls));
  *con_cls = nullptr;
  if (!state)
    return;
  if (state->parking)
    state->parking->gone();
  std::lock_guard lock(server.live_mutex);
  if (state->deferred)
    server.live_deferred.erase(state->deferred);
  if (state->parking)
    server.live_parkings.erase(state->parking);
}

} // namespace dockerops::http
