#pragma once

#include <atomic>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace dockerops::engine {
class Engine;
}
namespace dockerops::http {
class Stream;
}

namespace dockerops::agent {

// What GET /api/v1/instances/{service}/{instance}/logs asks for.
struct LogRequest {
  std::string container_id;
  bool follow = false;
  std::string tail = "100"; // "all" or a number of lines
  bool timestamps = false;
};

// Container output as SSE streams: one line per event, typed "stdout" or "stderr", then an
// "end" event when the output ends (the container stopped, or follow=0). Each stream has a thread
// reading the Engine API's log stream (it blocks), at most `limit` at once; a stream whose
// client left ends within about a second (the Engine call is cancelled).
class LogStreams {
public:
  LogStreams(engine::Engine& engine, std::size_t limit = 32);
  ~LogStreams();
  LogStreams(const LogStreams&) = delete;
  LogStreams& operator=(const LogStreams&) = delete;

  // Starts one; nullptr when `limit` streams are open (the API answers 503).
  std::shared_ptr<http::Stream> open(const LogRequest& request);

  // A comment on every open stream.
  void keep_alive();

  // Ends every stream and waits for their threads.
  void stop();

private:
  struct Follower {
    std::shared_ptr<http::Stream> stream;
    std::shared_ptr<std::atomic<bool>> finished;
    std::thread thread;
  };
  void reap(); // joins the threads that are done (m_mutex held)

  engine::Engine& m_engine;
  std::size_t m_limit;
  std::atomic<bool> m_stopping{false};
  std::mutex m_mutex{};
  std::list<Follower> m_followers{};
};

} // namespace dockerops::agent
