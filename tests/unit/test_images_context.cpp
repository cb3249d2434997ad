#include "base/error.hpp"
#include "images/archive_stream.hpp"
#include "images/build_context.hpp"
#include "images/root_image.hpp"

#include "../support/temp_dir.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <unistd.h>

using namespace dockerops::images;
namespace fsys = std::filesystem;

namespace {

using dockerops::testing::TempDir;

struct ReadEntry {
  std::string content;
  unsigned mode = 0;
  mode_t type = 0;
  std::string link;
};

// Streams the tar through ArchiveStream and reads it back with libarchive.
std::map<std::string, ReadEntry> read_back(const ArchiveStream::Fill& fill) {
  ArchiveStream stream(fill);
  std::string bytes;
  char buffer[4096];
  while (std::size_t n = stream.read(buffer, sizeof buffer))
    bytes.append(buffer, n);
  std::map<std::string, ReadEntry> result;
  struct archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  EXPECT_EQ(archive_read_open_memory(a, bytes.data(), bytes.size()), ARCHIVE_OK);
  struct archive_entry* e = nullptr;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    ReadEntry entry;
    entry.mode = archive_entry_perm(e);
    entry.type = archive_entry_filetype(e);
    if (archive_entry_symlink(e) != nullptr)
      entry.link = archive_entry_symlink(e);
    if (archive_entry_hardlink(e) != nullptr)
      entry.link = archive_entry_hardlink(e);
    la_ssize_t n = 0;
    while ((n = archive_read_data(a, buffer, sizeof buffer)) > 0)
      entry.content.append(buffer, static_cast<std::size_t>(n));
    std::string name = archive_entry_pathname(e);
    if (!name.empty() && name.back() == '/')
      name.pop_back(); // folders are stored as "bin/"
    result[name] = entry;
  }
  archive_read_free(a);
  return result;
}

} // namespace

TEST(BuildContext, TarHoldsFilesModesLinksAndMemoryFiles) {
  TempDir dir;
  dir.write("Dockerfile", "FROM dockerops/base\n");
  dir.write("bin/run.sh", "#!/bin/sh\n", fsys::perms(0755));
  fsys::create_symlink("bin/run.sh", dir.path() / "link");
  BuildContext context = BuildContext::from_directory(dir.path());
  context.add_file("extra/dnsd", "ELF", 0755);
  auto entries = read_back([&](struct archive* w) { context.write_tar(w); });
  ASSERT_EQ(entries.count("Dockerfile"), 1u);
  EXPECT_EQ(entries["Dockerfile"].content, "FROM dockerops/base\n");
  EXPECT_EQ(entries["bin/run.sh"].mode, 0755u);
  EXPECT_EQ(entries["bin"].type, static_cast<mode_t>(AE_IFDIR));
  EXPECT_EQ(entries["link"].type, static_cast<mode_t>(AE_IFLNK));
  EXPECT_EQ(entries["link"].link, "bin/run.sh");
  EXPECT_EQ(entries["extra/dnsd"].content, "ELF");
  EXPECT_EQ(entries["extra/dnsd"].mode, 0755u);
}

TEST(BuildContext, DockerIgnoreIsHonouredButDockerfileAlwaysSent) {
  TempDir dir;
  dir.write("Dockerfile", "FROM x\n");
  dir.write(".dockerignore", "Dockerfile\n.dockerignore\n*.log\nsecrets\n!secrets/public.pem\n");
  dir.write("app.log", "noise");
  dir.write("app.txt", "keep");
  dir.write("secrets/private.pem", "no");
  dir.write("secrets/public.pem", "yes");
  BuildContext context = BuildContext::from_directory(dir.path());
  auto entries = read_back([&](struct archive* w) { context.write_tar(w); });
  EXPECT_EQ(entries.count("Dockerfile"), 1u);
  EXPECT_EQ(entries.count(".dockerignore"), 1u);
  EXPECT_EQ(entries.count("app.log"), 0u);
  EXPECT_EQ(entries.count("app.txt"), 1u);
  EXPECT_EQ(entries.count("secrets/private.pem"), 0u);
  EXPECT_EQ(entries.count("secrets/public.pem"), 1u);
}

