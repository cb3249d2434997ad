#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

struct archive;

namespace dockerops::images {

// One entry of a build context: a file (from disk or from memory), a folder or a symlink.
struct ContextEntry {
  enum class Type { file, directory, symlink };
  std::string name; // relative to the context root, '/'-separated
  Type type = Type::file;
  unsigned mode = 0644;         // permission bits only
  std::filesystem::path source; // the file on disk; empty for in-memory files
  std::string content;          // in-memory file content
  std::string link_target;      // for symlinks
  bool in_memory = false;
};

// A Docker build context: the folder's entries minus those .dockerignore excludes (the Dockerfile
// and .dockerignore are always sent, as the docker CLI does), plus files added in memory (the
// dns-service context gets the installed dockerops-dnsd this way, docs/decisions.md 5).
// Entries are kept sorted by name so the tar and the hash are deterministic.
class BuildContext {
public:
  // Walks `dir`; a missing folder or Dockerfile is a not_found Error naming it.
  static BuildContext from_directory(const std::filesystem::path& dir,
                                     const std::string& dockerfile = "Dockerfile");

  // Adds (or replaces) a file that does not exist in the folder.
  void add_file(const std::string& name, std::string content, unsigned mode = 0644);
  // Adds (or replaces) a file read from elsewhere on disk, under `name`.
  void add_file_from(const std::string& name, const std::filesystem::path& source, unsigned mode);

  const std::vector<ContextEntry>& entries() const { return m_entries; }
  const std::filesystem::path& root() const { return m_root; }

  // SHA-256 over names, types, modes and contents (not mtimes or owners), as lowercase hex; stored
  // as the label dockerops.context-hash on built-in images to know when to rebuild (docs/decisions.md 4).
  std::string hash() const;

  // Writes every entry into `writer` (root-owned, mtimes kept for disk files).
  void write_tar(struct archive* writer) const;

private:
  void put(ContextEntry entry);

  std::filesystem::path m_root;
  std::vector<ContextEntry> m_entries;
};

// SHA-256 of a string as lowercase hex (combines a context hash with its parent image's ID).
std::string sha256_hex(std::string_view text);

} // namespace dockerops::images
