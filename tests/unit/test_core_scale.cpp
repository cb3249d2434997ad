// core::scale against the recording fake engine and registrar (issue 15 items 2 and 3): the count
// is stored in .dockerops/scale.json, new instances are created and registered, scale-in takes the
// highest numbers out of the DNS before it stops and removes them, and run:all keeps the count.
#include "../support/error_of.hpp"
#include "../support/fake_engine.hpp"
#include "../support/project_dir.hpp"
#include "../support/recording_registrar.hpp"

#include "base/fs.hpp"
#include "core/scale.hpp"
#include "core/scale_counts.hpp"
#include "core/up.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace dockerops::core {
namespace {

using dockerops::testing::error_of;
using engine::testing::FakeEngine;
using testing::RecordingRegistrar;

const char* k_conf = R"([
  {"service": "dockerops-dns", "instance": "main", "wait": false},
  {"service": "web", "instance": "w", "instances": 3, "wait": false, "drain": 0},
  {"service": "web", "instance": "admin", "wait": false}
])";

class CoreScale : public ::testing::Test {
protected:
  LoadedProject load(const std::string& conf = k_conf) {
    LoadedProject loaded;
    loaded.project = project::discover_project({m_dir.string(), "demo", "", ""});
    loaded.conf = project::parse_run_conf(conf, "run.conf");
    loaded.host.hostname = "testhost";
    loaded.counts = load_runtime_counts(m_dir);
    return loaded;
  }
  ExecOptions exec() {
    ExecOptions e;
    e.registrar = &m_registrar;
    e.jobs = 1;
    return e;
  }
  Outcome run_all() {
    LoadedProject loaded = load();
    UpOptions o;
    o.exec = exec();
    return up(m_fake, loaded, o, m_reporter);
  }
  Outcome scale_to(int n, bool dry_run = false, const std::string& reason = "") {
    LoadedProject loaded = load();
    ScaleOptions o;
    o.service = "web";
    o.instances = n;
    o.dry_run = dry_run;
    o.reason = reason;
    o.exec = exec();
    return scale(m_fake, loaded, o, m_reporter);
  }
  std::string scale_error(const std::string& service, int n, const std::string& conf = k_conf) {
    return error_of([&] {
      LoadedProject loaded = load(conf);
      ScaleOptions o;
      o.service = service;
      o.instances = n;
      o.exec = exec();
      scale(m_fake, loaded, o, m_reporter);
    });
  }

  FakeEngine m_fake;
  dockerops::testing::ProjectDir m_project{m_fake, "FROM localbase:1\n"};
  const std::filesystem::path& m_dir = m_project.path();
  RecordingRegistrar m_registrar;
  apply::SilentReporter m_reporter;
};

TEST_F(CoreScale, ThreeFiveTwoAndRunAllKeepsTwo) {
  EXPECT_EQ(run_all().plan.summary(), "run: 5 instances: 5 created\n");
  // --dry-run stores nothing.
  Outcome dry = scale_to(5, true);
  EXPECT_FALSE(dry.applied);
  EXPECT_FALSE(std::filesystem::exists(runtime_counts_path(m_dir)));
  EXPECT_EQ(dry.plan.notices.front(), "web/w: 3 -> 5 instances (kept in .dockerops/scale.json)");
  // The autoscaler's reason is the plan's second line of notice: --dry-run and the events show it.
  std::string text = scale_to(5, true, "autoscale: cpu 0.95 of target 0.60").plan.to_string();
  EXPECT_NE(text.find("web/w: 3 -> 5 instances (kept in .dockerops/scale.json)\nnotice: autoscale: cpu 0.95"),
            std::string::npos)
      << text;

  EXPECT_EQ(scale_to(5).plan.summary(), "scale: 5 instances: 2 created, 3 up to date\n");
  EXPECT_EQ(fs::read_file(runtime_counts_path(m_dir)),
            "{\n  \"web/w\": {\n    \"declared\": 3,\n    \"instances\": 5\n  }\n}\n");
  // scale touches the counted entry only: web/admin is not in its plan.
  EXPECT_EQ(scale_to(5).plan.to_string().find("admin"), std::string::npos);

  std::size_t before = m_registrar.calls().size();
  Outcome in = scale_to(2);
  EXPECT_EQ(in.plan.summary(), "scale: 5 instances: 3 removed, 2 up to date\n");
  std::vector<std::string> calls = m_registrar.calls();
  std::vector<std::string> deregistered;
  for (auto it = calls.begin() + static_cast<long>(before); it != calls.end(); ++it)
    if (it->rfind("deregister", 0) == 0)
      deregistered.push_back(*it);
  ASSERT_EQ(deregistered.size(), 3u);
  EXPECT_EQ(deregistered[0].rfind("deregister web-w5.local.zone", 0), 0u) << deregistered[0];
  EXPECT_EQ(deregistered[1].rfind("deregister web-w4.local.zone", 0), 0u) << deregistered[1];
  EXPECT_EQ(deregistered[2].rfind("deregister web-w3.local.zone", 0), 0u) << deregistered[2];
  // Each went out of the DNS before its stop.
  std::vector<std::string> engine_calls = m_fake.calls();
  auto position = [&](const std::string& call) {
    return std::find(engine_calls.begin(), engine_calls.end(), call) - engine_calls.begin();
  };
  for (std::string gone : {"w3", "w4", "w5"}) {
    EXPECT_LT(position("stop demo-web-" + gone), position("remove demo-web-" + gone)) << gone;
    EXPECT_TRUE(m_fake.list_containers({{"label", {"dockerops.instance=" + gone}}}, true).empty()) << gone;
  }

  // run:all keeps two, and so does the next scale's plan.
  EXPECT_EQ(run_all().plan.summary(), "run: 4 instances: 4 up to date\n");
  // Back to the run conf's count: the runtime entry goes.
  scale_to(3);
  EXPECT_FALSE(std::filesystem::exists(runtime_counts_path(m_dir)));
}

TEST_F(CoreScale, BadInput) {
  EXPECT_EQ(scale_error("wbe", 2), "scale: project demo has no service \"wbe\"; did you mean \"web\"?");
  EXPECT_EQ(scale_error("web", 0), "scale: web=0: the count must be a whole number from 1 to 250");
  EXPECT_EQ(scale_error("web", 251), "scale: web=251: the count must be a whole number from 1 to 250");
  EXPECT_EQ(
      scale_error("web", 2, R"([{"service": "web", "instance": "one"}])"),
      "scale: run.conf:1: web has no \"instances\": only counted entries scale (add \"instances\": N to "
      "the entry)");
  EXPECT_EQ(scale_error("web", 2, "[]"),
            "scale: web has no entry in run.conf: add one with \"instances\": N");
  EXPECT_EQ(scale_error("web", 2, R"([
    {"service": "web", "instance": "w", "instances": 3},
    {"service": "web", "instance": "x", "instances": 1}])"),
            "scale: web has 2 counted entries in run.conf: \"w\" (line 2), \"x\" (line 3); say which with "
            "instance=PREFIX");
  EXPECT_EQ(scale_error("web", 2, R"([
    {"service": "web", "instance": "w", "instances": 3},
    {"service": "web", "instance": "admin", "links": ["web-w3:third"]}])"),
            "scale: run.conf:3: web/admin links to web/w3: web cannot go below 3 instances (a link with "
            "\"instance\": null takes any instance)");
  EXPECT_FALSE(std::filesystem::exists(runtime_counts_path(m_dir)));
}

} // namespace
} // namespace dockerops::core
