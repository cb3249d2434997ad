#include "agent/agent.hpp"

#include "agent/agent_files.hpp"
#include "agent/agent_state.hpp"
#include "agent/api.hpp"
#include "agent/engine_events.hpp"
#include "agent/engine_watch.hpp"
#include "agent/event_feed.hpp"
#include "agent/log_streams.hpp"
#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "base/log.hpp"
#include "base/time_text.hpp"
#include "engine/engine.hpp"
#include "http/limits.hpp"
#include "http/server.hpp"
#include "project/model.hpp"

#include <map>

namespace dockerops::agent {
namespace {

using Clock = std::chrono::steady_clock;

// Between two reconciles woken by events, at least this long: a burst of events (run:all of
// thirty instances) costs a few passes, not thirty.
constexpr std::chrono::milliseconds k_min_reconcile_gap{100};
// How often the log is read for events that commands appended.
constexpr std::chrono::milliseconds k_feed_poll{250};

class Runner {
public:
  Runner(engine::Engine& engine, const AgentOptions& options)
      : m_engine(engine), m_options(options), m_state_dir(options.project_dir / ".dockerops"),
        m_state(options.project), m_log(m_state_dir), m_feed(m_log), m_observer(engine, options.project),
        m_sampler(engine, CgroupReader(options.cgroup_root)), m_logs(engine) {}

  void run(const std::function<void(const std::string&)>& on_ready) {
    AgentLock lock(m_state_dir);
    std::string token = ensure_token(m_state_dir);
    m_feed.start();
    count_restarts();
    reconcile(); // the first snapshot before anyone can ask
    ApiContext context;
    context.snapshot = [this] { return m_state.snapshot(); };
    context.figures = [this] { return figures(); };
    context.feed = &m_feed;
    context.logs = &m_logs;
    http::ServerOptions server_options;
    server_options.address = m_options.listen_address;
    server_options.port = m_options.port;
    server_options.token = token;
    server_options.on_request = [](int status, const std::string& method, const std::string& path) {
      log::debug("api: {} {} -> {}", method, path, status);
    };
    http::Server server(server_options, make_api(context));
    m_server = &server;
    server.start();
    std::string url = server.base_url();
    write_url(m_state_dir, url);
    lock.set_url(url);
    record_agent("agent-started", "ok", "the API listens at " + url);
    EngineWatch watch(m_engine, m_options.project,
                      {[this](const engine::Event& e) { on_engine_event(e); },
                       [this](const std::string& error) {
                         record_agent("engine-stream-lost", "failed", error + "; reconnecting with back-off");
                       },
                       [this] {
                         record_agent("engine-stream-restored", "ok",
                                      "the daemon answers again: full reconcile");
                         m_state.wake();
                       }});
    watch.start();
    if (on_ready)
      on_ready(url);
    std::string stop_reason = "stopped by a signal";
    try {
      loop();
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::interrupted)
        stop_reason = e.what();
    }
    watch.stop();
    m_logs.stop();
    server.stop();
    m_server = nullptr;
    remove_url(m_state_dir, url);
    record_agent("agent-stopped", "ok", stop_reason);
  }

private:
  void loop() {
    auto next_reconcile = Clock::now() + m_options.reconcile_interval;
    auto next_stats = Clock::now();
    auto next_keep_alive = Clock::now() + http::k_keep_alive_interval;
    auto last_reconcile = Clock::now();
    bool pending = false;
    while (!interrupt::requested()) {
      auto now = Clock::now();
      if (now >= next_reconcile || (pending && now - last_reconcile >= k_min_reconcile_gap)) {
        reconcile();
        last_reconcile = Clock::now();
        next_reconcile = last_reconcile + m_options.reconcile_interval;
        pending = false;
      }
      if (now >= next_stats) {
        sample_stats();
        next_stats = now + m_options.stats_interval;
      }
      if (now >= next_keep_alive) {
        m_feed.keep_alive();
        m_logs.keep_alive();
        next_keep_alive = now + http::k_keep_alive_interval;
      }
      m_feed.poll();
      auto deadline = std::min({next_reconcile, next_stats, next_keep_alive, Clock::now() + k_feed_poll});
      if (pending)
        deadline = std::min(deadline, last_reconcile + k_min_reconcile_gap);
      if (m_state.wait_until(deadline))
        pending = true;
    }
  }

