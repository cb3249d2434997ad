// Integration tests of the libcurl Engine client against the real daemon. Nothing is pulled: a tiny
// root filesystem (static busybox from Debian's busybox-static) is imported, then built upon.
// Every object carries dockerops.test=1 and is removed in TearDownTestSuite, even on failure.

#include "base/error.hpp"
#include "base/log.hpp"
#include "engine/docker_host.hpp"
#include "engine/engine.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

using dockerops::Error;
using dockerops::ErrorKind;
using namespace dockerops::engine;

namespace {

// A minimal ustar writer (POSIX.1-1988), enough for a rootfs and a build context.
class TarWriter {
public:
  void directory(const std::string& name) { header(name, 0755, 0, '5', ""); }
  void file(const std::string& name, const std::string& data, unsigned mode = 0644) {
    header(name, mode, data.size(), '0', "");
    m_data += data;
    m_data.append((512 - data.size() % 512) % 512, '\0');
  }
  void symlink(const std::string& name, const std::string& target) { header(name, 0777, 0, '2', target); }
  std::string finish() {
    m_data.append(1024, '\0');
    return m_data;
  }

private:
  static void octal(char* field, std::size_t width, unsigned long long value) {
    std::snprintf(field, width, "%0*llo", static_cast<int>(width - 1), value);
  }
  void header(const std::string& name, unsigned mode, std::size_t size, char type, const std::string& link) {
    char block[512] = {};
    std::strncpy(block, name.c_str(), 99);
    octal(block + 100, 8, mode);
    octal(block + 108, 8, 0);
    octal(block + 116, 8, 0);
    octal(block + 124, 12, size);
    octal(block + 136, 12, 1700000000);
    block[156] = type;
    std::strncpy(block + 157, link.c_str(), 99);
    std::memcpy(block + 257,
                "ustar\0"
                "00",
                8);
    std::memset(block + 148, ' ', 8);
    unsigned sum = 0;
    for (unsigned char c : block)
      sum += c;
    std::snprintf(block + 148, 8, "%06o", sum);
    m_data.append(block, sizeof(block));
  }
  std::string m_data;
};

// Serves a string as a BodyReader in small pieces (exercises chunked upload).
BodyReader reader_for(std::shared_ptr<std::string> data) {
  auto offset = std::make_shared<std::size_t>(0);
  return [data, offset](char* buffer, std::size_t size) {
    std::size_t n = std::min({size, data->size() - *offset, std::size_t{65536}});
    std::memcpy(buffer, data->data() + *offset, n);
    *offset += n;
    return n;
  };
}

BodyReader context_with(const std::string& dockerfile) {
  TarWriter tar;
  tar.file("Dockerfile", dockerfile);
  return reader_for(std::make_shared<std::string>(tar.finish()));
}

const Labels k_test_label = {{"dockerops.test", "1"}};
const std::string k_prefix = "dockerops-test-engine-" + std::to_string(getpid());

} // namespace

