#pragma once

#include "agent/actions.hpp"
#include "agent/keep_alive.hpp"
#include "project/project.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

namespace dockerops::engine {
class Engine;
}
namespace dockerops::http {
class Deferred;
}

namespace dockerops::agent {

// How an action went.
struct ActionResult {
  Action action{};
  bool ok = false;
  std::string error{};
  std::size_t dns_changes = 0;
  actions::WatchDeliveries watch{};
  bool from_api = false;
  bool skipped = false; // the core found nothing to do: a command did it meanwhile
  std::string plan{};   // scale: the plan the core executed
  bool refused = false; // the core refused the request (a usage or config Error): 400 for the API
};

// Carries out the agent's actions one at a time on its own thread, so that the loop keeps
// observing, sampling and streaming while an instance comes back. Each action takes the project
// lock (docs/decisions.md 34) without waiting: while a command holds it, the action waits its turn
// (retried every half second) and then runs against what the command left, so the agent never
// races a user. One queued or running action per key.
class Actor {
public:
  Actor(engine::Engine& engine, project::DiscoveryOptions where,
        std::function<void(const ActionResult&)> finished);
  ~Actor();
  Actor(const Actor&) = delete;
  Actor& operator=(const Actor&) = delete;

  void start();
  // Finishes the running action (a core call is not cut in the middle) and drops the queue;
  // parked API requests get 503.
  void stop();

  // Queues a keep-alive action unless one for its key is queued or running.
  void submit(const Action& action);

  // Queues a restart asked through the API; the Deferred is completed with the answer: 200 when
  // done, 409 when the project stayed busy for a minute, 500 when the core failed.
  std::shared_ptr<http::Deferred> restart(const std::string& service, const std::string& instance);

  // Queues a scale asked through the API (POST /api/v1/services/{service}/scale): 200 when done, 400
  // when the core refuses it (no counted entry, a count outside 1..250 or autoscale's bounds), 409
  // when the project stayed busy for a minute, 500 when it failed.
  std::shared_ptr<http::Deferred> scale(const std::string& service, const std::optional<std::string>& prefix,
                                        int count);

  // Keys queued or running.
  std::set<std::string> busy() const;

private:
  struct Job {
    Action action;
    std::shared_ptr<http::Deferred> deferred{}; // set for API requests
    std::chrono::steady_clock::time_point give_up{};
  };
  void run();
  // Queues a job a person waits for, first in line.
  std::shared_ptr<http::Deferred> ask(Job job);
  // Runs one job under the project lock; false when the lock is held by a command.
  bool execute(Job& job);

  engine::Engine& m_engine;
  project::DiscoveryOptions m_where;
  std::function<void(const ActionResult&)> m_finished;
  mutable std::mutex m_mutex{};
  std::condition_variable m_cv{};
  std::deque<Job> m_queue{};
  std::string m_running{};
  bool m_stopping = false;
  std::thread m_thread{};
};

} // namespace dockerops::agent
