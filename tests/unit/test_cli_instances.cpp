#include "base/error.hpp"
#include "cli/instances.hpp"

#include <gtest/gtest.h>

namespace dockerops::cli {
namespace {

InstanceRow row(const std::string& service, const std::string& instance) {
  InstanceRow r;
  r.project = "demo";
  r.service = service;
  r.instance = instance;
  return r;
}

std::string error_of(const std::string& command, const std::string& service,
                     const std::optional<std::string>& instance, const std::vector<InstanceRow>& rows) {
  try {
    fail_no_instance(command, "demo", service, instance, rows);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::not_found);
    return e.what();
  }
  return "no error";
}

const std::vector<InstanceRow> k_rows{row("dockerops-dns", "main"), row("web", "one"), row("web", "two")};

TEST(NoInstance, AWrongInstanceNameListsTheServicesInstances) {
  EXPECT_EQ(error_of("ssh", "web", "three", k_rows),
            "ssh: no instance web/three in project demo; there are one, two");
}

TEST(NoInstance, AMisspeltServiceGetsTheClosestName) {
  EXPECT_EQ(error_of("logs", "wbe", std::nullopt, k_rows),
            "logs: no instance wbe in project demo; did you mean \"web\"?");
}

TEST(NoInstance, AServiceWithoutInstancesSaysHowToStartOne) {
  EXPECT_EQ(error_of("shell", "db", "x", k_rows),
            "shell: no instance db/x in project demo; start it with dockerops run:db,instance=x");
}

TEST(NoInstance, AllOrAPrefixListsWhatTheyMatch) {
  EXPECT_EQ(error_of("info", "w*", "zz", k_rows),
            "info: no instance zz in project demo; there are web/one, web/two");
  EXPECT_EQ(error_of("logs", "all", "zz", k_rows),
            "logs: no instance zz in project demo; there are dockerops-dns/main, web/one, web/two");
  EXPECT_EQ(error_of("logs", "all", std::nullopt, {}),
            "logs: project demo has no instances; start them with dockerops run:all");
}

} // namespace
} // namespace dockerops::cli
