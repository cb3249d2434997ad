#include "agent/engine_watch.hpp"

#include "base/error.hpp"
#include "base/log.hpp"
#include "engine/engine.hpp"
#include "project/model.hpp"

namespace dockerops::agent {

EngineWatch::EngineWatch(engine::Engine& engine, engine::Filters filters, Callbacks callbacks)
    : m_engine(engine), m_filters(std::move(filters)), m_callbacks(std::move(callbacks)) {}

engine::Filters project_events(const std::string& project) {
  return {{"type", {"container"}}, {"label", {std::string(project::k_label_project) + "=" + project}}};
}

engine::Filters swarm_events() {
  return {{"type", {"service", "node"}}};
}

EngineWatch::~EngineWatch() {
  stop();
}

void EngineWatch::start() {
  m_thread = std::thread([this] { run(); });
}

void EngineWatch::stop() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping.store(true);
  }
  m_wake.notify_all();
  if (m_thread.joinable())
    m_thread.join();
}

bool EngineWatch::pause(std::chrono::milliseconds delay) {
  std::unique_lock lock(m_mutex);
  m_wake.wait_for(lock, delay, [this] { return m_stopping.load(); });
  return !m_stopping.load();
}

void EngineWatch::run() {
  Backoff backoff(std::chrono::milliseconds(500), std::chrono::seconds(30));
  engine::EventOptions options;
  options.filters = m_filters;
  options.cancelled = [this] { return m_stopping.load(); };
  bool lost = false;
  while (!m_stopping.load()) {
    auto started = std::chrono::steady_clock::now();
    std::string error = "the daemon ended the event stream";
    try {
      if (lost) {
        m_engine.ping(); // throws while the daemon is away
        lost = false;
        if (m_callbacks.on_reconnect)
          m_callbacks.on_reconnect();
      }
      m_engine.events(options, [this](const engine::Event& event) {
        if (m_callbacks.on_event)
          m_callbacks.on_event(event);
        return !m_stopping.load();
      });
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::interrupted)
        return;
      error = e.what();
    }
    if (m_stopping.load())
      return;
    if (!lost && m_callbacks.on_lost)
      m_callbacks.on_lost(error);
    lost = true;
    if (std::chrono::steady_clock::now() - started > std::chrono::seconds(30))
      backoff.reset(); // it had been working: start again quickly
    auto delay = backoff.next();
    log::debug("agent: event stream lost ({}); retrying in {} ms", error, delay.count());
    if (!pause(delay))
      return;
  }
}

} // namespace dockerops::agent
