#include "../support/error_of.hpp"
#include "base/error.hpp"
#include "project/conf_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include <unistd.h>

using namespace dockerops;
using namespace dockerops::project;

namespace {

using dockerops::testing::error_of;

} // namespace

TEST(ConfFiles, Selection) {
  std::set<std::string> files = {"run.conf", "default.conf", "prod.conf", "staging"};
  auto exists = [&](const std::string& f) { return files.count(f) > 0; };
  EXPECT_EQ(choose_conf_file("", exists), "run.conf");
  EXPECT_EQ(choose_conf_file("prod", exists), "prod.conf");
  EXPECT_EQ(choose_conf_file("prod.conf", exists), "prod.conf");
  EXPECT_EQ(choose_conf_file("staging", exists), "staging");
  files.erase("run.conf");
  EXPECT_EQ(choose_conf_file("", exists), "default.conf");
  files.clear();
  EXPECT_EQ(choose_conf_file("", exists), "");
  EXPECT_EQ(error_of([&] {
              choose_conf_file("prd", exists, {"host.conf", "prod.conf", "run.conf"});
            }),
            "conf \"prd\": there is no prd or prd.conf in the project dir; did you mean \"prod\"?");
}

TEST(ConfFiles, DiscoveryOptionsFromFlagsAndEnvironment) {
  HostInfo host;
  host.env = {{"PROJECT_NAME", "FromEnv"}, {"SERVICES_IMAGES_DIR", "svc"}, {"DATA_DIR", "/var/data"}};
  auto o = discovery_options(host, "/home/u/proj", "", "");
  EXPECT_EQ(o.dir, "/home/u/proj");
  EXPECT_EQ(o.name, "FromEnv");
  EXPECT_EQ(o.services_dir, "/home/u/proj/svc");
  EXPECT_EQ(o.data_dir, "/var/data");
  auto flags = discovery_options(HostInfo{}, "/home/u", "other/./p/", "flagname");
  EXPECT_EQ(flags.dir, "/home/u/other/p");
  EXPECT_EQ(flags.name, "flagname");
  EXPECT_EQ(flags.services_dir, "");
  EXPECT_EQ(make_project(flags).name, "flagname");
}

TEST(ConfFiles, LoadAndSaveInATemporaryProject) {
  auto dir = std::filesystem::temp_directory_path() / ("dockerops-unit-conf-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  EXPECT_TRUE(load_run_conf(dir.string(), "").entries.empty());
  EXPECT_TRUE(load_host_conf(dir.string()).values.empty());
  HostConf conf;
  conf.last_conf = "prod";
  conf.values["API_KEY"] = "secret";
  // A new host.conf goes to .dockerops/ (docs/decisions.md 2), readable by its owner only.
  EXPECT_EQ(host_conf_path(dir.string()), dir / ".dockerops" / "host.conf");
  save_host_conf(dir.string(), conf);
  EXPECT_EQ(load_host_conf(dir.string()).values.at("API_KEY"), "secret");
  EXPECT_EQ(std::filesystem::status(dir / ".dockerops" / "host.conf").permissions() &
                std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  // One at the project root (the original's place) is read and written there.
  std::filesystem::rename(dir / ".dockerops" / "host.conf", dir / "host.conf");
  EXPECT_EQ(host_conf_path(dir.string()), dir / "host.conf");
  conf.values["API_KEY"] = "rotated";
  save_host_conf(dir.string(), conf);
  EXPECT_EQ(load_host_conf(dir.string()).values.at("API_KEY"), "rotated");
  EXPECT_FALSE(std::filesystem::exists(dir / ".dockerops" / "host.conf"));
  {
    std::FILE* f = std::fopen((dir / "default.conf").c_str(), "w");
    std::fputs("[{\"service\": \"web\", \"instance\": \"one\"}]\n", f);
    std::fclose(f);
  }
  RunConf run = load_run_conf(dir.string(), "");
  EXPECT_EQ(run.filename, "default.conf");
  ASSERT_EQ(run.entries.size(), 1u);
  EXPECT_EQ(run.entries[0].service.value, "web");
  EXPECT_EQ(
      error_of([&] { load_run_conf(dir.string(), "defualt"); }),
      "conf \"defualt\": there is no defualt or defualt.conf in the project dir; did you mean \"default\"?");
  std::filesystem::remove_all(dir);
}
