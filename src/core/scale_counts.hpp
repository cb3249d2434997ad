#pragma once

// The runtime counts of counted instances on disk: <project>/.dockerops/scale.json
// (docs/decisions.md 29), replaced atomically (temp file + fsync + rename).

#include "project/counted.hpp"

#include <filesystem>

namespace dockerops::core {

// .dockerops/scale.json of a project dir.
std::filesystem::path runtime_counts_path(const std::filesystem::path& project_dir);

// The stored counts; none when the file does not exist. A file that does not parse is a config Error.
project::RuntimeCounts load_runtime_counts(const std::filesystem::path& project_dir);

// Replaces the stored counts (the file goes when `counts` is empty).
void store_runtime_counts(const std::filesystem::path& project_dir, const project::RuntimeCounts& counts);

} // namespace dockerops::core
