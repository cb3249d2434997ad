#include "images/build_context.hpp"

#include "base/error.hpp"
#include "base/fs.hpp"
#include "images/archive_stream.hpp"
#include "images/dockerignore.hpp"

#include <algorithm>
#include <archive.h>
#include <archive_entry.h>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <memory>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dockerops::images {
namespace fsys = std::filesystem;

namespace {

unsigned permissions_of(const fsys::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0)
    fail(ErrorKind::io, "{}: {}", path.string(), std::strerror(errno));
  return static_cast<unsigned>(st.st_mode) & 07777u;
}

// Calls `sink` with the file's bytes in chunks.
template <typename Sink>
void read_chunks(const fsys::path& path, Sink sink) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    fail(ErrorKind::io, "{}: {}", path.string(), std::strerror(errno));
  char buffer[64 * 1024];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int saved = errno;
      ::close(fd);
      fail(ErrorKind::io, "{}: {}", path.string(), std::strerror(saved));
    }
    if (n == 0)
      break;
    sink(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
}

} // namespace

BuildContext BuildContext::from_directory(const fsys::path& dir, const std::string& dockerfile) {
  if (!fsys::is_directory(dir))
    fail(ErrorKind::not_found, "{}: build folder not found", dir.string());
  if (!fsys::is_regular_file(dir / dockerfile))
    fail(ErrorKind::not_found, "{}: no {} in the build folder", dir.string(), dockerfile);
  BuildContext context;
  context.m_root = dir;
  DockerIgnore ignore;
  if (fsys::exists(dir / ".dockerignore"))
    ignore = DockerIgnore::parse(fs::read_file(dir / ".dockerignore"));

  std::error_code ec;
  fsys::recursive_directory_iterator it(dir, fsys::directory_options::none, ec);
  if (ec)
    fail(ErrorKind::io, "{}: {}", dir.string(), ec.message());
  for (; it != fsys::recursive_directory_iterator(); it.increment(ec)) {
    if (ec)
      fail(ErrorKind::io, "{}: {}", dir.string(), ec.message());
    const fsys::path& path = it->path();
    std::string name = path.lexically_relative(dir).generic_string();
    bool always = name == dockerfile || name == ".dockerignore";
    fsys::file_status status = it->symlink_status();
    if (!always && ignore.excluded(name)) {
      // An excluded folder is skipped whole unless a '!' line may bring something below back.
      if (fsys::is_directory(status) && !ignore.has_exceptions())
        it.disable_recursion_pending();
      continue;
    }
    ContextEntry entry;
    entry.name = name;
    entry.mode = permissions_of(path);
    entry.source = path;
    if (fsys::is_symlink(status)) {
      entry.type = ContextEntry::Type::symlink;
      entry.link_target = fsys::read_symlink(path).string();
    } else if (fsys::is_directory(status)) {
      entry.type = ContextEntry::Type::directory;
    } else if (fsys::is_regular_file(status)) {
      entry.type = ContextEntry::Type::file;
    } else {
      continue; // sockets, fifos and devices have no place in a build context
    }
    context.m_entries.push_back(std::move(entry));
  }
  std::sort(context.m_entries.begin(), context.m_entries.end(),
            [](const ContextEntry& a, const ContextEntry& b) { return a.name < b.name; });
  return context;
}

void BuildContext::put(ContextEntry entry) {
  auto it = std::lower_bound(m_entries.begin(), m_entries.end(), entry.name,
                             [](const ContextEntry& e, const std::string& name) { return e.name < name; });
  if (it != m_entries.end() && it->name == entry.name)
    *it = std::move(entry);
  else
    m_entries.insert(it, std::move(entry));
}

void BuildContext::add_file(const std::string& name, std::string content, unsigned mode) {
  ContextEntry entry;
  entry.name = clean_path(name);
  entry.mode = mode;
  entry.content = std::move(content);
  entry.in_memory = true;
  put(std::move(entry));
}

void BuildContext::add_file_from(const std::string& name, const fsys::path& source, unsigned mode) {
  if (!fsys::is_regular_file(source))
    fail(ErrorKind::not_found, "{}: file not found", source.string());
  ContextEntry entry;
  entry.name = clean_path(name);
  entry.mode = mode;
  entry.source = source;
  put(std::move(entry));
}

std::string BuildContext::hash() const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  auto update = [ctx](const void* data, std::size_t size) { EVP_DigestUpdate(ctx, data, size); };
  for (const ContextEntry& entry : m_entries) {
    // Each field ends with a NUL so that no two different contexts feed the same bytes.
    std::string header =
        fmt::format("{}{}{}{}{:o}{}", entry.name, '\0', static_cast<int>(entry.type), '\0', entry.mode, '\0');
    update(header.data(), header.size());
    if (entry.type == ContextEntry::Type::symlink)
      update(entry.link_target.data(), entry.link_target.size() + 1);
    else if (entry.type == ContextEntry::Type::file && entry.in_memory)
      update(entry.content.data(), entry.content.size());
    else if (entry.type == ContextEntry::Type::file)
      read_chunks(entry.source, update);
    update("\n", 1);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx, digest, &length);
  EVP_MD_CTX_free(ctx);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i)
    hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

std::string sha256_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i)
    hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

void BuildContext::write_tar(struct archive* writer) const {
  std::unique_ptr<struct archive_entry, decltype(&archive_entry_free)> holder(archive_entry_new(),
                                                                              archive_entry_free);
  struct archive_entry* e = holder.get();
  for (const ContextEntry& entry : m_entries) {
    archive_entry_clear(e);
    archive_entry_set_pathname(e, entry.name.c_str());
    archive_entry_set_uid(e, 0);
    archive_entry_set_gid(e, 0);
    archive_entry_set_perm(e, static_cast<mode_t>(entry.mode));
    struct stat st {};
    if (!entry.in_memory && ::lstat(entry.source.c_str(), &st) == 0)
      archive_entry_set_mtime(e, st.st_mtim.tv_sec, 0);
    switch (entry.type) {
    case ContextEntry::Type::directory:
      archive_entry_set_filetype(e, AE_IFDIR);
      break;
    case ContextEntry::Type::symlink:
      archive_entry_set_filetype(e, AE_IFLNK);
      archive_entry_set_symlink(e, entry.link_target.c_str());
      break;
    case ContextEntry::Type::file:
      archive_entry_set_filetype(e, AE_IFREG);
      archive_entry_set_size(e, entry.in_memory ? static_cast<la_int64_t>(entry.content.size())
                                                : static_cast<la_int64_t>(st.st_size));
      break;
    }
    if (archive_write_header(writer, e) != ARCHIVE_OK)
      archive_fail(writer, entry.name.c_str());
    if (entry.type == ContextEntry::Type::file) {
      auto put = [&](const char* data, std::size_t size) {
        if (archive_write_data(writer, data, size) < 0)
          archive_fail(writer, entry.name.c_str());
      };
      if (entry.in_memory)
        put(entry.content.data(), entry.content.size());
      else
        read_chunks(entry.source, put);
    }
  }
}

} // namespace dockerops::images
