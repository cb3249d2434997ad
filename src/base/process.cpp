#include "base/process.hpp"

#include "base/error.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

extern char** environ;

namespace dockerops::process {
namespace {

// Starts argv[0] from PATH with its stdout (and stderr when `merge_stderr`)
// on a new pipe when `pipe_output`; returns the pid and the pipe's read end
// (-1 when not piped). Never goes through a shell.
std::pair<pid_t, int> spawn(const std::vector<std::string>& argv, bool pipe_output, bool merge_stderr) {
  if (argv.empty())
    fail(ErrorKind::internal, "process: no program to run");
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& arg : argv)
    args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  int pipe_fds[2] = {-1, -1};
  if (pipe_output && ::pipe2(pipe_fds, O_CLOEXEC) != 0)
    fail(ErrorKind::io, "cannot create a pipe: {}", std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (pipe_output) {
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    if (merge_stderr)
      posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  }
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (pipe_output)
    ::close(pipe_fds[1]);
  if (rc != 0) {
    if (pipe_output)
      ::close(pipe_fds[0]);
    fail(ErrorKind::io, "cannot run {}: {}", argv[0], std::strerror(rc));
  }
  return {pid, pipe_fds[0]};
}

// Reads `fd` to its end, handing each chunk to `on_data`, then closes it.
template <typename F>
void drain(int fd, F&& on_data) {
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    on_data(std::string_view(buffer, static_cast<std::size_t>(n)));
  }
  ::close(fd);
}

// Waits for `pid`: its exit status, or 128 + the signal that killed it.
int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
}

} // namespace

Result run(const std::vector<std::string>& argv, bool capture) {
  auto [pid, fd] = spawn(argv, capture, false);
  Result result;
  if (capture)
    drain(fd, [&](std::string_view chunk) { result.output.append(chunk); });
  result.status = wait_for(pid);
  return result;
}

int run_lines(const std::vector<std::string>& argv, const std::function<void(const std::string&)>& on_line) {
  auto [pid, fd] = spawn(argv, true, true);
  std::string pending;
  drain(fd, [&](std::string_view chunk) {
    pending.append(chunk);
    std::size_t newline;
    while ((newline = pending.find('\n')) != std::string::npos) {
      on_line(pending.substr(0, newline));
      pending.erase(0, newline + 1);
    }
  });
  if (!pending.empty())
    on_line(pending);
  return wait_for(pid);
}

bool on_path(const std::string& name) {
  if (name.find('/') != std::string::npos)
    return ::access(name.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  if (path == nullptr)
    return false;
  std::string all(path);
  std::size_t start = 0;
  while (start <= all.size()) {
    std::size_t end = all.find(':', start);
    if (end == std::string::npos)
      end = all.size();
    std::filesystem::path candidate = std::filesystem::path(all.substr(start, end - start)) / name;
    if (::access(candidate.c_str(), X_OK) == 0)
      return true;
    start = end + 1;
  }
  return false;
}

} // namespace dockerops::process
