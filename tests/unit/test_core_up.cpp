// core::up against the recording fake engine and a recording registrar: one plan builds the
// missing image and starts the instances after it, the built image's ID joins the config hash (so
// the next up keeps everything), and every instance is registered at the DNS's pinned address.
#include "../support/fake_engine.hpp"
#include "../support/project_dir.hpp"
#include "../support/recording_registrar.hpp"

#include "apply/registrar.hpp"
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