class EngineApi : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    if (const char* level = std::getenv("LOG_LEVEL"))
      dockerops::log::set_level(dockerops::log::parse_level(level));
    try {
      s_engine = connect();
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::engine_unreachable)
        throw;
      s_skip_reason = error.what();
      return;
    }
    std::ifstream busybox("/bin/busybox", std::ios::binary);
    if (!busybox) {
      s_setup_error = "/bin/busybox is missing: install the Debian package busybox-static";
      return;
    }
    TarWriter rootfs;
    rootfs.directory("bin/");
    rootfs.file("bin/busybox", std::string(std::istreambuf_iterator<char>(busybox), {}), 0755);
    rootfs.symlink("bin/sh", "busybox");
    rootfs.directory("tmp/");
    try {
      // Labels can be set at import through a Dockerfile "changes" instruction.
      ImportOptions import{
          "dockerops-test/engine-" + std::to_string(getpid()), "root", {"LABEL dockerops.test=1"}, ""};
      s_root_image = import.repo + ":" + import.tag;
      s_images.push_back(s_root_image);
      s_root_id = s_engine->import_image(import, reader_for(std::make_shared<std::string>(rootfs.finish())));
      BuildOptions build;
      build.tags = {"dockerops-test/engine-" + std::to_string(getpid()) + ":latest"};
      build.labels = {{"dockerops.test", "1"}, {"dockerops.engine-test", "built"}};
      s_image = build.tags.front();
      s_images.insert(s_images.begin(), s_image);
      s_image_id =
          s_engine->build_image(build,
                                context_with("FROM " + s_root_image +
                                             "\nENV PATH=/bin GREETING=hello\nEXPOSE 8080/tcp 53/udp\n"
                                             "CMD [\"sh\", \"-c\", \"sleep 300\"]\n"),
                                [](const nlohmann::json& line) { s_build_lines.push_back(line.dump()); });
    } catch (const Error& error) {
      s_setup_error = error.what();
    }
  }

  static void TearDownTestSuite() {
    if (!s_engine)
      return;
    for (const auto& id : s_containers) {
      try {
        s_engine->remove_container(id, true, true);
      } catch (const Error&) {
      }
    }
    for (const auto& name : s_networks) {
      try {
        s_engine->remove_network(name);
      } catch (const Error&) {
      }
    }
    for (const auto& name : s_images) {
      try {
        s_engine->remove_image(name, true);
      } catch (const Error&) {
      }
    }
    s_engine.reset();
  }

  void SetUp() override {
    if (!s_skip_reason.empty()) {
      // CI always provides a daemon: there a skip would hide a broken set-up.
      if (const char* ci = std::getenv("CI"); ci != nullptr && *ci != '\0')
        FAIL() << "no Docker daemon, and CI is set: " << s_skip_reason;
      GTEST_SKIP() << "no Docker daemon: " << s_skip_reason;
    }
    ASSERT_TRUE(s_setup_error.empty()) << s_setup_error;
  }

  // Creates a labelled container that TearDownTestSuite removes.
  static std::string create(ContainerSpec spec) {
    spec.labels.insert(k_test_label.begin(), k_test_label.end());
    if (spec.image.empty())
      spec.image = s_image;
    std::string id = s_engine->create_container(spec);
    std::lock_guard lock(s_mutex);
    s_containers.push_back(id);
    return id;
  }

  static inline std::unique_ptr<Engine> s_engine;
  static inline std::string s_skip_reason;
  static inline std::string s_setup_error;
  static inline std::string s_root_image, s_root_id, s_image, s_image_id;
  static inline std::vector<std::string> s_build_lines;
  static inline std::mutex s_mutex;
  static inline std::vector<std::string> s_containers, s_networks, s_images;
};

TEST_F(EngineApi, PingVersionInfo) {
  s_engine->ping();
  VersionInfo version = s_engine->version();
  EXPECT_FALSE(version.server_version.empty());
  EXPECT_EQ(s_engine->api_version(), negotiate_api_version(version.api_version));
  EXPECT_EQ(version.os, "linux");
  EXPECT_GT(s_engine->info().ncpu, 0);
  const char* docker_host = std::getenv("DOCKER_HOST");
  EXPECT_EQ(s_engine->is_local(), docker_host == nullptr || std::string(docker_host).starts_with("unix://"));
}

TEST_F(EngineApi, UnreachableDaemonIsOneClearLine) {
  try {
    connect("unix:///nonexistent");
    ADD_FAILURE() << "connected to nothing";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::engine_unreachable);
    EXPECT_STREQ(error.what(),
                 "cannot reach the Docker daemon at unix:///nonexistent (No such file or directory); "
                 "start it with \"dockerd\" or \"systemctl start docker\", or set DOCKER_HOST");
  }
  EXPECT_THROW(connect("ftp://x"), Error);
}

TEST_F(EngineApi, ImportedAndBuiltImagesCarryTheirConfig) {
  ImageInfo root = s_engine->inspect_image(s_root_image);
  EXPECT_EQ(root.id, s_root_id);
  EXPECT_EQ(root.labels.at("dockerops.test"), "1");

  ImageInfo image = s_engine->inspect_image(s_image);
  EXPECT_EQ(image.id, s_image_id);
  EXPECT_EQ(image.labels.at("dockerops.engine-test"), "built");
  EXPECT_EQ(image.exposed_ports, (std::vector<std::string>{"53/udp", "8080/tcp"}));
  EXPECT_NE(std::find(image.env.begin(), image.env.end(), "GREETING=hello"), image.env.end());
  EXPECT_EQ(image.cmd, (std::vector<std::string>{"sh", "-c", "sleep 300"}));
  EXPECT_FALSE(image.has_healthcheck);
  bool saw_step = false;
  for (const auto& line : s_build_lines)
    saw_step = saw_step || line.find("Step 1/") != std::string::npos;
  EXPECT_TRUE(saw_step) << "build progress lines reach the callback";

  auto listed = s_engine->list_images(label_filter({"dockerops.engine-test=built"}));
  EXPECT_TRUE(
      std::any_of(listed.begin(), listed.end(), [](const ImageInfo& i) { return i.id == s_image_id; }));

  std::string retag = "dockerops-test/engine-" + std::to_string(getpid()) + "-tagged";
  s_images.push_back(retag + ":v1");
  s_engine->tag_image(s_image, retag, "v1");
  EXPECT_EQ(s_engine->inspect_image(retag + ":v1").id, s_image_id);
  s_engine->remove_image(retag + ":v1", false);
  EXPECT_FALSE(s_engine->find_image(retag + ":v1").has_value());
}

