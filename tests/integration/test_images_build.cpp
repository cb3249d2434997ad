// Integration tests of image builds and of the base image's runtime contract, against the real
// daemon. The images fixture has made dockerops/debian:bookworm, dockerops/base and dockerops/dns.
// Every object is labelled dockerops.test=1 and removed in TearDown, also when a test fails.
#include "apply/executor.hpp"
#include "base/error.hpp"
#include "engine/engine.hpp"
#include "images/build_service.hpp"
#include "images/builtin.hpp"
#include "plan/planner.hpp"
#include "project/project.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <mutex>
#include <unistd.h>

using namespace dockerops;
namespace fsys = std::filesystem;

namespace {

class ImagesTest : public ::testing::Test {
protected:
  void SetUp() override {
    try {
      m_engine = engine::connect();
    } catch (const Error& error) {
      // CI always provides a daemon: there a skip would hide a broken set-up.
      if (const char* ci = std::getenv("CI"); ci != nullptr && *ci != '\0')
        FAIL() << "no Docker daemon, and CI is set: " << error.what();
      GTEST_SKIP() << "no Docker daemon: " << error.what();
    }
    std::string pattern = (fsys::temp_directory_path() / "dockerops-images-XXXXXX").string();
    m_dir = ::mkdtemp(pattern.data());
    m_project = "imgtest" + std::to_string(::getpid()) +
                ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : m_project)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }

  void TearDown() override {
    if (!m_engine)
      return;
    for (const std::string& id : m_containers) {
      try {
        m_engine->remove_container(id, true, true);
      } catch (const Error&) {
      }
    }
    // Children first: remove in reverse build order, then whatever else carries the project label.
    for (int pass = 0; pass < 2; ++pass)
      for (const engine::ImageInfo& image :
           m_engine->list_images(engine::label_filter({"dockerops.project=" + m_project}))) {
        try {
          m_engine->remove_image(image.id, true);
        } catch (const Error&) {
        }
      }
    std::error_code ec;
    fsys::remove_all(m_dir, ec);
  }

  void write(const std::string& name, const std::string& content, fsys::perms perms = fsys::perms(0644)) {
    fsys::create_directories((m_dir / name).parent_path());
    std::ofstream(m_dir / name) << content;
    fsys::permissions(m_dir / name, perms);
  }

  // Builds the services as `dockerops build:` does: the plan orders them (FROM parents first), the
  // executor builds them; progress lines are kept in m_output.
  std::vector<images::BuiltImage> build(const std::vector<std::string>& services) {
    project::Project project = project::discover_project({m_dir.string(), m_project, "", ""});
    plan::Plan plan = plan::plan_build(project, services);
    apply::ApplyOptions options;
    options.extra_labels = {{"dockerops.test", "1"}};
    options.reporter = &m_reporter;
    return apply::apply_plan(*m_engine, plan, options).built;
  }

  // Creates and starts a container; it is removed in TearDown.
  std::string run(const std::string& image, std::vector<std::string> env = {},
                  std::vector<std::string> binds = {},
                  std::optional<std::vector<std::string>> cmd = std::nullopt) {
    engine::ContainerSpec spec;
    spec.image = image;
    spec.env = std::move(env);
    spec.binds = std::move(binds);
    spec.cmd = std::move(cmd);
    spec.labels = {{"dockerops.test", "1"}, {"dockerops.project", m_project}};
    std::string id = m_engine->create_container(spec);
    m_containers.push_back(id);
    m_engine->start_container(id);
    return id;
  }

  // Follows the logs until the `starts`-th readiness line, a failure line or the end; returns the output.
  std::string logs_until_ready(const std::string& id, int starts = 1) {
    std::string text;
    engine::LogOptions options;
    options.follow = true;
    m_engine->logs(id, options, [&](engine::Stream, std::string_view bytes) {
      text += bytes;
      int ready = 0;
      for (std::size_t at = text.find("[dockerops] ready"); at != std::string::npos;
           at = text.find("[dockerops] ready", at + 1))
        ++ready;
      return ready < starts && text.find(" failed: exit ") == std::string::npos;
    });
    return text;
  }

