#include "apply/project_files.hpp"

#include "base/error.hpp"
#include "base/fs.hpp"
#include "base/log.hpp"
#include "base/process.hpp"
#include "dns/proto/key_file.hpp"

#include <mutex>

namespace dockerops::apply {
namespace {

// Several instances may ask for the same file at once (run:all in parallel).
std::mutex g_files_mutex;

std::filesystem::path state_dir(const std::filesystem::path& project_dir) {
  auto dir = project_dir / ".dockerops";
  if (!std::filesystem::is_directory(dir)) {
    fs::make_dirs(dir);
    fs::chown_to_invoking_user(dir);
  }
  return dir;
}

} // namespace

std::filesystem::path ssh_key_path(const std::filesystem::path& project_dir) {
  return project_dir / ".dockerops" / "id_ed25519";
}

std::filesystem::path dns_key_path(const std::filesystem::path& project_dir) {
  return project_dir / ".dockerops" / "dns.key";
}

std::filesystem::path ensure_ssh_key(const std::filesystem::path& project_dir) {
  std::lock_guard lock(g_files_mutex);
  auto key = ssh_key_path(project_dir);
  if (std::filesystem::exists(key) && std::filesystem::exists(key.string() + ".pub"))
    return key;
  state_dir(project_dir);
  if (!process::on_path("ssh-keygen"))
    fail(ErrorKind::io, "ssh-keygen not found: install openssh-client (it makes the project's key {})",
         key.string());
  std::error_code ec;
  std::filesystem::remove(key, ec);
  std::filesystem::remove(key.string() + ".pub", ec);
  auto result = process::run({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C",
                              "dockerops@" + project_dir.filename().string(), "-f", key.string()},
                             true);
  if (result.status != 0)
    fail(ErrorKind::io, "{}: ssh-keygen failed with exit {}", key.string(), result.status);
  std::filesystem::permissions(key, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  fs::chown_to_invoking_user(key);
  fs::chown_to_invoking_user(key.string() + ".pub");
  log::info("made the project's SSH key {}", key.string());
  return key;
}

std::filesystem::path ensure_dns_key(const std::filesystem::path& project_dir, const std::string& project) {
  std::lock_guard lock(g_files_mutex);
  auto path = dns_key_path(project_dir);
  if (std::filesystem::exists(path))
    return path;
  state_dir(project_dir);
  dns::write_key_file(path, dns::generate_key("dockerops-" + project + "."));
  fs::chown_to_invoking_user(path);
  log::info("made the project's DNS key {}", path.string());
  return path;
}

void ensure_data_dir(const std::filesystem::path& dir) {
  std::lock_guard lock(g_files_mutex);
  if (std::filesystem::is_directory(dir))
    return;
  auto parent = dir.parent_path();
  bool new_parent = !std::filesystem::is_directory(parent);
  fs::make_dirs(dir);
  if (new_parent)
    fs::chown_to_invoking_user(parent);
  fs::chown_to_invoking_user(dir);
}

} // namespace dockerops::apply
