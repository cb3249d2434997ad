#include "images/archive_stream.hpp"
#include "images/root_image.hpp"

#include "base/error.hpp"
#include "base/interrupt.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <memory>
#include <string>

namespace dockerops::images {
namespace {

// Caches and pseudo file systems that do not belong in an image.
bool skip_contents_of(const std::string& dir) {
  return dir == "dev" || dir == "proc" || dir == "sys" || dir == "run" || dir == "tmp" ||
         dir == "var/cache/apt/archives" || dir == "var/lib/apt/lists";
}

bool inside_skipped(const std::string& name) {
  std::size_t slash = name.rfind('/');
  return slash != std::string::npos && skip_contents_of(name.substr(0, slash)) &&
         name.substr(slash + 1) != "partial";
}

} // namespace

void write_rootfs_tar(const std::filesystem::path& root, struct archive* writer) {
  std::unique_ptr<struct archive, decltype(&archive_read_free)> disk(archive_read_disk_new(),
                                                                     archive_read_free);
  std::unique_ptr<struct archive_entry_linkresolver, decltype(&archive_entry_linkresolver_free)> links(
      archive_entry_linkresolver_new(), archive_entry_linkresolver_free);
  archive_entry_linkresolver_set_strategy(links.get(), ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
  archive_read_disk_set_symlink_physical(disk.get());
  // Owners stay numeric: no name lookups, as an image's /etc/passwd is not the host's.
  if (archive_read_disk_open(disk.get(), root.c_str()) != ARCHIVE_OK)
    archive_fail(disk.get(), root.c_str());
  std::string prefix = root.string();
  while (!prefix.empty() && prefix.back() == '/')
    prefix.pop_back();
  prefix += '/';

  std::unique_ptr<struct archive_entry, decltype(&archive_entry_free)> holder(archive_entry_new(),
                                                                              archive_entry_free);
  char buffer[64 * 1024];
  while (true) {
    interrupt::check();
    struct archive_entry* entry = holder.get();
    archive_entry_clear(entry);
    int r = archive_read_next_header2(disk.get(), entry);
    if (r == ARCHIVE_EOF)
      break;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
      archive_fail(disk.get(), root.c_str());
    std::string path = archive_entry_pathname(entry);
    if (path.size() < prefix.size()) { // the root itself
      archive_read_disk_descend(disk.get());
      continue;
    }
    std::string name = path.substr(prefix.size());
    if (inside_skipped(name))
      continue;
    mode_t type = archive_entry_filetype(entry);
    if (type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK)
      continue;
    if (type == AE_IFDIR)
      archive_read_disk_descend(disk.get());
    archive_entry_set_pathname(entry, name.c_str());
    archive_entry_set_uname(entry, nullptr);
    archive_entry_set_gname(entry, nullptr);
    struct archive_entry* sparse = nullptr;
    archive_entry_linkify(links.get(), &entry, &sparse);
    if (archive_write_header(writer, entry) != ARCHIVE_OK)
      archive_fail(writer, name.c_str());
    if (type == AE_IFREG && archive_entry_hardlink(entry) == nullptr && archive_entry_size(entry) > 0) {
      la_ssize_t n = 0;
      while ((n = archive_read_data(disk.get(), buffer, sizeof buffer)) > 0)
        if (archive_write_data(writer, buffer, static_cast<size_t>(n)) < 0)
          archive_fail(writer, name.c_str());
      if (n < 0)
        archive_fail(disk.get(), name.c_str());
    }
  }
}

} // namespace dockerops::images
