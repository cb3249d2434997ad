#include "agent/agent.hpp"

#include "agent/actor.hpp"
#include "agent/agent_events.hpp"
#include "agent/agent_files.hpp"
#include "agent/agent_state.hpp"
#include "agent/api.hpp"
#include "agent/autoscaler.hpp"
#include "agent/engine_events.hpp"
#include "agent/engine_watch.hpp"
#include "agent/event_feed.hpp"
#include "agent/keep_alive.hpp"
#include "agent/latency_probe.hpp"
#include "agent/log_streams.hpp"
#include "agent/page.hpp"
#include "agent/swarm_observer.hpp"
#include "agent/watchers.hpp"
#include "apply/project_files.hpp"
#include "apply/swarm_dns.hpp"
#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "base/log.hpp"
#include "base/time_text.hpp"
#include "core/dns_sync.hpp"
#include "core/intent.hpp"
#include "core/project_lock.hpp"
#include "core/watch_sync.hpp"
#include "engine/engine.hpp"
#include "http/limits.hpp"
#include "http/server.hpp"
#include "project/model.hpp"

#include <map>
#include <optional>
#include <set>

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
      : m_engine(engine), m_options(options), m_project(project::make_project(options.where)),
        m_state_dir(std::filesystem::path(m_project.dir) / ".dockerops"), m_state(m_project.name),
        m_log(m_state_dir), m_feed(m_log), m_observer(engine, m_project.name),
        m_sampler(engine, CgroupReader(options.cgroup_root)), m_logs(engine),
        m_actor(engine, options.where, [this](const ActionResult& r) { on_action_done(r); }) {
    if (options.swarm)
      m_swarm.emplace(engine, m_project.name, m_project.dir);
  }

  void run(const std::function<void(const std::string&)>& on_ready) {
    AgentLock lock(m_state_dir);
    std::string token = apply::ensure_agent_token(m_state_dir);
    m_feed.start();
    count_restarts();
    if (m_swarm)
      reconcile_swarm(true); // fails at once when the engine is no swarm manager
    else
      reconcile(); // the first snapshot before anyone can ask
    ApiContext context;
    context.snapshot = [this] { return m_state.snapshot(); };
    context.figures = [this] { return figures(); };
    context.autoscale = [this] { return m_autoscaler.state(); };
    context.feed = &m_feed;
    context.logs = &m_logs;
    // On a swarm Swarm restarts and scales: the routes are not offered (GET /api/v1 lists the rest).
    context.acts = !m_swarm;
    if (!m_swarm) {
      context.restart = [this](const std::string& service, const std::string& instance) {
        return m_actor.restart(service, instance);
      };
      context.scale = [this](const std::string& service, const std::optional<std::string>& prefix,
                             int count) { return m_actor.scale(service, prefix, count); };
    }
    http::ServerOptions server_options;
    server_options.address = m_options.listen_address;
    server_options.port = m_options.port;
    server_options.token = token;
    server_options.is_public = is_page_path;
    server_options.on_request = [](int status, const std::string& method, const std::string& path) {
      log::debug("api: {} {} -> {}", method, path, status);
    };
    http::Router router = make_api(context);
    add_page_routes(router, m_options.page_dir.empty() ? nullptr : load_page(m_options.page_dir));
    http::Server server(server_options, std::move(router));
    m_server = &server;
    server.start();
    std::string url = server.base_url();
    write_url(m_state_dir, url);
    lock.set_url(url);
    record_agent("agent-started", "ok", "the API listens at " + url);
    EngineWatch watch(m_engine, m_swarm ? swarm_events() : project_events(m_project.name),
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
    if (!m_swarm)
      m_actor.start();
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
    m_actor.stop();
    m_logs.stop();
    server.stop();
    m_server = nullptr;
    remove_url(m_state_dir, url);
    record_agent("agent-stopped", "ok", stop_reason);
  }

private:
  void loop() {
    const auto interval = m_swarm ? std::min(m_options.reconcile_interval, m_options.swarm_interval)
                                  : m_options.reconcile_interval;
    auto next_reconcile = Clock::now() + interval;
    auto next_stats = Clock::now();
    auto next_keep_alive = Clock::now() + http::k_keep_alive_interval;
    auto last_reconcile = Clock::now();
    bool pending = false;
    while (!interrupt::requested()) {
      auto now = Clock::now();
      if (now >= next_reconcile || (pending && now - last_reconcile >= k_min_reconcile_gap)) {
        if (m_swarm)
          reconcile_swarm(false);
        else
          reconcile();
        last_reconcile = Clock::now();
        next_reconcile = last_reconcile + interval;
        pending = false;
      }
      if (now >= next_stats && !m_swarm) { // a swarm's tasks run on other hosts' cgroups
        sample_stats();
        autoscale();
        next_stats = now + m_options.stats_interval;
      }
      if (now >= next_keep_alive) {
        m_feed.keep_alive();
        m_logs.keep_alive();
        next_keep_alive = now + http::k_keep_alive_interval;
      }
      m_feed.poll();
      auto deadline = std::min({next_reconcile, next_stats, next_keep_alive, Clock::now() + k_feed_poll});
      if (m_next_check && *m_next_check <= now) {
        m_next_check.reset();
        pending = true; // a backed-off instance is due
      }
      if (m_next_check)
        deadline = std::min(deadline, *m_next_check);
      if (pending)
        deadline = std::min(deadline, last_reconcile + k_min_reconcile_gap);
      if (m_state.wait_until(deadline))
        pending = true;
    }
  }

  // Observe, compare with what the user wants, hand the differences to the actor, publish the view.
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
    std::optional<core::Intents> intents = read_intents("nothing is brought back until it is fixed");
    std::string dns_server;
    for (const auto& o : observed)
      if (o.service == project::k_dns_service && o.state == "running")
        dns_server = o.ip;
    DnsView dns = read_dns(dns_server, m_project.dir);
    // While a command changes the project (it holds the project lock), its instances come and go
    // on purpose: observe only, and look again soon.
    bool busy = intents && core::project_locked(m_project.dir);
    if (busy)
      m_next_check = Clock::now() + std::chrono::milliseconds(500);
    if (intents && !busy) {
      KeepAliveInput input{observed,     *intents,      dns,           std::string(project::k_zone),
                           Clock::now(), wall_millis(), m_actor.busy()};
      std::lock_guard lock(m_mutex);
      KeepAlivePlan plan = plan_keep_alive(input, m_loops);
      m_next_check = plan.next_check;
      for (const auto& action : plan.actions) {
        if (action.kind == ActionKind::backoff)
          record(action_event(action, "scheduled", action.reason, "agent"));
        else
          m_actor.submit(action);
      }
    }
    pace_watches(observed, busy);
    publish(std::move(observed), intents.value_or(core::Intents{}), std::move(dns));
  }

  // On a swarm: observe through the manager, record what moved or waits, publish. Swarm itself
  // restarts and reschedules tasks: nothing is brought back here (docs/decisions.md 38).
  void reconcile_swarm(bool first) {
    SwarmObserver::Pass pass;
    try {
      pass = m_swarm->observe();
    } catch (const Error& e) {
      if (first || e.kind() == ErrorKind::interrupted)
        throw;
      log::warning("agent: cannot observe the project on the swarm: {}", e.what());
      return; // keep the last snapshot; the next pass looks again
    }
    std::optional<core::Intents> intents = read_intents("the state shows no intents until it is fixed");
    for (const auto& event : pass.events) {
      if (event.action == "relocated")
        m_state.relocations.fetch_add(1);
      record(event);
    }
    follow_dns(pass.observed);
    publish(std::move(pass.instances), intents.value_or(core::Intents{}), std::move(pass.dns));
  }

  // Every node's DNS made to hold the running tasks' records (core::swarm_dns_sync) when they
  // change, and every reconcile interval anyway (a DNS task that restarted lost its records), or
  // at the next pass after a node's DNS did not answer. Not while a command changes the project.
  // Each node's DNS gets one attempt (a TCP connect timeout at most), not the retry deadline that
  // commands wait while a DNS starts: the next pass tries again, and a node killed but not yet
  // marked down (a heartbeat period or more) would otherwise hold every observation, and the other
  // nodes' records, for that deadline.
  void follow_dns(const plan::ObservedState& observed) {
    if (core::project_locked(m_project.dir))
      return;
    auto wanted = apply::swarm_dns_records(*observed.swarm, m_project.name, std::string(project::k_zone));
    std::string fingerprint;
    for (const auto& r : wanted)
      fingerprint += r.hostname + "=" + r.ip + ";";
    auto now = Clock::now();
    if (fingerprint == m_dns_fingerprint && now < m_dns_next)
      return;
    auto started = Clock::now();
    apply::SwarmDnsResult result;
    try {
      apply::DnsRetryPolicy once;
      once.deadline = std::chrono::milliseconds(0);
      result = core::swarm_dns_sync(m_project.name, observed, m_project.dir, nullptr, nullptr, once);
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::interrupted)
        throw;
      record_agent("dns-sync", "failed", e.what());
      m_dns_next = now + m_options.reconcile_interval;
      return;
    }
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
    bool changed = fingerprint != m_dns_fingerprint;
    m_dns_fingerprint = result.failures() == 0 ? fingerprint : std::string();
    m_dns_next = now + m_options.reconcile_interval;
    if (result.changes() == 0 && result.failures() == 0)
      return;
    std::string nodes;
    for (const auto& n : result.nodes)
      if (!n.error.empty())
        nodes += (nodes.empty() ? "" : ", ") + n.target.node;
    Event event = agent_event("dns-sync", result.failures() == 0 ? "ok" : "failed",
                              fmt::format("{}: {} record{} changed at {} node{}{}",
                                          changed ? "the tasks changed" : "periodic check", result.changes(),
                                          result.changes() == 1 ? "" : "s", result.nodes.size(),
                                          result.nodes.size() == 1 ? "" : "s",
                                          nodes.empty() ? "" : "; no answer from " + nodes));
    event.details["ms"] = ms;
    event.details["registered"] = result.registered;
    record(event);
  }

  // Members of watched services that changed without a command (a crash, a removal behind
  // dockerops' back, an instance the agent brought back) reach the watchers through the core's
  // watch_sync, once the membership has been quiet for a second, with back-off after a failed hook
  // (core::WatchPacing). Commands deliver their own changes; what they leave is found in sync.
  void pace_watches(const std::vector<ObservedInstance>& observed, bool busy) {
    auto members = watched_membership(observed);
    std::lock_guard lock(m_mutex);
    if (!members || m_watch_running)
      return; // while a delivery runs, its outcome is for the membership it started from
    double now = seconds_since_start();
    m_watch.observe(*members, now);
    if (!busy && m_watch.due(now)) {
      m_watch_running = true;
      Action action;
      action.kind = ActionKind::watch_sync;
      action.reason = "members of watched services changed without a command";
      m_actor.submit(action);
    } else if (auto due = m_watch.next_due()) {
      auto at =
          m_state.started + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(*due));
      m_next_check = m_next_check ? std::min(*m_next_check, at) : at;
    }
  }

  double seconds_since_start() const {
    return std::chrono::duration<double>(Clock::now() - m_state.started).count();
  }

  void publish(std::vector<ObservedInstance> observed, const core::Intents& intents, DnsView dns) {
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->project = m_project.name;
    snapshot->zone = std::string(project::k_zone);
    snapshot->observed_at = time_text::rfc3339(std::chrono::system_clock::now());
    {
      std::lock_guard lock(m_mutex);
      std::map<std::string, std::string> backoff_until;
      for (const auto& o : observed)
        if (auto due = m_loops.not_before(o.service + "/" + o.instance); due && *due > Clock::now())
          backoff_until[o.service + "/" + o.instance] = time_text::rfc3339(
              std::chrono::system_clock::now() +
              std::chrono::duration_cast<std::chrono::system_clock::duration>(*due - Clock::now()));
      snapshot->instances = instance_views(std::move(observed), intents, m_restarts, backoff_until);
    }
    snapshot->dns = std::move(dns);
    auto previous = m_state.snapshot();
    snapshot->stats = previous->stats;
    snapshot->sampled_at = previous->sampled_at;
    snapshot->stats_interval_seconds =
        static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(m_options.stats_interval).count());
    m_state.publish(snapshot);
  }

  // What commands asked (.dockerops/intent.json), with the changes since the last pass recorded;
  // nullopt (and a warning ending in `consequence`) when the file cannot be read.
  std::optional<core::Intents> read_intents(const char* consequence) {
    std::optional<core::Intents> intents;
    try {
      intents = core::read_intents(m_project.dir);
    } catch (const Error& e) {
      log::warning("agent: {}: {}", e.what(), consequence);
    }
    if (intents)
      record_intent_changes(*intents);
    return intents;
  }

  // A command said something new about an instance: recorded as the user's.
  void record_intent_changes(const core::Intents& intents) {
    if (m_intents_known)
      for (const auto& event : intent_events(m_intents, intents))
        record(event);
    m_intents = intents;
    m_intents_known = true;
  }

  void on_action_done(const ActionResult& r) {
    const Action& a = r.action;
    if (a.kind == ActionKind::watch_sync) {
      on_watch_done(r);
      return;
    }
    if (a.kind == ActionKind::scale) {
      Event event = m_autoscaler.finished(a, r.ok, r.error);
      if (r.from_api) {
        event.action = "scale";
        event.source = "api";
        event.reason = a.reason + (r.ok ? "" : ": " + r.error);
      }
      record(event);
      if (r.ok)
        log::debug("agent: {}", r.plan);
      m_observer.invalidate_all();
      m_state.wake();
      return;
    }
    if (r.skipped) {
      log::debug("agent: {} {}: nothing to do any more", to_string(a.kind), a.key());
      m_state.wake();
      return;
    }
    std::string reason = r.ok ? a.reason : a.reason + ": " + r.error;
    if (a.kind == ActionKind::dns_sync && r.ok)
      reason += fmt::format(" ({} record{} changed)", r.dns_changes, r.dns_changes == 1 ? "" : "s");
    bool brings_back = a.kind == ActionKind::start || a.kind == ActionKind::create;
    if (brings_back) {
      std::lock_guard lock(m_mutex);
      if (r.ok) {
        ++m_restarts[a.key()];
        m_state.replacements.fetch_add(1);
      } else {
        // A failed attempt is a failure of the loop too: the next one backs off.
        m_loops.failed(a.key(), "attempt@" + time_text::rfc3339(std::chrono::system_clock::now()),
                       Clock::now());
      }
    }
    m_observer.invalidate_all();
    m_state.wake();
    record(action_event(a, r.ok ? "ok" : "failed", reason, r.from_api ? "api" : "agent"));
  }

  void on_watch_done(const ActionResult& r) {
    bool ok = r.ok && r.watch.failed == 0;
    {
      std::lock_guard lock(m_mutex);
      m_watch.delivered(ok, seconds_since_start());
      m_watch_running = false;
    }
    if (r.watch.deliveries > 0 || !ok) {
      std::string reason =
          !r.ok ? r.error
                : fmt::format("{}: {} deliver{}, {} failed", r.action.reason, r.watch.deliveries,
                              r.watch.deliveries == 1 ? "y" : "ies", r.watch.failed);
      if (!ok)
        reason += "; retried with back-off";
      m_state.wake();
      record(action_event(r.action, ok ? "ok" : "failed", reason, "agent"));
      return;
    }
    m_state.wake();
  }

  static std::int64_t wall_millis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
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

  // The autoscaler's pass on the figures just sampled: decisions become events, scales go to the actor.
  void autoscale() {
    AutoscaleView view;
    try {
      view.entries = autoscaled_entries(m_project.dir);
    } catch (const Error& e) {
      log::warning("agent: autoscale: {}", e.what());
      return;
    }
    if (view.entries.empty())
      return;
    auto current = m_state.snapshot();
    view.stats = current->stats;
    if (auto targets = probe_targets(view.entries, current->instances); !targets.empty())
      m_latency.record(probe_all(targets, probe_timeout(m_options.stats_interval)));
    view.latency = m_latency.medians();
    for (const auto& i : current->instances)
      if (i.observed.resources.cpus > 0)
        view.cpus[i.observed.service + "/" + i.observed.instance] = i.observed.resources.cpus;
    view.busy = m_actor.busy();
    view.now = Clock::now();
    // A command that changes the project meanwhile (scale, run) changes the count: decide after it.
    if (core::project_locked(m_project.dir))
      return;
    Autoscaler::Pass pass = m_autoscaler.evaluate(view);
    for (const auto& event : pass.events)
      record(event);
    for (const auto& action : pass.actions)
      m_actor.submit(action);
  }

  void on_engine_event(const engine::Event& e) {
    if (m_swarm) {
      log::debug("agent: {} {} {}: observing the swarm", e.type, e.action, e.actor_id);
      m_state.wake(); // the observation says what changed
      return;
    }
    if (!is_notable_action(e.action))
      return;
    Event event = event_from_engine(e);
    if (event.instance.empty())
      return; // a build's intermediate container: it carries the service's labels but is no instance
    // Died with an error while the user wants it running: unexpected (a command's stop exits 0).
    if (e.action == "die" && event.details.value("exit_code", 0) != 0 &&
        should_run(event.service, event.instance))
      m_state.failures.fetch_add(1);
    // React first: appending is synced to disk, which can take seconds on a busy disk.
    m_observer.invalidate(e.actor_id);
    m_state.wake();
    record(event);
  }

  // True unless a command said the instance should be stopped or removed.
  bool should_run(const std::string& service, const std::string& instance) const {
    try {
      core::Intents intents = core::read_intents(m_project.dir);
      auto it = intents.find(service + "/" + instance);
      return it == intents.end() || it->second.desired == "running";
    } catch (const Error&) {
      return true;
    }
  }

  void record(const Event& event) {
    try {
      m_log.append(event);
    } catch (const Error& e) {
      log::warning("agent: cannot record an event: {}", e.what());
    }
  }

  void record_agent(const std::string& action, const std::string& outcome, const std::string& reason) {
    record(agent_event(action, outcome, reason));
  }

  // Restart counts survive agent restarts: they are read back from the event log.
  void count_restarts() {
    std::lock_guard lock(m_mutex);
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
  project::Project m_project;
  std::filesystem::path m_state_dir;
  AgentState m_state;
  EventLog m_log;
  EventFeed m_feed;
  Observer m_observer;
  StatsSampler m_sampler;
  LogStreams m_logs;
  std::atomic<http::Server*> m_server{nullptr};
  // Shared by the loop and the actor: crash loops and restart counts.
  mutable std::mutex m_mutex{};
  CrashLoops m_loops{};
  std::map<std::string, std::uint64_t> m_restarts{};
  core::WatchPacing m_watch{};
  bool m_watch_running = false;
  Autoscaler m_autoscaler{};
  LatencyWindow m_latency{};
  Actor m_actor;
  std::optional<SwarmObserver> m_swarm{};
  std::string m_dns_fingerprint{}; // the records every node's DNS was last made to hold
  Clock::time_point m_dns_next{};  // the next periodic sync
  // The loop's own.
  std::optional<Clock::time_point> m_next_check{};
  core::Intents m_intents{};
  bool m_intents_known = false;
};

} // namespace

void run_agent(engine::Engine& engine, const AgentOptions& options,
               const std::function<void(const std::string& url)>& on_ready) {
  Runner runner(engine, options);
  runner.run(on_ready);
}

} // namespace dockerops::agent
