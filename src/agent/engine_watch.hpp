#pragma once

#include "agent/backoff.hpp"
#include "engine/types.hpp"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace dockerops::engine {
class Engine;
} // namespace dockerops::engine

namespace dockerops::agent {

// Follows the Engine API's event stream, filtered (project_events: the project's containers;
// swarm_events: a manager's services and nodes), on its own thread. Events only wake the reconcile (a missed
// one costs latency, never correctness: the loop also reconciles at a fixed interval). A broken stream (the
// daemon restarted) is retried with capped exponential back-off (0.5 s .. 30 s); once the daemon
// answers again, `on_reconnect` asks for a full reconcile.
class EngineWatch {
public:
  struct Callbacks {
    std::function<void(const engine::Event&)> on_event;
    std::function<void(const std::string& error)> on_lost;
    std::function<void()> on_reconnect;
  };

  EngineWatch(engine::Engine& engine, engine::Filters filters, Callbacks callbacks);
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
  engine::Filters m_filters;
  Callbacks m_callbacks;
  std::atomic<bool> m_stopping{false};
  std::mutex m_mutex{};
  std::condition_variable m_wake{};
  std::thread m_thread{};
};

// The containers of `project` (label dockerops.project).
engine::Filters project_events(const std::string& project);
// On a swarm manager: its services and nodes (a node going down or coming back, a service
// updated). Task moves and task deaths have no event of their own there: the agent also observes
// at a short interval.
engine::Filters swarm_events();

} // namespace dockerops::agent
