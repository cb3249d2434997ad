#include "core/scale_counts.hpp"

#include "base/fs.hpp"

namespace dockerops::core {

std::filesystem::path runtime_counts_path(const std::filesystem::path& project_dir) {
  return project_dir / ".dockerops" / "scale.json";
}

project::RuntimeCounts load_runtime_counts(const std::filesystem::path& project_dir) {
  auto path = runtime_counts_path(project_dir);
  if (!std::filesystem::exists(path))
    return {};
  return project::parse_runtime_counts(fs::read_file(path), path.string());
}

void store_runtime_counts(const std::filesystem::path& project_dir, const project::RuntimeCounts& counts) {
  auto path = runtime_counts_path(project_dir);
  if (counts.empty()) {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    return;
  }
  fs::make_dirs(path.parent_path());
  fs::write_file_atomic(path, project::format_runtime_counts(counts));
  fs::chown_to_invoking_user(path);
}

} // namespace dockerops::core