TEST_F(EngineApi, BuildErrorsSurfaceTheDaemonMessage) {
  BuildOptions options;
  options.labels = k_test_label;
  try {
    s_engine->build_image(options, context_with("FROM " + s_root_image + "\nRUN exit 3\n"), nullptr);
    ADD_FAILURE() << "a failing RUN built";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::engine);
    EXPECT_NE(std::string(error.what()).find("returned a non-zero code: 3"), std::string::npos)
        << error.what();
  }
  // forcerm (the default) leaves no intermediate container of the failed step behind.
  for (const auto& container : s_engine->list_containers({{"ancestor", {s_root_id}}}, true))
    EXPECT_NE(container.image, s_root_id) << "left behind: " << container.name;
  try {
    s_engine->build_image(options, context_with("FROM " + s_root_image + "\nBOGUS nothing\n"), nullptr);
    ADD_FAILURE() << "a bad Dockerfile built";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::engine);
    EXPECT_NE(std::string(error.what()).find("unknown instruction: BOGUS"), std::string::npos)
        << error.what();
  }
}

TEST_F(EngineApi, PullFailureIsACleanError) {
  // A registry on a closed local port: no traffic leaves the machine.
  try {
    s_engine->pull_image("127.0.0.1:9/dockerops-test/nothing", "latest", nullptr);
    ADD_FAILURE() << "pulled from nowhere";
  } catch (const Error& error) {
    EXPECT_TRUE(error.kind() == ErrorKind::engine || error.kind() == ErrorKind::not_found) << error.what();
    EXPECT_NE(std::string(error.what()).find("127.0.0.1:9"), std::string::npos) << error.what();
  }
}

TEST_F(EngineApi, ContainerLifecycleLogsExecWait) {
  ContainerSpec spec;
  spec.name = k_prefix + "-life";
  spec.cmd = std::vector<std::string>{"sh", "-c", "echo out; echo err >&2; exec sleep 300"};
  spec.env = {"MARK=engine"};
  spec.hostname = "life";
  std::string id = create(spec);
  try {
    create(spec);
    ADD_FAILURE() << "created a duplicate name";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::conflict);
  }
  s_engine->start_container(id);
  s_engine->start_container(id); // 304: fine

  ContainerInfo info = s_engine->inspect_container(spec.name);
  EXPECT_EQ(info.id, id);
  EXPECT_EQ(info.name, spec.name);
  EXPECT_TRUE(info.running);
  EXPECT_EQ(info.status, "running");
  EXPECT_GT(info.pid, 0);
  EXPECT_FALSE(info.tty);
  EXPECT_EQ(info.image_id, s_image_id);
  EXPECT_EQ(info.labels.at("dockerops.test"), "1");
  EXPECT_NE(std::find(info.env.begin(), info.env.end(), "MARK=engine"), info.env.end());

  // Follow the logs until both streams arrived, demultiplexed.
  std::string out, err;
  LogOptions follow;
  follow.follow = true;
  s_engine->logs(id, follow, [&](Stream stream, std::string_view bytes) {
    (stream == Stream::error ? err : out).append(bytes);
    return !(out == "out\n" && err == "err\n");
  });
  EXPECT_EQ(out, "out\n");
  EXPECT_EQ(err, "err\n");

  std::string exec_output;
  EXPECT_EQ(s_engine->exec_capture(
                id, {{"sh", "-c", "echo from-exec $MARK; exit 3"}, {}, "", "", false, false}, exec_output),
            3);
  EXPECT_EQ(exec_output, "from-exec engine\n");

  auto listed = s_engine->list_containers(label_filter({"dockerops.test=1"}), false);
  auto it = std::find_if(listed.begin(), listed.end(), [&](const ContainerSummary& c) { return c.id == id; });
  ASSERT_NE(it, listed.end());
  EXPECT_EQ(it->name, spec.name);
  EXPECT_EQ(it->state, "running");

  s_engine->kill_container(id, "SIGKILL");
  EXPECT_EQ(s_engine->wait_container(id, WaitCondition::not_running), 137);
  try {
    s_engine->kill_container(id, "SIGKILL");
    ADD_FAILURE() << "killed a stopped container";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::conflict);
  }
  s_engine->stop_container(id, 1); // 304: already stopped
  s_engine->remove_container(id, false, true);
  EXPECT_FALSE(s_engine->find_container(id).has_value());
  try {
    s_engine->remove_container(id, true, true);
    ADD_FAILURE();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::not_found);
  }
}

