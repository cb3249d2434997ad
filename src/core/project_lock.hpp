#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace dockerops::core {

// One command at a time per project (docs/decisions.md 34): an exclusive flock(2) on
// <project>/.dockerops/lock, held from before the project is observed until the plan is executed, and
// released when the process ends however it ends. The holder writes "PID COMMAND" into the file so
// that a second command can say who it waits for.
class ProjectLock {
public:
  // Takes the lock. When another process holds it: with `wait` false, a conflict Error naming the
  // holder; else `waiting` is told once what the holder is ("dockerops run:all (pid 1234)") and the
  // call blocks until the lock is free (Ctrl-C interrupts it). `command` is what this process is.
  ProjectLock(const std::filesystem::path& project_dir, const std::string& project,
              const std::string& command, bool wait,
              const std::function<void(const std::string& holder)>& waiting);
  ~ProjectLock();
  ProjectLock(const ProjectLock&) = delete;
  ProjectLock& operator=(const ProjectLock&) = delete;

private:
  int m_fd = -1;
};

// True while a command holds the project lock (a probe that takes and drops a shared lock at once,
// without waiting). The agent does not act on a project that a command is changing.
bool project_locked(const std::filesystem::path& project_dir);

} // namespace dockerops::core
