#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace dockerops::testing {

// A scratch folder removed at the end of each test.
class TempDir {
public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "dockerops-unit-XXXXXX").string();
    m_path = ::mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(m_path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return m_path; }

  // Writes a file below the folder (creating its parents) with the given permissions.
  void write(const std::string& name, const std::string& content,
             std::filesystem::perms perms = std::filesystem::perms(0644)) const {
    std::filesystem::create_directories((m_path / name).parent_path());
    std::ofstream(m_path / name) << content;
    std::filesystem::permissions(m_path / name, perms);
  }

  // Appends to a file below the folder.
  void append(const std::string& name, const std::string& content) const {
    std::ofstream(m_path / name, std::ios::app | std::ios::binary) << content;
  }

private:
  std::filesystem::path m_path;
};

} // namespace dockerops::testing
