#pragma once

#include <filesystem>

namespace dockerops::paths {

// The running executable (from /proc/self/exe).
std::filesystem::path self_executable();

// Where base-image/, dns-service/ and demo/ are (docs/decisions.md 1):
// $DOCKEROPS_DATA_DIR, else <exe dir>/../share/dockerops, else the source tree
// dockerops was built from, so build-tree binaries work in tests.
std::filesystem::path data_dir();

// The agent's status page (web/ in the data folder, found the same way). The agent image holds
// web/ without the other data folders, hence a lookup of its own.
std::filesystem::path page_dir();

// The dockerops-dnsd binary: $DOCKEROPS_DNSD, else beside the executable.
std::filesystem::path dnsd_binary();

} // namespace dockerops::paths
