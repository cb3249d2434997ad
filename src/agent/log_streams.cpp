#include "agent/log_streams.hpp"

#include "base/error.hpp"
#include "engine/engine.hpp"
#include "http/limits.hpp"
#include "http/sse.hpp"
#include "http/stream.hpp"

#include <nlohmann/json.hpp>

namespace dockerops::agent {
namespace {

// Splits output into lines per stream and sends each as an SSE event.
class LineSplitter {
public:
  explicit LineSplitter(http::Stream& stream) : m_stream(stream) {}

  bool feed(engine::Stream which, std::string_view bytes) {
    std::string& pending = which == engine::Stream::error ? m_err : m_out;
    pending.append(bytes);
    std::string frames;
    std::size_t start = 0;
    for (auto nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n', start)) {
      std::string_view line(pending.data() + start, nl - start);
      if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
      frames += http::sse_event(line, type(which));
      start = nl + 1;
    }
    pending.erase(0, start);
    return frames.empty() || m_stream.push(frames);
  }

  void flush() {
    if (!m_out.empty())
      m_stream.push(http::sse_event(m_out, "stdout"));
    if (!m_err.empty())
      m_stream.push(http::sse_event(m_err, "stderr"));
  }

private:
  static const char* type(engine::Stream which) {
    return which == engine::Stream::error ? "stderr" : "stdout";
  }

  http::Stream& m_stream;
  std::string m_out{};
  std::string m_err{};
};

} // namespace

LogStreams::LogStreams(engine::Engine& engine, std::size_t limit) : m_engine(engine), m_limit(limit) {}

LogStreams::~LogStreams() {
  stop();
}

void LogStreams::reap() {
  for (auto it = m_followers.begin(); it != m_followers.end();) {
    if (it->finished->load()) {
      it->thread.join();
      it = m_followers.erase(it);
    } else {
      ++it;
    }
  }
}

std::shared_ptr<http::Stream> LogStreams::open(const LogRequest& request) {
  std::lock_guard lock(m_mutex);
  reap();
  if (m_stopping.load() || m_followers.size() >= m_limit)
    return nullptr;
  auto stream = std::make_shared<http::Stream>(http::k_max_stream_backlog);
  stream->push(http::sse_retry(http::k_sse_retry_ms));
  auto finished = std::make_shared<std::atomic<bool>>(false);
  std::thread thread([this, request, stream, finished] {
    std::string reason = request.follow ? "the container stopped" : "the end of the output";
    try {
      LineSplitter lines(*stream);
      engine::LogOptions options;
      options.follow = request.follow;
      options.tail = request.tail;
      options.timestamps = request.timestamps;
      options.cancelled = [this, stream] { return m_stopping.load() || stream->done(); };
      m_engine.logs(request.container_id, options,
                    [&](engine::Stream which, std::string_view bytes) { return lines.feed(which, bytes); });
      lines.flush();
      if (m_stopping.load())
        reason = "the agent is stopping";
    } catch (const std::exception& e) {
      reason = e.what();
    }
    stream->push(http::sse_event(nlohmann::json{{"reason", reason}}.dump(), "end"));
    stream->finish();
    finished->store(true);
  });
  m_followers.push_back({stream, finished, std::move(thread)});
  return stream;
}

void LogStreams::keep_alive() {
  std::lock_guard lock(m_mutex);
  reap();
  for (auto& f : m_followers)
    f.stream->push(http::sse_comment("keep-alive"));
}

void LogStreams::stop() {
  m_stopping.store(true);
  std::list<Follower> followers;
  {
    std::lock_guard lock(m_mutex);
    followers.swap(m_followers);
  }
  for (auto& f : followers)
    if (f.thread.joinable())
      f.thread.join();
}

} // namespace dockerops::agent
