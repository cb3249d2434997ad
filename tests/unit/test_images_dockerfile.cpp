#include "base/error.hpp"
#include "images/dockerfile.hpp"

#include <gtest/gtest.h>

using namespace dockerops::images;

TEST(DockerfileFrom, FindsImagesStagesAndFlags) {
  auto lines = parse_from_lines("# syntax comment\nfrom --platform=linux/amd64 demo/parent:1 AS build\n"
                                "RUN make \\\n  all\nFROM build\nFROM dockerops/base\n",
                                "Dockerfile");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].image, "demo/parent:1");
  EXPECT_EQ(lines[0].stage, "build");
  EXPECT_EQ(lines[0].line, 2);
  EXPECT_TRUE(lines[1].refers_to_stage);
  EXPECT_EQ(lines[2].line, 6);
  EXPECT_EQ(base_images(lines), (std::vector<std::string>{"demo/parent:1", "dockerops/base"}));
}

TEST(DockerfileFrom, ContinuationLines) {
  auto lines = parse_from_lines("FROM \\\n  dockerops/dns\n", "Dockerfile");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].image, "dockerops/dns");
}

TEST(DockerfileFrom, MissingFromIsAConfigError) {
  try {
    parse_from_lines("RUN true\n", "services/web/Dockerfile");
    FAIL() << "no error";
  } catch (const dockerops::Error& error) {
    EXPECT_EQ(error.kind(), dockerops::ErrorKind::config);
    EXPECT_STREQ(error.what(),
                 "services/web/Dockerfile: no FROM line; service images start with \"FROM dockerops/base\"");
  }
}

TEST(DockerfileFrom, RepositoryWithoutTagOrDigest) {
  EXPECT_EQ(image_repository("demo/web:1"), "demo/web");
  EXPECT_EQ(image_repository("localhost:5000/web"), "localhost:5000/web");
  EXPECT_EQ(image_repository("web@sha256:abc"), "web");
}

TEST(DockerfileFrom, LegacyBaseNamesTheReplacement) {
  auto lines = parse_from_lines("\nFROM dockerops/dockerops-base-ubuntu14.04\n", "services/web/Dockerfile");
  try {
    check_legacy_base(lines, "services/web/Dockerfile");
    FAIL() << "no error";
  } catch (const dockerops::Error& error) {
    EXPECT_STREQ(error.what(),
                 "services/web/Dockerfile:2: \"dockerops/dockerops-base-ubuntu14.04\" is an image of the "
                 "original DockerOps; use \"FROM dockerops/base\" instead");
  }
  EXPECT_NO_THROW(check_legacy_base(parse_from_lines("FROM dockerops/base\n", "D"), "D"));
}

TEST(DockerfileScripts, OldStartUpScriptLocationsAreWarnedAbout) {
  const std::string where = "services/demo/Dockerfile";
  EXPECT_EQ(
      legacy_script_warnings("FROM dockerops/base\nCOPY prestartup_dockerops-demo.sh /prestartup/\n", where),
      (std::vector<std::string>{
          "services/demo/Dockerfile:2: COPY to /prestartup/: dockerops never runs /prestartup/ or "
          "prestartup_*.sh scripts (the original DockerOps did); copy the script to "
          "/entrypoints/20-dockerops-demo.sh instead"}));
  // A prestartup_*.sh copied elsewhere than /entrypoints/*.sh, with a flag and a continuation line.
  EXPECT_EQ(
      legacy_script_warnings("FROM dockerops/base\nADD --chown=root \\\n  files/prestartup_db.sh /opt/\n",
                             where),
      (std::vector<std::string>{
          "services/demo/Dockerfile:2: ADD files/prestartup_db.sh: dockerops never runs /prestartup/ or "
          "prestartup_*.sh scripts (the original DockerOps did); copy the script to /entrypoints/20-db.sh "
          "instead"}));
  // The new places, and a prestartup_*.sh renamed on its way into /entrypoints/, are fine.
  EXPECT_TRUE(
      legacy_script_warnings("FROM dockerops/base\nCOPY 20-demo.sh /entrypoints/\n"
                             "COPY prestartup_x.sh /entrypoints/30-x.sh\nCOPY prestartup_y.sh /entrypoints/\n"
                             "RUN ls /prestartup\n",
                             where)
          .empty());
}
