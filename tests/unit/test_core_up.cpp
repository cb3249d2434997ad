// core::up against the recording fake engine and a recording registrar: one plan builds the
// missing image and starts the instances after it, the built image's ID joins the config hash (so
// the next up keeps everything), and every instance is registered at the DNS's pinned address.
#include "../support/fake_engine.hpp"
#include "../support/project_dir.hpp"
#include "../support/recording_registrar.hpp"

#include "apply/registrar.hpp"
#include "core/intent.hpp"
#include "core/lifecycle.hpp"
#include "core/up.hpp"
#include "project/run_conf.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <unistd.h>

namespace dockerops::core {
namespace {

using engine::testing::FakeEngine;
using testing::RecordingRegistrar;

class CoreUp : public ::testing::Test {
protected:
  LoadedProject load() {
    LoadedProject loaded;
    loaded.project = project::discover_project({m_dir.string(), "demo", "", ""});
    loaded.conf = project::parse_run_conf(R"([
      {"service": "dockerops-dns", "instance": "master", "wait": false},
      {"service": "web", "instance": "one", "wait": false},
      {"service": "web", "instance": "two", "wait": false, "env_vars": {"DNS_UPDATE_POLICY": "REPLACE"}}
    ])",
                                          "run.conf");
    loaded.host.hostname = "testhost";
    loaded.host.random_name = [] { return std::string("rnd00001"); };
    return loaded;
  }

  UpOptions options() {
    UpOptions o;
    o.selection.service = "all";
    o.exec.registrar = &m_registrar;
    o.exec.jobs = 1;
    return o;
  }

  FakeEngine m_fake;
  dockerops::testing::ProjectDir m_project{m_fake, "FROM localbase:1\nEXPOSE 80\n"};
  const std::filesystem::path& m_dir = m_project.path();
  RecordingRegistrar m_registrar;
  apply::SilentReporter m_reporter;
};

TEST_F(CoreUp, BuildsTheMissingImageInTheSamePlanThenKeepsEverything) {
  LoadedProject loaded = load();
  Outcome first = up(m_fake, loaded, options(), m_reporter);
  ASSERT_TRUE(first.applied);
  const plan::Operation& build = first.plan.op(1);
  EXPECT_EQ(plan::to_string(build.kind), "build-image");
  EXPECT_EQ(build.target, "demo/web:latest");
  ASSERT_EQ(first.applied->built.size(), 1u);
  for (const auto& op : first.plan.operations) {
    if (op.kind == plan::OpKind::create && op.instance && op.instance->service == "web") {
      EXPECT_EQ(op.after.front(), build.id) << op.target;
    }
  }
  std::vector<std::string> calls = m_fake.calls();
  auto position = [&](const std::string& call) {
    return std::find(calls.begin(), calls.end(), call) - calls.begin();
  };
  EXPECT_LT(position("build demo/web:latest"), position("create demo-web-one"));

  // The hash label carries the built image's ID: the next up has nothing to do.
  LoadedProject again = load();
  Outcome second = up(m_fake, again, options(), m_reporter);
  EXPECT_EQ(second.plan.summary(), "run: 3 instances: 3 up to date\n");
}

TEST_F(CoreUp, RegistersEachInstanceAtThePinnedDnsAddress) {
  LoadedProject loaded = load();
  Outcome out = up(m_fake, loaded, options(), m_reporter);
  ASSERT_TRUE(out.applied);
  std::string subnet = loaded.subnet; // the first free /24 of the pool: 172.30.0.0/24 on the fake
  ASSERT_EQ(subnet, "172.30.0.0/24");
  EXPECT_EQ(m_registrar.calls(),
            (std::vector<std::string>{
                "register web-one.local.zone 172.30.0.3 service web at 172.30.0.2 (APPEND)",
                "register web-two.local.zone 172.30.0.4 service web at 172.30.0.2 (REPLACE)",
            }));
}

// issue 20 item 5: a run killed between the start and the registration left web-two out of the zone;
// the next up sees it in the zone it transfers and registers it again, and removes what is stale.
TEST_F(CoreUp, RegistrationIsPartOfTheDesiredState) {
  LoadedProject loaded = load();
  ASSERT_TRUE(up(m_fake, loaded, options(), m_reporter).applied);
  // The fake's DNS container runs at its pinned address; the zone lacks web-two and holds a gone one.
  m_registrar.zone = {{"dns.local.zone.", {"172.30.0.2"}},
                      {"web-one.local.zone.", {"172.30.0.3"}},
                      {"web.local.zone.", {"172.30.0.3", "172.30.0.4"}},
                      {"gone-one.local.zone.", {"172.30.0.40"}}};
  LoadedProject again = load();
  Outcome second = up(m_fake, again, options(), m_reporter);
  std::string text = second.plan.to_string();
  EXPECT_NE(text.find("dns-register demo-web-two REPLACE after #3: records missing in the zone"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("dns-register demo-web-one"), std::string::npos) << text;
  EXPECT_NE(text.find("dns-sync local.zone after"), std::string::npos) << text;
  EXPECT_NE(text.find("stale records: gone-one.local.zone."), std::string::npos) << text;
  std::vector<std::string> calls = m_registrar.calls();
  ASSERT_GE(calls.size(), 3u);
  EXPECT_EQ(calls[calls.size() - 2],
            "register web-two.local.zone 172.30.0.4 service web at 172.30.0.2 (REPLACE)");
  EXPECT_EQ(calls.back(), "sync local.zone at 172.30.0.2: 2 running");

  // Once the zone is right, nothing is planned for it.
  m_registrar.zone = {{"dns.local.zone.", {"172.30.0.2"}},
                      {"web-one.local.zone.", {"172.30.0.3"}},
                      {"web-two.local.zone.", {"172.30.0.4"}},
                      {"web.local.zone.", {"172.30.0.3", "172.30.0.4"}}};
  LoadedProject third = load();
  EXPECT_EQ(up(m_fake, third, options(), m_reporter).plan.operations.size(), 3u);
}

} // namespace
} // namespace dockerops::core

