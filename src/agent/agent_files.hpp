#pragma once

#include <filesystem>
#include <string>

// The agent's files in <project>/.dockerops/ (docs/decisions.md 29).
namespace dockerops::agent {

// .dockerops/agent.url: the API's base URL on one line ("http://127.0.0.1:41234"), mode 0600,
// replaced atomically.
void write_url(const std::filesystem::path& state_dir, const std::string& url);

// Removes agent.url when it still names `url` (a newer agent's URL is left alone).
void remove_url(const std::filesystem::path& state_dir, const std::string& url);

// The single-active-agent rule: the first agent of a project holds an flock on
// .dockerops/agent.lock for its life (released by the kernel when it dies, even by kill -9) and
// writes who it is into the file; a second one is refused, naming the first.
class AgentLock {
public:
  // Takes the lock or throws a conflict Error: "an agent is already active for this project
  // (pid 123 on host h since T, API at URL): stop it first".
  explicit AgentLock(const std::filesystem::path& state_dir);
  ~AgentLock();
  AgentLock(const AgentLock&) = delete;
  AgentLock& operator=(const AgentLock&) = delete;

  // Records the API's URL next to the pid and host, for the refusal message of a second agent.
  void set_url(const std::string& url);

private:
  void describe(const std::string& url);

  std::filesystem::path m_path;
  int m_fd = -1;
  std::string m_started{};
};

} // namespace dockerops::agent