TEST_F(EngineApi, ExitCodeOneShotLogsAndTty) {
  ContainerSpec spec;
  spec.name = k_prefix + "-exit";
  spec.cmd = std::vector<std::string>{"sh", "-c", "echo done; exit 7"};
  std::string id = create(spec);
  s_engine->start_container(id);
  EXPECT_EQ(s_engine->wait_container(id, WaitCondition::not_running), 7);
  EXPECT_EQ(s_engine->inspect_container(id).exit_code, 7);
  std::string out;
  s_engine->logs(id, {}, [&](Stream stream, std::string_view bytes) {
    EXPECT_EQ(stream, Stream::output);
    out.append(bytes);
    return true;
  });
  EXPECT_EQ(out, "done\n");

  ContainerSpec tty = spec;
  tty.name = k_prefix + "-tty";
  tty.tty = true;
  tty.cmd = std::vector<std::string>{"sh", "-c", "echo tty-out"};
  std::string tty_id = create(tty);
  s_engine->start_container(tty_id);
  EXPECT_EQ(s_engine->wait_container(tty_id, WaitCondition::not_running), 0);
  std::string raw;
  s_engine->logs(tty_id, {}, [&](Stream, std::string_view bytes) {
    raw.append(bytes);
    return true;
  });
  EXPECT_EQ(raw, "tty-out\r\n");
}

TEST_F(EngineApi, InteractiveExecAndAttachWithPipes) {
  ContainerSpec spec;
  spec.name = k_prefix + "-attach";
  spec.cmd = std::vector<std::string>{"sh"};
  spec.open_stdin = spec.stdin_once = spec.attach_stdin = spec.attach_stdout = spec.attach_stderr = true;
  std::string id = create(spec);

  auto run_with_input = [](const std::string& input, const std::function<int(const InteractiveIo&)>& body,
                           std::string& output) {
    int in[2], out[2];
    EXPECT_EQ(pipe(in), 0);
    EXPECT_EQ(pipe(out), 0);
    EXPECT_EQ(write(in[1], input.data(), input.size()), static_cast<ssize_t>(input.size()));
    close(in[1]);
    std::thread reader([&] {
      char buffer[256];
      ssize_t n;
      while ((n = read(out[0], buffer, sizeof(buffer))) > 0)
        output.append(buffer, static_cast<std::size_t>(n));
    });
    int code = -1;
    try {
      code = body({in[0], out[1], out[1]});
    } catch (...) {
      close(out[1]);
      reader.join();
      close(in[0]);
      close(out[0]);
      throw;
    }
    close(out[1]);
    reader.join();
    close(in[0]);
    close(out[0]);
    return code;
  };

  std::string attached;
  int code = run_with_input(
      "echo attached-$((40+2)) >&2; exit 5\n",
      [&](const InteractiveIo& io) { return s_engine->attach(id, true, io); }, attached);
  EXPECT_EQ(code, 5);
  EXPECT_EQ(attached, "attached-42\n");

  ContainerSpec sleeper;
  sleeper.name = k_prefix + "-exec";
  std::string sleeper_id = create(sleeper);
  s_engine->start_container(sleeper_id);
  std::string executed;
  code = run_with_input(
      "hello\n",
      [&](const InteractiveIo& io) {
        return s_engine->exec_interactive(
            sleeper_id, {{"sh", "-c", "read line; echo got-$line; exit 4"}, {}, "", "", false, false}, io);
      },
      executed);
  EXPECT_EQ(code, 4);
  EXPECT_EQ(executed, "got-hello\n");
}

