// Stats sampling: cgroup v1 and v2 layouts of both drivers (a folder tree in the kernel's file
// formats), CPU % from two passes, the Engine API fallback, and the bounded history.

#include "agent/stats.hpp"

#include "../support/fake_engine.hpp"
#include "../support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace dockerops::agent {
namespace {

class CgroupTree : public ::testing::Test {
protected:
  void write(const std::string& relative, const std::string& text) { m_dir.write(relative, text); }
  dockerops::testing::TempDir m_dir;
  const std::filesystem::path& m_root = m_dir.path();
};

TEST_F(CgroupTree, ReadsVersion1WithTheCgroupfsDriver) {
  write("cpuacct/docker/abc/cpuacct.usage", "5000000000\n");
  write("memory/docker/abc/memory.usage_in_bytes", "10485760\n");
  write("memory/docker/abc/memory.stat", "cache 4096\ntotal_inactive_file 2097152\ntotal_rss 1\n");
  write("memory/docker/abc/memory.limit_in_bytes", "9223372036854771712\n");
  CgroupReader reader(m_root);
  EXPECT_FALSE(reader.unified());
  auto sample = reader.read("abc");
  ASSERT_TRUE(sample.has_value());
  EXPECT_EQ(sample->cpu_ns, 5000000000u);
  EXPECT_EQ(sample->memory_bytes, 8388608);
  EXPECT_FALSE(sample->memory_limit.has_value()); // the v1 "unlimited" number
  EXPECT_FALSE(reader.read("other").has_value());
  write("memory/docker/abc/memory.limit_in_bytes", "268435456\n");
  EXPECT_EQ(reader.read("abc")->memory_limit, 268435456);
}

TEST_F(CgroupTree, ReadsVersion2WithTheSystemdDriver) {
  write("cgroup.controllers", "cpu memory pids\n");
  write("system.slice/docker-abc.scope/cpu.stat",
        "usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n");
  write("system.slice/docker-abc.scope/memory.current", "4194304\n");
  write("system.slice/docker-abc.scope/memory.stat", "anon 1\ninactive_file 1048576\nactive_file 2\n");
  write("system.slice/docker-abc.scope/memory.max", "max\n");
  CgroupReader reader(m_root);
  EXPECT_TRUE(reader.unified());
  auto sample = reader.read("abc");
  ASSERT_TRUE(sample.has_value());
  EXPECT_EQ(sample->cpu_ns, 2500000000u);
  EXPECT_EQ(sample->memory_bytes, 3145728);
  EXPECT_FALSE(sample->memory_limit.has_value());
  // The container goes: its files vanish, and the reader says so instead of reusing the folder.
  std::filesystem::remove_all(m_root / "system.slice/docker-abc.scope");
  EXPECT_FALSE(reader.read("abc").has_value());
}

TEST(CgroupFormats, ParsesKeyValueAndSingleValues) {
  EXPECT_EQ(stat_value("usage_usec 12\nuser_usec 3\n", "usage_usec"), 12);
  EXPECT_EQ(stat_value("usage_usec 12\nuser_usec 3\n", "user_usec"), 3);
  EXPECT_EQ(stat_value("usage_usec_x 12\n", "usage_usec"), std::nullopt);
  EXPECT_EQ(single_value("42\n"), 42);
  EXPECT_EQ(single_value("max\n"), std::nullopt);
}

TEST(Stats, CpuPercentOfOneCore) {
  using namespace std::chrono_literals;
  EXPECT_DOUBLE_EQ(cpu_percent(1'000'000'000, 1'500'000'000, 1s), 50.0);
  EXPECT_DOUBLE_EQ(cpu_percent(0, 2'000'000'000, 1s), 200.0); // two cores busy
  EXPECT_DOUBLE_EQ(cpu_percent(5, 4, 1s), 0.0);
  EXPECT_DOUBLE_EQ(cpu_percent(0, 5, 0s), 0.0);
}

TEST_F(CgroupTree, SamplerUsesCgroupsThenTheEngineAndKeepsHistory) {
  write("cpuacct/docker/abc/cpuacct.usage", "1000000000\n");
  write("memory/docker/abc/memory.usage_in_bytes", "1000\n");
  engine::testing::FakeEngine engine;
  engine::ContainerStats remote;
  remote.cpu_total_ns = 3'000'000'000;
  remote.memory_bytes = 2048;
  engine.set_stats("def", remote);
  StatsSampler sampler(engine, CgroupReader(m_root), 3);
  std::vector<SampleTarget> targets{{"web", "one", "abc"}, {"web", "two", "def"}, {"web", "three", "gone"}};
  auto t0 = std::chrono::steady_clock::time_point(std::chrono::seconds(100));
  auto first = sampler.sample(targets, t0);
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].source, "cgroup");
  EXPECT_FALSE(first[0].cpu_percent.has_value()); // one reading is no rate
  EXPECT_EQ(first[1].source, "engine");
  EXPECT_EQ(first[1].memory_bytes, 2048);
  EXPECT_EQ(first[2].source, "");
  write("cpuacct/docker/abc/cpuacct.usage", "1250000000\n");
  remote.cpu_total_ns = 4'000'000'000;
  engine.set_stats("def", remote);
  auto second = sampler.sample(targets, t0 + std::chrono::seconds(1));
  EXPECT_DOUBLE_EQ(*second[0].cpu_percent, 25.0);
  EXPECT_DOUBLE_EQ(*second[1].cpu_percent, 100.0);
  for (int i = 0; i < 5; ++i)
    sampler.sample(targets, t0 + std::chrono::seconds(2 + i));
  EXPECT_EQ(sampler.history("web", "one").size(), 3u);
  EXPECT_TRUE(sampler.history("web", "nobody").empty());
}

} // namespace
} // namespace dockerops::agent
