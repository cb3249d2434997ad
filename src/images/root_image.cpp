#include "images/root_image.hpp"

#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "base/log.hpp"
#include "base/process.hpp"
#include "base/progress.hpp"
#include "base/strings.hpp"
#include "images/archive_stream.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace dockerops::images {
namespace fsys = std::filesystem;

namespace {

constexpr std::uint64_t k_min_free_bytes = 2ull << 30; // a minbase tree is ~200 MiB, plus its tar in dockerd

// Removes the bootstrap folder on every path out; debootstrap may leave proc/sys mounted inside it
// when it is interrupted, so those are detached first and nothing is deleted if one stays mounted.
class TempRoot {
public:
  TempRoot() {
    const char* tmp = std::getenv("TMPDIR");
    std::string base = tmp != nullptr && *tmp != '\0' ? tmp : "/var/tmp";
    std::string pattern = base + "/dockerops-rootfs-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr)
      fail(ErrorKind::io, "{}: cannot create a temporary folder: {}", base, std::strerror(errno));
    m_path = pattern;
  }
  ~TempRoot() {
    std::vector<std::string> mounts = mounts_below();
    for (auto it = mounts.rbegin(); it != mounts.rend(); ++it)
      ::umount2(it->c_str(), MNT_DETACH);
    if (!mounts_below().empty()) {
      log::warning("{}: still has mounts inside; not removing it", m_path.string());
      return;
    }
    std::error_code ec;
    fsys::remove_all(m_path, ec);
    if (ec)
      log::warning("{}: cannot remove the bootstrap folder: {}", m_path.string(), ec.message());
  }
  const fsys::path& path() const { return m_path; }

private:
  std::vector<std::string> mounts_below() const {
    std::vector<std::string> result;
    std::ifstream in("/proc/self/mounts");
    std::string device, point, rest;
    std::string prefix = m_path.string() + "/";
    while (in >> device >> point && std::getline(in, rest))
      if (point.rfind(prefix, 0) == 0)
        result.push_back(point);
    return result;
  }
  fsys::path m_path;
};

void check_free_space(const fsys::path& dir) {
  struct statvfs st {};
  if (::statvfs(dir.c_str(), &st) != 0)
    return;
  std::uint64_t free_bytes = static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
  if (free_bytes < k_min_free_bytes)
    fail(
        ErrorKind::io,
        "{}: only {} MiB free; bootstrapping the root image needs about 2 GiB (free some space or set TMPDIR "
        "to a larger folder)",
        dir.string(), free_bytes >> 20);
}

std::vector<std::string> import_changes(const std::string& source) {
  return {"ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "CMD [\"bash\"]",
          "LABEL dockerops.root-source=" + source};
}

void bootstrap(engine::Engine& engine) {
  if (!process::on_path("debootstrap"))
    fail(ErrorKind::not_found, "debootstrap is not installed; install it with: apt-get install debootstrap");
  if (::geteuid() != 0)
    fail(ErrorKind::usage,
         "bootstrapping the root image with debootstrap needs root; run dockerops init with sudo");
  TempRoot root;
  check_free_space(root.path());
  log::notice("bootstrapping Debian bookworm (minbase) into {}; this takes a few minutes",
              root.path().string());
  // Debian's default mirror: dockerops never names one (debootstrap picks it).
  fsys::path target = root.path() / "rootfs";
  int status = 0;
  {
    // debootstrap's own "I: Retrieving ..." lines are the progress: one
    // rewritten line on a terminal, every line otherwise.
    Progress progress("debootstrap", 0);
    status = process::run_lines({"debootstrap", "--variant=minbase", "bookworm", target.string()},
                                [&](const std::string& line) { progress.note(line); });
  }
  interrupt::check();
  if (status != 0)
    fail(ErrorKind::io, "debootstrap failed with exit code {} (its log: {}/debootstrap/debootstrap.log)",
         status, target.string());
  log::notice("importing the root file system as {}", k_root_image);
  engine::ImportOptions options;
  options.repo = k_root_repo;
  options.tag = k_root_tag;
  options.changes = import_changes("debootstrap");
  options.message = "dockerops init --root-from=debootstrap";
  ArchiveStream stream([&](struct archive* writer) { write_rootfs_tar(target, writer); });
  std::string id = engine.import_image(options, stream.reader());
  log::notice("{} imported ({})", k_root_image, id.substr(0, 19));
}

void pull(engine::Engine& engine) {
  log::notice("pulling debian:bookworm");
  engine.pull_image("debian", "bookworm", {});
  engine.tag_image("debian:bookworm", k_root_repo, k_root_tag);
}

} // namespace

RootSource parse_root_source(std::string_view text) {
  std::string value = strings::to_lower(text);
  if (value == "auto")
    return RootSource::automatic;
  if (value == "pull")
    return RootSource::pull;
  if (value == "debootstrap")
    return RootSource::debootstrap;
  fail(ErrorKind::usage, "--root-from: unknown source \"{}\" (auto, pull or debootstrap){}", text,
       strings::did_you_mean(value, {"auto", "pull", "debootstrap"}));
}

bool ensure_root_image(engine::Engine& engine, RootSource source) {
  if (engine.find_image(k_root_image)) {
    log::info("{} is present", k_root_image);
    return false;
  }
  switch (source) {
  case RootSource::pull:
    pull(engine);
    break;
  case RootSource::debootstrap:
    bootstrap(engine);
    break;
  case RootSource::automatic:
    try {
      pull(engine);
    } catch (const Error& error) {
      if (error.kind() == ErrorKind::interrupted)
        throw;
      log::notice("pull failed ({}); bootstrapping with debootstrap instead", error.what());
      bootstrap(engine);
    }
    break;
  }
  return true;
}

} // namespace dockerops::images