namespace dockerops::core {
namespace {

TEST_F(CoreUp, RecordsWhatTheUserWantsOfEachInstance) {
  LoadedProject loaded = load();
  loaded.host.env = {{"DNS_UPDATE_POLICY", "APPEND"}}; // web/two declares it; the environment wins
  UpOptions o = options();
  o.overrides.publish_ports = true;
  up(m_fake, loaded, o, m_reporter);
  Intents intents = read_intents(m_dir);
  ASSERT_EQ(intents.size(), 3u);
  const InstanceIntent& one = intents.at("web/one");
  EXPECT_EQ(one.desired, "running");
  EXPECT_EQ(one.by, "run");
  EXPECT_EQ(one.conf, "run.conf");
  EXPECT_EQ(one.restart, "no");
  EXPECT_EQ(one.overrides.publish_ports, true);
  EXPECT_TRUE(one.env.empty());
  EXPECT_EQ(intents.at("web/two").env, (std::map<std::string, std::string>{{"DNS_UPDATE_POLICY", "APPEND"}}));
  EXPECT_EQ(std::filesystem::status(m_dir / ".dockerops" / "intent.json").permissions(),
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

  // stop and clean say so, and keep the rest of the record; start says running again.
  LoadedProject stopping = load();
  observe(m_fake, stopping, false);
  LifecycleOptions lo;
  lo.exec.registrar = &m_registrar;
  lifecycle(m_fake, stopping, Lifecycle::stop, make_filter(stopping, "stop", "web", "one", ""), lo,
            m_reporter);
  intents = read_intents(m_dir);
  EXPECT_EQ(intents.at("web/one").desired, "stopped");
  EXPECT_EQ(intents.at("web/one").by, "stop");
  EXPECT_EQ(intents.at("web/one").conf, "run.conf");
  EXPECT_EQ(intents.at("web/two").desired, "running");
  // A stop of an instance that is down already (it crashed, and the agent waits before bringing it
  // back) is the user's wish all the same.
  for (const auto& c : stopping.observed.containers)
    if (c.label("dockerops.instance") == "two")
      m_fake.stop_container(c.id, 0);
  LoadedProject down = load();
  observe(m_fake, down, false);
  lifecycle(m_fake, down, Lifecycle::stop, make_filter(down, "stop", "web", "two", ""), lo, m_reporter);
  EXPECT_EQ(read_intents(m_dir).at("web/two").desired, "stopped");
  LoadedProject cleaning = load();
  observe(m_fake, cleaning, false);
  lifecycle(m_fake, cleaning, Lifecycle::clean, make_filter(cleaning, "clean", "web", "", ""), lo,
            m_reporter);
  intents = read_intents(m_dir);
  EXPECT_EQ(intents.at("web/one").desired, "removed");
  EXPECT_EQ(intents.at("web/two").desired, "removed");
  EXPECT_EQ(intents.at("dockerops-dns/master").desired, "running");
  // A dry run records nothing.
  LoadedProject dry = load();
  UpOptions d = options();
  d.dry_run = true;
  up(m_fake, dry, d, m_reporter);
  EXPECT_EQ(read_intents(m_dir).at("web/one").desired, "removed");
}

} // namespace
} // namespace dockerops::core

namespace dockerops::core {
namespace {

TEST_F(CoreUp, BuildsTheAgentImageWhenMissingAndStartsTheAgentOnTheHostNetwork) {
  LoadedProject loaded = load();
  loaded.conf =
      project::parse_run_conf(R"([{"service": "dockerops-agent", "instance": "main"}])", "run.conf");
  UpOptions o = options();
  o.dry_run = true;
  Outcome out = up(m_fake, loaded, o, m_reporter);
  const plan::Operation& build = out.plan.op(1);
  EXPECT_EQ(plan::to_string(build.kind), "build-image");
  EXPECT_EQ(build.target, "dockerops/agent:latest");
  const plan::Operation* create = nullptr;
  for (const auto& op : out.plan.operations)
    if (op.kind == plan::OpKind::create)
      create = &op;
  ASSERT_NE(create, nullptr);
  EXPECT_EQ(create->after.front(), build.id);
  EXPECT_TRUE(create->instance->nethost);
  // With the image there, nothing is built.
  m_fake.add_image("dockerops/agent:latest");
  LoadedProject again = load();
  again.conf = loaded.conf;
  EXPECT_EQ(plan::to_string(up(m_fake, again, o, m_reporter).plan.op(1).kind), "create");
}

} // namespace
} // namespace dockerops::core