  std::string exec(const std::string& id, std::vector<std::string> cmd, int expected_status = 0) {
    engine::ExecSpec spec;
    spec.cmd = std::move(cmd);
    std::string output;
    EXPECT_EQ(m_engine->exec_capture(id, spec, output), expected_status) << output;
    return output;
  }

  std::unique_ptr<engine::Engine> m_engine;
  fsys::path m_dir;
  std::string m_project;
  std::vector<std::string> m_containers;
  // The progress lines of the builds, in order.
  struct Recorder : apply::SilentReporter {
    explicit Recorder(std::vector<std::string>& out) : lines(out) {}
    void line(const std::string& text) override {
      std::lock_guard<std::mutex> lock(mutex);
      lines.push_back(text);
    }
    std::vector<std::string>& lines;
    std::mutex mutex;
  };
  std::vector<std::string> m_output;
  Recorder m_reporter{m_output};
};

std::size_t index_of(const std::vector<std::string>& lines, const std::string& needle) {
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (lines[i].find(needle) != std::string::npos)
      return i;
  return lines.size();
}

} // namespace

TEST_F(ImagesTest, BuiltinsCarryTheContextHashAndAreNotRebuilt) {
  engine::ImageInfo base = m_engine->inspect_image("dockerops/base");
  ASSERT_EQ(base.labels.count(images::k_context_hash_label), 1u);
  EXPECT_EQ(base.labels[images::k_context_hash_label].size(), 64u);
  EXPECT_FALSE(images::ensure_builtin(*m_engine, images::Builtin::dns));
  EXPECT_EQ(m_engine->inspect_image("dockerops/base").id, base.id);
}

TEST_F(ImagesTest, PackageAndEntrypointServiceBuildsAndStopsBySigterm) {
  write("services/hello/Dockerfile",
        "FROM dockerops/base\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends cowsay \\\n"
        " && rm -rf /var/lib/apt/lists/*\n"
        "COPY 20-hello.sh /entrypoints/20-hello.sh\n");
  write("services/hello/20-hello.sh", "#!/bin/sh\necho \"hello from $SERVICE\"\n", fsys::perms(0755));
  auto built = build({"hello"});
  ASSERT_EQ(built.size(), 1u);
  engine::ImageInfo info = m_engine->inspect_image(m_project + "/hello:latest");
  EXPECT_EQ(info.labels["dockerops.project"], m_project);
  EXPECT_EQ(info.labels["dockerops.service"], "hello");
  EXPECT_LT(index_of(m_output, "hello | Step 2/"), m_output.size());

  std::string id = run(m_project + "/hello:latest", {"SERVICE=hello"});
  std::string logs = logs_until_ready(id);
  std::size_t hello = logs.find("hello from hello");
  ASSERT_NE(hello, std::string::npos) << logs;
  EXPECT_NE(logs.find("[dockerops] entrypoint 20-hello.sh"), std::string::npos) << logs;
  EXPECT_LT(hello, logs.find("[dockerops] ready")) << logs;
  exec(id, {"test", "-x", "/usr/games/cowsay"});
  exec(id, {"test", "-f", "/run/dockerops/ready"});

  // "Stop is clean": supervisord ends on SIGTERM within the grace, so the exit code is not 137.
  m_engine->stop_container(id, 10);
  engine::ContainerInfo stopped = m_engine->inspect_container(id);
  EXPECT_FALSE(stopped.running);
  EXPECT_NE(stopped.exit_code, 137);
}