TEST(BuildContext, MissingDockerfileIsNotFound) {
  TempDir dir;
  EXPECT_THROW(BuildContext::from_directory(dir.path()), dockerops::Error);
}

TEST(BuildContext, HashIsStableAndSeesContentModeAndNames) {
  TempDir dir;
  dir.write("Dockerfile", "FROM x\n");
  dir.write("a.sh", "echo a\n");
  std::string first = BuildContext::from_directory(dir.path()).hash();
  EXPECT_EQ(first.size(), 64u);
  EXPECT_EQ(BuildContext::from_directory(dir.path()).hash(), first);
  // mtimes do not count
  fsys::last_write_time(dir.path() / "a.sh",
                        fsys::last_write_time(dir.path() / "a.sh") - std::chrono::hours(5));
  EXPECT_EQ(BuildContext::from_directory(dir.path()).hash(), first);
  fsys::permissions(dir.path() / "a.sh", fsys::perms(0755));
  std::string by_mode = BuildContext::from_directory(dir.path()).hash();
  EXPECT_NE(by_mode, first);
  dir.write("a.sh", "echo b\n", fsys::perms(0755));
  std::string by_content = BuildContext::from_directory(dir.path()).hash();
  EXPECT_NE(by_content, by_mode);
  BuildContext with_binary = BuildContext::from_directory(dir.path());
  with_binary.add_file("dockerops-dnsd", "v1", 0755);
  EXPECT_NE(with_binary.hash(), by_content);
  BuildContext other_binary = BuildContext::from_directory(dir.path());
  other_binary.add_file("dockerops-dnsd", "v2", 0755);
  EXPECT_NE(other_binary.hash(), with_binary.hash());
}

TEST(BuildContext, Sha256OfText) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ArchiveStream, WorkerErrorSurfacesAtTheEnd) {
  ArchiveStream stream([](struct archive*) { dockerops::fail(dockerops::ErrorKind::io, "disk on fire"); });
  char buffer[512];
  try {
    while (stream.read(buffer, sizeof buffer) > 0) {
    }
    FAIL() << "no error";
  } catch (const dockerops::Error& error) {
    EXPECT_STREQ(error.what(), "disk on fire");
  }
}

TEST(RootfsTar, KeepsHardLinksAndSkipsCaches) {
  TempDir dir;
  dir.write("etc/os-release", "bookworm\n");
  fsys::create_hard_link(dir.path() / "etc/os-release", dir.path() / "etc/os-release.hard");
  dir.write("var/cache/apt/archives/bash.deb", "deb");
  dir.write("proc/1/status", "no");
  fsys::create_symlink("/proc/self/mounts", dir.path() / "etc/mtab");
  auto entries = read_back([&](struct archive* w) { write_rootfs_tar(dir.path(), w); });
  EXPECT_EQ(entries["etc/os-release"].content + entries["etc/os-release.hard"].content, "bookworm\n");
  EXPECT_EQ(entries["etc/mtab"].link, "/proc/self/mounts");
  EXPECT_EQ(entries.count("var/cache/apt/archives"), 1u);
  EXPECT_EQ(entries.count("var/cache/apt/archives/bash.deb"), 0u);
  EXPECT_EQ(entries.count("proc"), 1u);
  EXPECT_EQ(entries.count("proc/1/status"), 0u);
}

TEST(RootSource, ParsesAndSuggests) {
  EXPECT_EQ(parse_root_source("DEBOOTSTRAP"), RootSource::debootstrap);
  EXPECT_EQ(parse_root_source("auto"), RootSource::automatic);
  try {
    parse_root_source("debootsrap");
    FAIL() << "no error";
  } catch (const dockerops::Error& error) {
    EXPECT_EQ(error.kind(), dockerops::ErrorKind::usage);
    EXPECT_NE(std::string(error.what()).find("did you mean \"debootstrap\""), std::string::npos);
  }
}
