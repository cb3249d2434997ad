#include "agent/keep_alive.hpp"

#include "base/strings.hpp"
#include "base/time_text.hpp"
#include "project/model.hpp"

#include <fmt/format.h>

#include <map>

namespace dockerops::agent {
namespace {

// Instances started less than this long ago may not be registered yet: their records are not
// checked (the start and the registration are one plan of the core).
constexpr std::int64_t k_registration_grace_ms = 5000;

std::string describe_delay(Clock::duration delay) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(delay).count();
  return ms % 1000 == 0 ? fmt::format("{} s", ms / 1000)
                        : fmt::format("{:.1f} s", static_cast<double>(ms) / 1000);
}

// The records a running instance should have in the zone, and whether they are there.
std::vector<std::string> missing_records(const ObservedInstance& o, const std::string& zone,
                                         const std::map<std::string, std::set<std::string>>& addresses) {
  std::vector<std::string> missing;
  auto has = [&](const std::string& name) {
    auto it = addresses.find(strings::to_lower(name + "." + zone + "."));
    return it != addresses.end() && it->second.count(o.ip) > 0;
  };
  project::DnsPolicy policy = project::dns_policy_in_env(o.env);
  if (policy == project::DnsPolicy::hide)
    return missing;
  std::string own = o.hostname.empty() ? o.service + "-" + o.instance : o.hostname;
  if (!has(own))
    missing.push_back(own + "." + zone);
  if (policy == project::DnsPolicy::append && !has(o.service))
    missing.push_back(o.service + "." + zone);
  return missing;
}

std::string prefix24(const std::string& ip) {
  auto dot = ip.rfind('.');
  return dot == std::string::npos ? ip : ip.substr(0, dot + 1);
}

// One dns-sync when running instances lack records or addresses of the project /24 are left that
// no running instance has (the DNS's own name aside).
std::optional<Action> check_dns(const KeepAliveInput& in) {
  if (in.dns.server.empty() || !in.dns.error.empty())
    return std::nullopt;
  std::map<std::string, std::set<std::string>> addresses;
  for (const auto& r : in.dns.records)
    if (r.type == "A")
      addresses[strings::to_lower(r.name)].insert(r.data);
  std::set<std::string> running_ips{in.dns.server};
  std::vector<std::string> problems;
  for (const auto& o : in.observed) {
    if (o.state != "running" || o.ip.empty())
      continue;
    running_ips.insert(o.ip);
    if (o.service == project::k_dns_service || prefix24(o.ip) != prefix24(in.dns.server))
      continue;
    auto started = time_text::parse_millis(o.started_at);
    if (!started || in.now_millis - *started < k_registration_grace_ms)
      continue;
    for (auto& name : missing_records(o, in.zone, addresses))
      problems.push_back("missing " + name);
  }
  for (const auto& [name, ips] : addresses)
    for (const auto& ip : ips)
      if (prefix24(ip) == prefix24(in.dns.server) && !running_ips.count(ip))
        problems.push_back(fmt::format("stale {} {}", name, ip));
  if (problems.empty())
    return std::nullopt;
  Action action;
  action.kind = ActionKind::dns_sync;
  action.reason = "the zone differs from the running instances: " + strings::join(problems, ", ");
  return action;
}

} // namespace

std::string_view to_string(ActionKind kind) {
  switch (kind) {
  case ActionKind::start:
  case ActionKind::restart:
    return "restart";
  case ActionKind::create:
    return "replace";
  case ActionKind::dns_sync:
    return "dns-sync";
  case ActionKind::backoff:
    return "backoff";
  case ActionKind::watch_sync:
    return "watch-sync";
  case ActionKind::scale:
    return "autoscale";
  }
  return "";
}

std::string Action::key() const {
  if (kind == ActionKind::dns_sync)
    return "dns";
  if (kind == ActionKind::scale)
    return "scale:" + service + "/" + instance;
  return kind == ActionKind::watch_sync ? "watch" : service + "/" + instance;
}

KeepAlivePlan plan_keep_alive(const KeepAliveInput& in, CrashLoops& loops) {
  KeepAlivePlan plan;
  std::map<std::string, const ObservedInstance*> by_key;
  for (const auto& o : in.observed)
    by_key[o.service + "/" + o.instance] = &o;
  std::set<std::string> keys;
  for (const auto& [key, o] : by_key)
    keys.insert(key);
  for (const auto& [key, intent] : in.intents)
    keys.insert(key);

  for (const auto& key : keys) {
    auto found = by_key.find(key);
    const ObservedInstance* o = found == by_key.end() ? nullptr : found->second;
    auto intent_it = in.intents.find(key);
    const core::InstanceIntent* intent = intent_it == in.intents.end() ? nullptr : &intent_it->second;
    // Never fight the user: a stop or a clean stands; an unknown instance with no container is
    // not ours to make.
    if ((intent && intent->desired != "running") || (!intent && !o) || in.busy.count(key))
      continue;
    std::string restart = o ? o->restart : intent->restart;
    auto slash = key.find('/');
    std::string service = key.substr(0, slash);
    if (restart == "no" || restart.empty() || service == "dockerops-agent")
      continue;
    if (o && (o->state == "running" || o->state == "restarting" || o->state == "paused")) {
      auto started = time_text::parse_millis(o->started_at);
      if (started)
        loops.running(key, in.now - std::chrono::milliseconds(in.now_millis - *started), in.now);
      continue;
    }
    Action action;
    action.service = service;
    action.instance = key.substr(slash + 1);
    action.restart = restart;
    if (intent)
      action.intent = *intent;
    std::string death;
    if (o && o->state == "created") {
      action.kind = ActionKind::start; // never started (an agent or a run stopped half-way)
      action.reason = "the container was created but never started";
      plan.actions.push_back(std::move(action));
      continue;
    }
    if (o) {
      if (restart == "on-failure" && o->exit_code == 0)
        continue; // it finished its work
      action.kind = ActionKind::start;
      action.reason = fmt::format("the container exited with code {} (restart: {})", o->exit_code, restart);
      death = o->container_id + "@" + o->finished_at;
    } else {
      if (!intent)
        continue;
      action.kind = ActionKind::create;
      action.reason = fmt::format("the container was removed (restart: {})", restart);
      death = "removed@" + intent->at;
    }
    bool new_death = !loops.seen(key, death);
    Clock::time_point due = loops.failed(key, death, in.now);
    action.failures = loops.failures(key);
    if (due > in.now) {
      if (!plan.next_check || due < *plan.next_check)
        plan.next_check = due;
      if (new_death) {
        Action wait = action;
        wait.kind = ActionKind::backoff;
        wait.not_before = due;
        wait.reason = fmt::format("{}; failure {} in a row: next attempt in {}", action.reason,
                                  action.failures, describe_delay(due - in.now));
        plan.actions.push_back(std::move(wait));
      }
      continue;
    }
    plan.actions.push_back(std::move(action));
  }
  if (plan.actions.empty() && in.busy.empty())
    if (auto sync = check_dns(in))
      plan.actions.push_back(std::move(*sync));
  return plan;
}

} // namespace dockerops::agent
