#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace dockerops::fs {

// Reads a whole file; a missing or unreadable file is an io Error naming it.
std::string read_file(const std::filesystem::path& path);

// Writes every byte to a descriptor, retrying short writes and EINTR; false (errno set) on error.
bool write_all(int fd, std::string_view bytes);

// Writes through a temporary file in the same folder, fsync, rename and fsync of
// the folder, so a reader, or the file after a crash, has the old or the new
// content, never a half-written file; once it returns, the new content is on
// stable storage. An io Error names the file; the old content is then intact.
void write_file_atomic(const std::filesystem::path& path, const std::string& content, unsigned mode = 0644);

// The permission bits of an existing file, or `otherwise` when it does not exist.
unsigned file_mode_or(const std::filesystem::path& path, unsigned otherwise);

// Creates a folder and its parents; an io Error names the folder on failure.
void make_dirs(const std::filesystem::path& path);

// When dockerops runs under sudo, files it creates for the user (keys, data
// folders) are handed back to the invoking user (docs/decisions.md 9).
void chown_to_invoking_user(const std::filesystem::path& path);

} // namespace dockerops::fs
