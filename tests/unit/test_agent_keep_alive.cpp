// The agent's decisions on recorded observations, intents and zones (golden style: each case is
// the list of actions printed one per line).

#include "agent/keep_alive.hpp"

#include <gtest/gtest.h>

namespace dockerops::agent {
namespace {

using std::chrono::seconds;

// 2024-05-01T12:00:00Z
constexpr std::int64_t k_now_ms = 1714564800000;

ObservedInstance instance(const std::string& service, const std::string& name, const std::string& state,
                          const std::string& restart, int exit_code = 0, const std::string& ip = "") {
  ObservedInstance o;
  o.service = service;
  o.instance = name;
  o.state = state;
  o.restart = restart;
  o.exit_code = exit_code;
  o.ip = ip;
  o.container_id = "id-" + service + "-" + name;
  o.hostname = service + "-" + name;
  o.started_at = "2024-05-01T11:00:00.123456789Z";
  o.finished_at = state == "exited" ? "2024-05-01T11:59:59.5Z" : "";
  return o;
}

core::InstanceIntent intent(const std::string& desired, const std::string& restart = "always") {
  core::InstanceIntent i;
  i.desired = desired;
  i.by = desired == "running" ? "run" : desired == "stopped" ? "stop" : "clean";
  i.at = "2024-05-01T10:00:00.000Z";
  i.conf = "run.conf";
  i.restart = restart;
  return i;
}

class KeepAlive : public ::testing::Test {
protected:
  std::string plan() {
    m_in.now_millis = k_now_ms;
    m_in.zone = "local.zone";
    KeepAlivePlan p = plan_keep_alive(m_in, m_loops);
    m_next = p.next_check;
    std::string out;
    for (const auto& a : p.actions)
      out += std::string(to_string(a.kind)) + " " + a.key() + ": " + a.reason + "\n";
    return out;
  }
  KeepAliveInput m_in{{}, {}, {}, "", Clock::time_point(seconds(1000)), 0, {}};
  CrashLoops m_loops;
  std::optional<Clock::time_point> m_next;
};

TEST_F(KeepAlive, BringsBackWhatThePolicyAsksFor) {
  m_in.observed = {instance("web", "one", "running", "always"),
                   instance("web", "two", "exited", "always", 137),
                   instance("web", "three", "exited", "on-failure", 0),
                   instance("web", "four", "exited", "on-failure", 3),
                   instance("web", "five", "exited", "no", 1),
                   instance("web", "six", "created", "always"),
                   instance("dockerops-agent", "main", "exited", "always", 1)};
  m_in.intents = {{"web/seven", intent("running")}, {"web/eight", intent("running", "no")}};
  EXPECT_EQ(plan(), "restart web/four: the container exited with code 3 (restart: on-failure)\n"
                    "replace web/seven: the container was removed (restart: always)\n"
                    "restart web/six: the container was created but never started\n"
                    "restart web/two: the container exited with code 137 (restart: always)\n");
}

TEST_F(KeepAlive, NeverUndoesAStopOrAClean) {
  m_in.observed = {instance("web", "one", "exited", "always", 0),
                   instance("web", "two", "exited", "always", 143)};
  m_in.intents = {
      {"web/one", intent("stopped")}, {"web/two", intent("running")}, {"web/three", intent("removed")}};
  EXPECT_EQ(plan(), "restart web/two: the container exited with code 143 (restart: always)\n");
  m_in.busy = {"web/two"};
  EXPECT_EQ(plan(), "");
}

TEST_F(KeepAlive, CrashLoopsBackOffAndSayItOnce) {
  m_in.observed = {instance("web", "one", "exited", "always", 1)};
  EXPECT_EQ(plan(), "restart web/one: the container exited with code 1 (restart: always)\n");
  // Started again, it dies a second later: the second failure waits one second, said once.
  m_in.now += seconds(1);
  m_in.observed[0].finished_at = "2024-05-01T12:00:00.900Z";
  EXPECT_EQ(plan(),
            "backoff web/one: the container exited with code 1 (restart: always); failure 2 in a row: "
            "next attempt in 1 s\n");
  EXPECT_EQ(m_next, m_in.now + seconds(1));
  EXPECT_EQ(plan(), ""); // the same death, still waiting
  m_in.now += seconds(1);
  EXPECT_EQ(plan(), "restart web/one: the container exited with code 1 (restart: always)\n");
}

TEST_F(KeepAlive, AsksForADnsSyncWhenRecordsAreMissingOrStale) {
  ObservedInstance dns = instance("dockerops-dns", "main", "running", "no", 0, "172.30.0.2");
  ObservedInstance one = instance("web", "one", "running", "no", 0, "172.30.0.3");
  ObservedInstance hidden = instance("web", "two", "running", "no", 0, "172.30.0.4");
  hidden.env = {"DNS_UPDATE_POLICY=HIDE"};
  ObservedInstance young = instance("web", "three", "running", "no", 0, "172.30.0.5");
  young.started_at = "2024-05-01T11:59:58Z"; // two seconds old: its registration may be under way
  m_in.observed = {dns, one, hidden, young};
  m_in.dns.server = "172.30.0.2";
  m_in.dns.records = {{"dns.local.zone.", 60, "A", "172.30.0.2"},
                      {"web-one.local.zone.", 60, "A", "172.30.0.3"},
                      {"web.local.zone.", 60, "A", "172.30.0.3"}};
  EXPECT_EQ(plan(), "");
  m_in.dns.records.pop_back();
  m_in.dns.records.push_back({"web-gone.local.zone.", 60, "A", "172.30.0.9"});
  m_in.dns.records.push_back({"static.local.zone.", 60, "A", "192.0.2.7"});
  EXPECT_EQ(plan(),
            "dns-sync dns: the zone differs from the running instances: missing web.local.zone, stale "
            "web-gone.local.zone. 172.30.0.9\n");
  // Not while instances are being brought back, nor when the zone could not be read.
  m_in.busy = {"web/four"};
  EXPECT_EQ(plan(), "");
  m_in.busy.clear();
  m_in.dns.error = "timed out";
  EXPECT_EQ(plan(), "");
}

} // namespace
} // namespace dockerops::agent
