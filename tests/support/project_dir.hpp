#pragma once

// A project folder for core tests against the fake engine: services/web FROM localbase:1, the
// images the fake knows (localbase:1, dockerops/dns), and the project keys already made (no
// ssh-keygen in a unit test). Removed with the object.
#include "fake_engine.hpp"

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace dockerops::testing {

class ProjectDir {
public:
  ProjectDir(engine::testing::FakeEngine& fake, const std::string& dockerfile) {
    std::string pattern = (std::filesystem::temp_directory_path() / "dockerops-core-XXXXXX").string();
    m_dir = ::mkdtemp(pattern.data());
    std::filesystem::create_directories(m_dir / "services" / "web");
    std::ofstream(m_dir / "services" / "web" / "Dockerfile") << dockerfile;
    fake.add_image("localbase:1");
    fake.add_image("dockerops/dns:latest");
    std::filesystem::create_directories(m_dir / ".dockerops");
    for (const char* file : {"id_ed25519", "id_ed25519.pub", "dns.key"})
      std::ofstream(m_dir / ".dockerops" / file) << "x\n";
  }
  ~ProjectDir() { std::filesystem::remove_all(m_dir); }
  ProjectDir(const ProjectDir&) = delete;
  ProjectDir& operator=(const ProjectDir&) = delete;

  const std::filesystem::path& path() const { return m_dir; }

private:
  std::filesystem::path m_dir;
};

} // namespace dockerops::testing