TEST_F(ImagesTest, FailingRunNamesTheStepAndCommand) {
  write("services/broken/Dockerfile", "FROM dockerops/base\nRUN echo before && exit 7\n");
  try {
    build({"broken"});
    FAIL() << "the build succeeded";
  } catch (const Error& error) {
    EXPECT_EQ(exit_code_for(error.kind()), 1);
    std::string message = error.what();
    EXPECT_NE(message.find("Step 2/"), std::string::npos) << message;
    EXPECT_NE(message.find(": RUN echo before && exit 7"), std::string::npos) << message;
    EXPECT_NE(message.find("returned a non-zero code: 7"), std::string::npos) << message;
  }
  EXPECT_LT(index_of(m_output, "broken | before"), m_output.size());
}

TEST_F(ImagesTest, DockerfileSyntaxErrorGivesTheDaemonsMessage) {
  write("services/typo/Dockerfile", "FROM dockerops/base\nBOGUS nothing\n");
  try {
    build({"typo"});
    FAIL() << "the build succeeded";
  } catch (const Error& error) {
    EXPECT_EQ(exit_code_for(error.kind()), 1);
    std::string message = error.what();
    EXPECT_NE(message.find("services/typo/Dockerfile"), std::string::npos) << message;
    EXPECT_NE(message.find("unknown instruction"), std::string::npos) << message;
  }
}

TEST_F(ImagesTest, LegacyBaseImageGetsAClearError) {
  write("services/old/Dockerfile", "FROM dockerops/dockerops-base-ubuntu14.04\n");
  try {
    build({"old"});
    FAIL() << "the build succeeded";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::config);
    EXPECT_NE(std::string(error.what()).find("use \"FROM dockerops/base\""), std::string::npos)
        << error.what();
  }
}

TEST_F(ImagesTest, FromChainBuildsParentFirstAndSecondBuildIsCached) {
  write("services/parent/Dockerfile", "FROM dockerops/base\nRUN echo parent > /parent.txt\n");
  write("services/child/Dockerfile",
        "FROM " + m_project + "/parent\nRUN cat /parent.txt > /child.txt\nCOPY note /note\n");
  write("services/child/note", "n\n");
  auto built = build({"child", "parent"});
  ASSERT_EQ(built.size(), 2u);
  EXPECT_EQ(built[0].service, "parent");
  EXPECT_EQ(built[1].service, "child");
  EXPECT_LT(index_of(m_output, "parent | Step 1/"), index_of(m_output, "child | Step 1/"));

  auto again = build({"child", "parent"});
  ASSERT_EQ(again.size(), 2u);
  for (const images::BuiltImage& image : again) {
    EXPECT_GT(image.result.steps, 1) << image.service;
    // every step but FROM (the daemon adds LABEL steps for the labels; they are cached too)
    EXPECT_EQ(image.result.cached_steps, image.result.steps - 1) << image.service;
    EXPECT_EQ(image.result.image_id, built[image.service == "parent" ? 0 : 1].result.image_id);
  }
}

TEST_F(ImagesTest, RebuildRemovesTheImageItReplacedUnlessInUse) {
  auto rebuild = [&](const std::string& version) {
    write("services/svc/Dockerfile", "FROM dockerops/base\nRUN echo " + version + " > /version\n");
    auto built = build({"svc"});
    EXPECT_EQ(built.size(), 1u);
    return built.empty() ? std::string() : built[0].result.image_id;
  };
  std::string first = rebuild("1");
  std::string second = rebuild("2");
  ASSERT_NE(first, second);
  EXPECT_FALSE(m_engine->find_image(first).has_value()) << "the replaced image stayed";

  std::string id = run(second); // now in use
  std::string third = rebuild("3");
  ASSERT_NE(second, third);
  EXPECT_TRUE(m_engine->find_image(second).has_value()) << "an image in use was removed";
  EXPECT_EQ(m_engine->inspect_container(id).image_id, second);
}

