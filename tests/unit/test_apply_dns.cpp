// DNS operations of apply/ with a recording registrar: the one retry policy (a DNS that answers on
// the third attempt is fine, one that never does fails with what was tried), deregistration on
// stop/clean that only warns when the DNS does not answer, and dns-sync of the running instances.
#include "../support/error_of.hpp"
#include "../support/fake_engine.hpp"

#include "apply/dns_retry.hpp"
#include "apply/executor.hpp"

#include <gtest/gtest.h>

#include <mutex>

namespace dockerops::apply {
namespace {

using engine::testing::FakeEngine;

const DnsRetryPolicy k_fast{std::chrono::milliseconds(300), std::chrono::milliseconds(1),
                            std::chrono::milliseconds(2)};

// Fails the first `failures` calls of each kind with a dns Error, then records them.
class FlakyRegistrar : public Registrar {
public:
  explicit FlakyRegistrar(int failures) : m_failures(failures) {}
  void register_instance(const DnsRecord& r) override {
    call("register " + r.hostname + " " + r.ip + " at " + r.server);
  }
  void deregister_instance(const DnsRecord& r) override {
    call("deregister " + r.hostname + " at " + r.server);
  }
  std::size_t sync(const std::string& server, const std::string&,
                   const std::vector<DnsRecord>& running) override {
    call("sync at " + server + ": " + std::to_string(running.size()));
    return 0;
  }
  ZoneAddresses addresses(const std::string&, const std::string&) override { return {}; }
  std::vector<std::string> calls;
  int attempts = 0;

private:
  void call(const std::string& what) {
    std::lock_guard lock(m_mutex);
    if (++attempts <= m_failures)
      fail(ErrorKind::dns, "connection refused");
    calls.push_back(what);
  }
  int m_failures;
  std::mutex m_mutex;
};

// A running container of project demo on demo_net, as a plan's observed state names it.
std::string start(FakeEngine& fake, const std::string& service, const std::string& instance,
                  const std::string& ip) {
  engine::ContainerSpec spec;
  spec.name = "demo-" + service + "-" + instance;
  spec.image = "img:1";
  spec.hostname = service + "-" + instance;
  spec.labels = {
      {"dockerops.project", "demo"}, {"dockerops.service", service}, {"dockerops.instance", instance}};
  spec.endpoint = engine::EndpointSpec{"demo_net", {}, ip};
  std::string id = fake.create_container(spec);
  fake.start_container(id);
  return id;
}

plan::Operation dns_op(plan::OpKind kind, const std::string& id, bool best_effort = false) {
  plan::Operation op;
  op.id = 1;
  op.kind = kind;
  op.target = id;
  op.container_id = id;
  op.service = "web";
  op.instance_name = "one";
  op.zone = "local.zone";
  op.dns_server = "172.30.0.2";
  op.best_effort = best_effort;
  return op;
}

struct Fixture {
  Fixture() {
    fake.add_image("img:1");
    fake.create_network({"demo_net", "bridge", {}, "172.30.0.0/24", "172.30.0.1"});
    id = start(fake, "web", "one", "172.30.0.11");
    options.jobs = 1;
    options.waiting_jobs = 0;
    options.dns_retry = k_fast;
  }
  ApplyResult apply(plan::Operation op, Registrar& registrar) {
    plan::Plan plan;
    plan.command = "run";
    plan.project = "demo";
    plan.operations.push_back(std::move(op));
    options.registrar = &registrar;
    return apply_plan(fake, plan, options);
  }
  FakeEngine fake;
  std::string id;
  ApplyOptions options;
};

TEST(ApplyDns, RetriesUntilTheDnsAnswers) {
  Fixture f;
  FlakyRegistrar registrar(2);
  f.apply(dns_op(plan::OpKind::dns_register, f.id), registrar);
  EXPECT_EQ(registrar.attempts, 3);
  EXPECT_EQ(registrar.calls, std::vector<std::string>{"register web-one 172.30.0.11 at 172.30.0.2"});
}

TEST(ApplyDns, GivesUpAtTheDeadlineSayingWhatItTried) {
  Fixture f;
  FlakyRegistrar registrar(1000000);
  std::string message =
      testing::error_of([&] { f.apply(dns_op(plan::OpKind::dns_register, f.id), registrar); });
  EXPECT_EQ(message.rfind("web/one: DNS registration at 172.30.0.2: no success within 0 s (", 0), 0u)
      << message;
  EXPECT_NE(message.find("attempts): connection refused"), std::string::npos) << message;
  EXPECT_GT(registrar.attempts, 2);
}

TEST(ApplyDns, DeregistrationOfAStopOnlyWarnsWhenTheDnsIsDown) {
  Fixture f;
  FlakyRegistrar registrar(1000000);
  struct Warnings : SilentReporter {
    void warning(const std::string& text) override { seen.push_back(text); }
    std::vector<std::string> seen;
  } reporter;
  f.options.reporter = &reporter;
  f.apply(dns_op(plan::OpKind::dns_deregister, f.id, true), registrar);
  ASSERT_EQ(reporter.seen.size(), 1u);
  EXPECT_NE(reporter.seen[0].find("web/one: its records could not be removed ("), std::string::npos);
  EXPECT_NE(reporter.seen[0].find("run or dns:sync will remove them"), std::string::npos);
  // Without best effort (a recreate), it is the run's failure.
  EXPECT_NE(testing::error_of([&] { f.apply(dns_op(plan::OpKind::dns_deregister, f.id), registrar); }),
            "no error");
}

TEST(ApplyDns, SyncSendsTheRunningInstances) {
  Fixture f;
  start(f.fake, "dockerops-dns", "master", "172.30.0.2"); // the DNS is not one of its own records
  start(f.fake, "web", "two", "172.30.0.12");
  FlakyRegistrar registrar(1);
  f.apply(dns_op(plan::OpKind::dns_sync, ""), registrar);
  EXPECT_EQ(registrar.calls, std::vector<std::string>{"sync at 172.30.0.2: 2"});
}

TEST(ApplyDns, AnInterruptionIsNotRetried) {
  int attempts = 0;
  EXPECT_EQ(testing::error_of([&] {
              with_dns_retries("x", [&] {
                ++attempts;
                fail(ErrorKind::interrupted, "interrupted");
              });
            }),
            "interrupted");
  EXPECT_EQ(attempts, 1);
}

} // namespace
} // namespace dockerops::apply
