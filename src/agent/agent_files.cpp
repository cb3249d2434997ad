#include "agent/agent_files.hpp"

#include "base/error.hpp"
#include "base/fs.hpp"
#include "base/log.hpp"
#include "base/strings.hpp"
#include "base/time_text.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/random.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>

namespace dockerops::agent {
namespace {

std::string host_name() {
  char name[256] = {};
  return ::gethostname(name, sizeof name - 1) == 0 ? std::string(name) : std::string("?");
}

} // namespace

void write_url(const std::filesystem::path& state_dir, const std::string& url) {
  fs::make_dirs(state_dir);
  fs::write_file_atomic(state_dir / "agent.url", url + "\n", 0600);
  fs::chown_to_invoking_user(state_dir / "agent.url");
}

void remove_url(const std::filesystem::path& state_dir, const std::string& url) {
  auto path = state_dir / "agent.url";
  std::error_code ignored;
  if (std::filesystem::exists(path, ignored) && strings::trim(fs::read_file(path)) == url)
    std::filesystem::remove(path, ignored);
}

AgentLock::AgentLock(const std::filesystem::path& state_dir) : m_path(state_dir / "agent.lock") {
  fs::make_dirs(state_dir);
  m_fd = ::open(m_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (m_fd < 0)
    fail(ErrorKind::io, "{}: cannot open: {}", m_path.string(), std::strerror(errno));
  if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
    int saved = errno;
    std::string who;
    try {
      auto info = nlohmann::json::parse(fs::read_file(m_path));
      who = fmt::format(" (pid {} on host {} since {}{})", info.value("pid", 0), info.value("host", "?"),
                        info.value("started", "?"),
                        info.value("url", "").empty() ? "" : ", API at " + info.value("url", ""));
    } catch (const std::exception&) {
      // The first agent has not written its description yet.
    }
    ::close(m_fd);
    m_fd = -1;
    if (saved != EWOULDBLOCK)
      fail(ErrorKind::io, "{}: cannot lock: {}", m_path.string(), std::strerror(saved));
    fail(ErrorKind::conflict, "an agent is already active for this project{}: stop it first", who);
  }
  m_started = time_text::rfc3339(std::chrono::system_clock::now());
  describe("");
}

AgentLock::~AgentLock() {
  if (m_fd >= 0)
    ::close(m_fd); // releases the lock; the file stays, naming the last agent
}

void AgentLock::set_url(const std::string& url) {
  describe(url);
}

void AgentLock::describe(const std::string& url) {
  nlohmann::json info = {{"pid", ::getpid()}, {"host", host_name()}, {"started", m_started}, {"url", url}};
  std::string text = info.dump() + "\n";
  if (::ftruncate(m_fd, 0) != 0 || ::pwrite(m_fd, text.data(), text.size(), 0) < 0)
    log::warning("{}: cannot describe this agent: {}", m_path.string(), std::strerror(errno));
}

} // namespace dockerops::agent