  // Observe, then (once the agent may act) compare with what is wanted and act; publish the view.
  void reconcile() {
    std::vector<ObservedInstance> observed;
    try {
      observed = m_observer.observe();
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::interrupted)
        throw;
      log::warning("agent: cannot observe the project: {}", e.what());
      return; // keep the last snapshot; the Engine watch reconnects and wakes us
    }
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->project = m_options.project;
    snapshot->zone = std::string(project::k_zone);
    snapshot->observed_at = time_text::rfc3339(std::chrono::system_clock::now());
    std::string dns_server;
    for (auto& o : observed) {
      InstanceView view;
      view.restart = o.restart;
      auto restarts = m_restarts.find(o.service + "/" + o.instance);
      view.restarts = restarts == m_restarts.end() ? 0 : restarts->second;
      if (o.service == "dockerops-dns" && o.state == "running")
        dns_server = o.ip;
      view.observed = std::move(o);
      snapshot->instances.push_back(std::move(view));
    }
    snapshot->dns = read_dns(dns_server, m_options.project_dir);
    auto previous = m_state.snapshot();
    snapshot->stats = previous->stats;
    snapshot->sampled_at = previous->sampled_at;
    snapshot->stats_interval_seconds =
        static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(m_options.stats_interval).count());
    m_state.publish(snapshot);
  }

  void sample_stats() {
    auto current = m_state.snapshot();
    std::vector<SampleTarget> targets;
    for (const auto& i : current->instances)
      if (i.observed.state == "running")
        targets.push_back({i.observed.service, i.observed.instance, i.observed.container_id});
    auto stats = m_sampler.sample(targets);
    auto snapshot = std::make_shared<Snapshot>(*m_state.snapshot());
    snapshot->stats = std::move(stats);
    snapshot->sampled_at = time_text::rfc3339(std::chrono::system_clock::now());
    m_state.publish(snapshot);
  }

  void on_engine_event(const engine::Event& e) {
    if (!is_notable_action(e.action) && e.action.rfind("health_status", 0) != 0)
      return;
    Event event = event_from_engine(e);
    if (e.action == "kill" && (event.reason == "signal 15" || event.reason == "signal 2"))
      m_terminating[e.actor_id] = Clock::now();
    if (e.action == "die") {
      auto code = event.details.value("exit_code", 0);
      auto asked = m_terminating.find(e.actor_id);
      bool asked_to_stop =
          asked != m_terminating.end() && Clock::now() - asked->second < std::chrono::minutes(1);
      if (code != 0 && !asked_to_stop)
        m_state.failures.fetch_add(1);
    }
    if (e.action == "destroy")
      m_terminating.erase(e.actor_id);
    record(event);
    m_observer.invalidate(e.actor_id);
    m_state.wake();
  }

  void record(const Event& event) {
    try {
      m_log.append(event);
    } catch (const Error& e) {
      log::warning("agent: cannot record an event: {}", e.what());
    }
  }

  void record_agent(const std::string& action, const std::string& outcome, const std::string& reason) {
    Event event;
    event.action = action;
    event.outcome = outcome;
    event.reason = reason;
    event.source = "agent";
    record(event);
  }

  // Restart counts survive agent restarts: they are read back from the event log.
  void count_restarts() {
    for (const auto& e : m_feed.history())
      if (e.source == "agent" && e.outcome == "ok" && (e.action == "replace" || e.action == "restart"))
        ++m_restarts[e.service + "/" + e.instance];
  }

  AgentFigures figures() const {
    AgentFigures f;
    f.uptime_seconds = std::chrono::duration<double>(Clock::now() - m_state.started).count();
    http::Server* server = m_server.load();
    f.api_requests = server != nullptr ? server->requests() : 0;
    f.failures = m_state.failures.load();
    f.replacements = m_state.replacements.load();
    f.relocations = m_state.relocations.load();
    return f;
  }

  engine::Engine& m_engine;
  const AgentOptions& m_options;
  std::filesystem::path m_state_dir;
  AgentState m_state;
  EventLog m_log;
  EventFeed m_feed;
  Observer m_observer;
  StatsSampler m_sampler;
  LogStreams m_logs;
  std::atomic<http::Server*> m_server{nullptr};
  std::map<std::string, std::uint64_t> m_restarts{};
  std::map<std::string, Clock::time_point> m_terminating{}; // the Engine watch's thread only
};

} // namespace

void run_agent(engine::Engine& engine, const AgentOptions& options,
               const std::function<void(const std::string& url)>& on_ready) {
  Runner runner(engine, options);
  runner.run(on_ready);
}

} // namespace dockerops::agent