// The base image's supervisord is /usr/local/bin/supervisord, which starts without pkg_resources:
// its stand-in must still resolve the rpcinterface factory, or supervisorctl could not talk to it.
TEST_F(ImagesTest, SupervisordLauncherServesItsControlSocket) {
  std::string id = run("dockerops/base");
  logs_until_ready(id);
  // sshd needs startsecs (2 s) of uptime to count as RUNNING: ask for up to 10 s.
  std::string status = exec(id, {"bash", "-c",
                                 "for i in $(seq 50); do supervisorctl status sshd | grep RUNNING && exit 0; "
                                 "sleep 0.2; done; exit 1"});
  EXPECT_NE(status.find("RUNNING"), std::string::npos) << status;
  std::string cmdline =
      exec(id, {"bash", "-c", "tr '\\0' ' ' </proc/$(cat /var/run/supervisord.pid)/cmdline"});
  EXPECT_NE(cmdline.find("/usr/local/bin/supervisord -n"), std::string::npos) << cmdline;
  std::string log = exec(id, {"cat", "/var/log/supervisor/supervisord.log"});
  EXPECT_NE(log.find("RPC interface 'supervisor' initialized"), std::string::npos) << log;
}

TEST_F(ImagesTest, FailingEntrypointStopsTheStartWithItsExitCode) {
  write("services/fails/Dockerfile", "FROM dockerops/base\nCOPY 20-fail.sh /entrypoints/20-fail.sh\n");
  write("services/fails/20-fail.sh", "#!/bin/sh\necho about to fail\nexit 3\n", fsys::perms(0755));
  build({"fails"});
  std::string id = run(m_project + "/fails:latest");
  EXPECT_EQ(m_engine->wait_container(id, engine::WaitCondition::not_running), 3);
  std::string logs = logs_until_ready(id);
  EXPECT_NE(logs.find("[dockerops] entrypoint 20-fail.sh failed: exit 3"), std::string::npos) << logs;
  EXPECT_EQ(logs.find("[dockerops] ready"), std::string::npos) << logs;
}

TEST_F(ImagesTest, PersistentDataSurvivesANewContainer) {
  fsys::path persistent = m_dir / "data_" / "svc-1";
  fsys::create_directories(persistent);
  std::vector<std::string> binds = {persistent.string() + ":/persistent"};
  std::vector<std::string> env = {"PERSISTENT_DATA=True", "PERSISTENT_LOG=False"};
  std::string first =
      run("dockerops/base", env, binds, std::vector<std::string>{"bash", "-c", "echo kept > /data/f"});
  EXPECT_EQ(m_engine->wait_container(first, engine::WaitCondition::not_running), 0);
  EXPECT_TRUE(fsys::exists(persistent / "data" / "f"));
  EXPECT_FALSE(fsys::exists(persistent / "log"));
  m_engine->remove_container(first, true, true);
  m_containers.clear();

  std::string second = run("dockerops/base", {"PERSISTENT_DATA=yes"}, binds,
                           std::vector<std::string>{"bash", "-c", "cat /data/f; readlink /data"});
  EXPECT_EQ(m_engine->wait_container(second, engine::WaitCondition::not_running), 0);
  std::string all;
  engine::LogOptions options;
  m_engine->logs(second, options, [&](engine::Stream, std::string_view bytes) {
    all += bytes;
    return true;
  });
  EXPECT_NE(all.find("using the existing /persistent/data"), std::string::npos) << all;
  EXPECT_NE(all.find("kept\n/persistent/data"), std::string::npos) << all;
}

TEST_F(ImagesTest, EnvFileIsQuotedAndRewritten) {
  std::string id = run("dockerops/base", {"TRICKY=a b \"c\" $HOME ';x'"});
  logs_until_ready(id);
  exec(id, {"bash", "-c",
            "test \"$(bash -c '. /env.sh; printf %s \"$TRICKY\"')\" = \"a b \\\"c\\\" \\$HOME ';x'\""});
  m_engine->stop_container(id, 10);
  m_engine->start_container(id);
  logs_until_ready(id, 2);
  std::string count = exec(id, {"bash", "-c", "grep -c '^export TRICKY=' /env.sh"});
  EXPECT_EQ(count, "1\n");
}
