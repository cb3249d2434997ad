#include "core/project_lock.hpp"

#include "../support/error_of.hpp"
#include "../support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace dockerops::core {
namespace {

TEST(ProjectLock, ASecondHolderIsRefusedAndTheProbeSeesTheHolder) {
  dockerops::testing::TempDir dir;
  EXPECT_FALSE(project_locked(dir.path())); // never locked: no lock file
  {
    ProjectLock lock(dir.path(), "demo", "dockerops run:all", false, {});
    EXPECT_TRUE(project_locked(dir.path()));
    EXPECT_EQ(dockerops::testing::error_of(
                  [&] { ProjectLock second(dir.path(), "demo", "dockerops stop", false, {}); }),
              "project demo is busy: dockerops run:all (pid " + std::to_string(::getpid()) +
                  ") is changing it; try again when it is done (without --no-wait, dockerops waits for it)");
  }
  EXPECT_FALSE(project_locked(dir.path()));
  ProjectLock again(dir.path(), "demo", "dockerops stop", false, {}); // the probe left nothing behind
}

} // namespace
} // namespace dockerops::core
