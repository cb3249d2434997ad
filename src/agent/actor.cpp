#include "agent/actor.hpp"

#include "agent/actions.hpp"
#include "base/error.hpp"
#include "base/log.hpp"
#include "core/project_lock.hpp"
#include "http/deferred.hpp"
#include "http/message.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <optional>

namespace dockerops::agent {
namespace {

constexpr std::chrono::milliseconds k_lock_retry{500};
constexpr std::chrono::seconds k_api_patience{60};

} // namespace

Actor::Actor(engine::Engine& engine, project::DiscoveryOptions where,
             std::function<void(const ActionResult&)> finished)
    : m_engine(engine), m_where(std::move(where)), m_finished(std::move(finished)) {}

Actor::~Actor() {
  stop();
}

void Actor::start() {
  m_thread = std::thread([this] { run(); });
}

void Actor::stop() {
  std::deque<Job> dropped;
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
    dropped.swap(m_queue);
  }
  m_cv.notify_all();
  for (auto& job : dropped)
    if (job.deferred)
      job.deferred->complete(http::error_response(503, "the agent is stopping"));
  if (m_thread.joinable())
    m_thread.join();
}

void Actor::submit(const Action& action) {
  {
    std::lock_guard lock(m_mutex);
    if (m_stopping || m_running == action.key())
      return;
    for (const auto& job : m_queue)
      if (job.action.key() == action.key())
        return;
    m_queue.push_back({action});
  }
  m_cv.notify_all();
}

std::shared_ptr<http::Deferred> Actor::restart(const std::string& service, const std::string& instance) {
  Job job;
  job.action.kind = ActionKind::restart;
  job.action.service = service;
  job.action.instance = instance;
  job.action.reason = "asked through the API";
  return ask(std::move(job));
}

std::shared_ptr<http::Deferred> Actor::scale(const std::string& service,
                                             const std::optional<std::string>& prefix, int count) {
  Job job;
  job.action.kind = ActionKind::scale;
  job.action.service = service;
  job.action.instance = prefix.value_or("");
  job.action.count = count;
  job.action.reason = fmt::format("{} instances, asked through the API", count);
  return ask(std::move(job));
}

std::shared_ptr<http::Deferred> Actor::ask(Job job) {
  auto deferred = std::make_shared<http::Deferred>();
  job.deferred = deferred;
  job.give_up = std::chrono::steady_clock::now() + k_api_patience;
  {
    std::lock_guard lock(m_mutex);
    if (m_stopping) {
      deferred->complete(http::error_response(503, "the agent is stopping"));
      return deferred;
    }
    m_queue.push_front(std::move(job)); // a person waits for this one
  }
  m_cv.notify_all();
  return deferred;
}

std::set<std::string> Actor::busy() const {
  std::lock_guard lock(m_mutex);
  std::set<std::string> keys;
  for (const auto& job : m_queue)
    keys.insert(job.action.key());
  if (!m_running.empty())
    keys.insert(m_running);
  return keys;
}

bool Actor::execute(Job& job) {
  const Action& a = job.action;
  ActionResult result{a};
  result.from_api = job.deferred != nullptr;
  std::optional<core::ProjectLock> lock;
  try {
    lock.emplace(m_where.dir, project::make_project(m_where).name,
                 "dockerops agent (" + std::string(to_string(a.kind)) + " " + a.key() + ")", false,
                 std::function<void(const std::string&)>());
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::conflict)
      throw;
    if (!job.deferred || std::chrono::steady_clock::now() < job.give_up) {
      log::debug("agent: {} {} waits: {}", to_string(a.kind), a.key(), e.what());
      return false;
    }
    job.deferred->complete(http::error_response(409, e.what()));
    return true;
  }
  try {
    switch (a.kind) {
    case ActionKind::start:
      result.skipped = !actions::start_instance(m_engine, m_where, a.service, a.instance);
      break;
    case ActionKind::create:
      result.skipped = !actions::create_instance(m_engine, m_where, a.service, a.instance, a.intent);
      break;
    case ActionKind::restart:
      actions::restart_instance(m_engine, m_where, a.service, a.instance);
      break;
    case ActionKind::dns_sync:
      result.dns_changes = actions::sync_dns(m_engine, m_where);
      break;
    case ActionKind::watch_sync:
      result.watch = actions::sync_watches(m_engine, m_where);
      break;
    case ActionKind::scale:
      result.plan = actions::scale_entry(
          m_engine, m_where, a.service,
          a.instance.empty() && job.deferred ? std::nullopt : std::optional<std::string>(a.instance), a.count,
          job.deferred ? "" : a.reason);
      break;
    case ActionKind::backoff:
      break;
    }
    result.ok = true;
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::interrupted)
      throw;
    result.error = e.what();
    result.refused = e.kind() == ErrorKind::usage || e.kind() == ErrorKind::config;
  }
  lock.reset();
  if (job.deferred) {
    std::string verb = a.kind == ActionKind::scale ? "scale" : "restart";
    nlohmann::json done = {{"service", a.service}, {"action", verb}, {"outcome", "ok"}};
    if (a.kind == ActionKind::scale)
      done["instances"] = a.count;
    else
      done["instance"] = a.instance;
    job.deferred->complete(
        result.ok        ? http::json_response(200, done)
        : result.refused ? http::error_response(400, result.error)
                         : http::error_response(500, verb + " of " + a.key() + " failed: " + result.error));
  }
  m_finished(result);
  return true;
}

void Actor::run() {
  std::unique_lock lock(m_mutex);
  while (!m_stopping) {
    if (m_queue.empty()) {
      m_cv.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
      continue;
    }
    Job job = std::move(m_queue.front());
    m_queue.pop_front();
    m_running = job.action.key();
    lock.unlock();
    bool done = true;
    try {
      done = execute(job);
    } catch (const Error&) {
      // Interrupted (the agent stops): the core call was cut short; the next agent converges.
      if (job.deferred)
        job.deferred->complete(http::error_response(503, "the agent is stopping"));
    }
    lock.lock();
    m_running.clear();
    if (!done && !m_stopping) {
      m_queue.push_back(std::move(job));
      m_cv.wait_for(lock, k_lock_retry, [this] { return m_stopping; });
    }
  }
}

} // namespace dockerops::agent
