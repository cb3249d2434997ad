#include "base/paths.hpp"

#include "base/error.hpp"

#include <cstdlib>

namespace dockerops::paths {
namespace fsys = std::filesystem;

fsys::path self_executable() {
  std::error_code ec;
  fsys::path exe = fsys::read_symlink("/proc/self/exe", ec);
  if (ec)
    fail(ErrorKind::io, "cannot find the dockerops executable: {}", ec.message());
  return exe;
}

namespace {

// The first of $DOCKEROPS_DATA_DIR, <exe dir>/../share/dockerops and the source tree that holds
// `marker` (docs/decisions.md 1).
fsys::path find_data(const char* marker) {
  if (const char* env = std::getenv("DOCKEROPS_DATA_DIR"); env != nullptr && *env != '\0') {
    if (!fsys::is_directory(env))
      fail(ErrorKind::config, "DOCKEROPS_DATA_DIR: {} is not a folder", env);
    return env;
  }
  fsys::path installed = self_executable().parent_path().parent_path() / "share" / "dockerops";
  if (fsys::is_directory(installed / marker))
    return installed;
  fsys::path source = DOCKEROPS_SOURCE_DIR;
  if (fsys::is_directory(source / marker))
    return source;
  fail(ErrorKind::config,
       "cannot find the dockerops data folder (looked in {} and {}); set DOCKEROPS_DATA_DIR",
       installed.string(), source.string());
}

} // namespace

fsys::path data_dir() {
  return find_data("base-image");
}

fsys::path page_dir() {
  return find_data("web") / "web";
}

fsys::path dnsd_binary() {
  if (const char* env = std::getenv("DOCKEROPS_DNSD"); env != nullptr && *env != '\0')
    return env;
  fsys::path beside = self_executable().parent_path() / "dockerops-dnsd";
  if (fsys::exists(beside))
    return beside;
  fail(ErrorKind::not_found, "cannot find dockerops-dnsd beside {}; set DOCKEROPS_DNSD",
       self_executable().string());
}

} // namespace dockerops::paths
