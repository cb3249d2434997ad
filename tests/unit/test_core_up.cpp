// core::up against the recording fake engine and a recording registrar: one plan builds the
// missing image and starts the instances after it, the built image's ID joins the config hash (so
// the next up keeps everything), and every instance is registered at the DNS's pinned address.
#include "../support/fake_engine.hpp"

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

// Records every registration and deregistration, in order.
class RecordingRegistrar : public apply::Registrar {
public:
  void register_instance(const apply::DnsRecord& r) override { add("register", r); }
  void deregister_instance(const apply::DnsRecord& r) override { add("deregister", r); }
  std::size_t sync(const std::string& server, const std::string& name,
                   const std::vector<apply::DnsRecord>& running) override {
    std::lock_guard lock(m_mutex);
    m_calls.push_back(fmt::format("sync {} at {}: {} running", name, server, running.size()));
    return running.size();
  }
  apply::ZoneAddresses addresses(const std::string& server, const std::string&) override {
    std::lock_guard lock(m_mutex);
    m_calls.push_back("transfer from " + server);
    return zone;
  }
  apply::ZoneAddresses zone; // what addresses() answers
  std::vector<std::string> calls() {
    std::lock_guard lock(m_mutex);
    return m_calls;
  }

private:
  void add(const char* what, const apply::DnsRecord& r) {
    std::lock_guard lock(m_mutex);
    m_calls.push_back(fmt::format("{} {}.{} {} service {} at {} ({})", what, r.hostname, r.zone, r.ip,
                                  r.service, r.server, project::to_string(r.policy)));
  }
  std::mutex m_mutex;
  std::vector<std::string> m_calls;
};

class CoreUp : public ::testing::Test {
protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "dockerops-core-XXXXXX").string();
    m_dir = ::mkdtemp(pattern.data());
    std::filesystem::create_directories(m_dir / "services" / "web");
    std::ofstream(m_dir / "services" / "web" / "Dockerfile") << "FROM localbase:1\nEXPOSE 80\n";
    m_fake.add_image("localbase:1");
    m_fake.add_image("dockerops/dns:latest");
    // The project keys the instances mount exist already: no ssh-keygen in a unit test.
    std::filesystem::create_directories(m_dir / ".dockerops");
    for (const char* file : {"id_ed25519", "id_ed25519.pub", "dns.key"})
      std::ofstream(m_dir / ".dockerops" / file) << "x\n";
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }

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

  std::filesystem::path m_dir;
  FakeEngine m_fake;
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
