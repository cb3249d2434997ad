#include "apply/project_files.hpp"

#include "base/error.hpp"
#include "base/fs.hpp"
#include "base/log.hpp"
#include "base/process.hpp"
#include "base/strings.hpp"
#include "dns/proto/key_file.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstring>
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

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  std::size_t got = 0;
  while (got < bytes) {
    ssize_t n = ::getrandom(raw.data() + got, bytes - got, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      fail(ErrorKind::io, "getrandom: {}", std::strerror(errno));
    got += static_cast<std::size_t>(n);
  }
  static const char k_digits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : raw) {
    hex += k_digits[c >> 4];
    hex += k_digits[c & 15];
  }
  return hex;
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

std::string read_agent_token(const std::filesystem::path& state_dir) {
  std::error_code missing;
  if (!std::filesystem::exists((state_dir / "agent.token"), missing))
    return "";
  return strings::trim(fs::read_file((state_dir / "agent.token")));
}

std::string ensure_agent_token(const std::filesystem::path& state_dir) {
  fs::make_dirs(state_dir);
  auto path = (state_dir / "agent.token");
  std::string token = read_agent_token(state_dir);
  if (!token.empty()) {
    if (fs::file_mode_or(path, 0600) & 0077) {
      log::warning("{}: was readable by others; its mode is now 0600", path.string());
      std::filesystem::permissions(path,
                                   std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    }
    return token;
  }
  token = random_hex(32);
  fs::write_file_atomic(path, token + "\n", 0600);
  fs::chown_to_invoking_user(path);
  return token;
}

} // namespace dockerops::apply