TEST_F(EngineApi, NetworksWithFixedAddressesAndAliases) {
  // A /24 in 10.251.0.0/16 picked from the pid, to stay clear of parallel runs and the default pools.
  int third = 1 + getpid() % 250;
  std::string subnet = "10.251." + std::to_string(third) + ".0/24";
  std::string prefix = "10.251." + std::to_string(third) + ".";
  NetworkSpec spec{k_prefix + "-net", "bridge", k_test_label, subnet, prefix + "1", false};
  s_networks.push_back(spec.name);
  std::string network_id = s_engine->create_network(spec);
  EXPECT_FALSE(network_id.empty());
  try {
    s_engine->create_network(spec);
    ADD_FAILURE() << "duplicate network created";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::conflict) << error.what();
  }

  ContainerSpec first;
  first.name = k_prefix + "-net1";
  first.network_mode = spec.name;
  first.endpoint = EndpointSpec{spec.name, {"alias-one"}, prefix + "10"};
  std::string first_id = create(first);
  ContainerSpec second;
  second.name = k_prefix + "-net2";
  std::string second_id = create(second);
  s_engine->connect_network({spec.name, {"alias-two"}, prefix + "20"}, second_id);
  s_engine->start_container(first_id);
  s_engine->start_container(second_id);

  ContainerInfo info = s_engine->inspect_container(first_id);
  ASSERT_EQ(info.networks.count(spec.name), 1u);
  EXPECT_EQ(info.networks[spec.name].ip_address, prefix + "10");
  auto& aliases = info.networks[spec.name].aliases;
  EXPECT_NE(std::find(aliases.begin(), aliases.end(), "alias-one"), aliases.end());
  EXPECT_EQ(s_engine->inspect_container(second_id).networks.at(spec.name).ip_address, prefix + "20");

  // The name resolves through the daemon's embedded DNS on a user network.
  std::string ping;
  EXPECT_EQ(s_engine->exec_capture(
                second_id,
                {{"sh", "-c", "ping -c1 -W2 alias-one >/dev/null && echo ok"}, {}, "", "", false, false},
                ping),
            0);
  EXPECT_EQ(ping, "ok\n");

  NetworkInfo network = s_engine->inspect_network(spec.name);
  EXPECT_EQ(network.id, network_id);
  EXPECT_EQ(network.subnets, std::vector<std::string>{subnet});
  EXPECT_EQ(network.labels.at("dockerops.test"), "1");
  EXPECT_EQ(network.members.size(), 2u);
  auto listed = s_engine->list_networks(label_filter({"dockerops.test=1"}));
  EXPECT_TRUE(
      std::any_of(listed.begin(), listed.end(), [&](const NetworkInfo& n) { return n.id == network_id; }));

  s_engine->disconnect_network(spec.name, second_id, true);
  EXPECT_EQ(s_engine->inspect_network(spec.name).members.size(), 1u);
  s_engine->remove_container(first_id, true, true);
  s_engine->remove_container(second_id, true, true);
  s_engine->remove_network(spec.name);
  try {
    s_engine->inspect_network(spec.name);
    ADD_FAILURE();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::not_found);
  }
}

TEST_F(EngineApi, EventsStreamUntilTheCallbackStops) {
  std::int64_t since = std::time(nullptr) - 1;
  std::string marker = k_prefix + "-events";
  ContainerSpec spec;
  spec.name = marker;
  spec.labels = {{"dockerops.engine-events", marker}};
  spec.cmd = std::vector<std::string>{"sh", "-c", "exit 7"};
  std::string id = create(spec);
  s_engine->start_container(id);
  s_engine->wait_container(id, WaitCondition::not_running);

  // since= replays what already happened, so there is no race with the container.
  std::vector<std::string> actions;
  std::string exit_code;
  EventOptions options;
  options.since = since;
  options.filters = {{"type", {"container"}}, {"label", {"dockerops.engine-events=" + marker}}};
  s_engine->events(options, [&](const Event& event) {
    EXPECT_EQ(event.actor_id, id);
    actions.push_back(event.action);
    if (event.action == "die")
      exit_code = event.attributes.at("exitCode");
    return event.action != "die";
  });
  EXPECT_EQ(actions, (std::vector<std::string>{"create", "start", "die"}));
  EXPECT_EQ(exit_code, "7");
}

TEST_F(EngineApi, ParallelCallsFromSeveralThreads) {
  std::vector<std::thread> threads;
  std::atomic<int> created{0};
  std::vector<std::string> errors(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      try {
        ContainerSpec spec;
        spec.name = k_prefix + "-par" + std::to_string(i);
        std::string id = create(spec);
        s_engine->inspect_container(id);
        ++created;
      } catch (const Error& error) {
        errors[i] = error.what();
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(created.load(), 4) << errors[0] << errors[1] << errors[2] << errors[3];
  EXPECT_EQ(s_engine->list_containers({{"label", {"dockerops.test=1"}}, {"name", {k_prefix + "-par"}}}, true)
                .size(),
            4u);
}
