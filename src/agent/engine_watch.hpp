#pragma once

#include "agent/backoff.hpp"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace dockerops::engine {
class Engine;
struct Event;
} // namespace dockerops::engine

namespace dockerops::agent {

// Follows the Engine API's event stream, filtered to the project's containers (label
// dockerops.project), on its own thread. Events only wake the reconcile (a missed one costs
// latency, never correctness: the loop also reconciles at a fixed interval). A broken stream (the
// daemon restarted) is retried with capped exponential back-off (0.5 s .. 30 s); once the daemon
// answers again, `on_reconnect` asks for a full reconcile.
class EngineWatch {
public:
  struct Callbacks {
    std::function<void(const engine::Event&)> on_event;
    std::function<void(const std::string& error)> on_lost;
    std::function<void()> on_reconnect;
  };

  EngineWatch(engine::Engine& engine, std::string project, Callbacks callbacks);
  ~EngineWatch();
  EngineWatch(const EngineWatch&) = delete;
  EngineWatch& operator=(const EngineWatch&) = delete;

  void start();
  // Ends the stream (within about a second) and joins the thread.
  void stop();

private:
  void run();
  bool pause(std::chrono::milliseconds delay); // false when stopping

  engine::Engine& m_engine;
  std::string m_project;
  Callbacks m_callbacks;
  std::atomic<bool> m_stopping{false};
  std::mutex m_mutex{};
  std::condition_variable m_wake{};
  std::thread m_thread{};
};

} // namespace dockerops::agent
