#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

namespace dockerops::engine {
class Engine;
}

namespace dockerops::cli {

// Options that apply to every command, given anywhere on the command line.
struct GlobalOptions {
  std::filesystem::path project_dir; // --project-dir, default: the current folder
  std::string project_name;          // --project-name, else PROJECT_NAME, else the folder's name
  bool dry_run = false;              // --dry-run: print the plan, change nothing
  bool json = false;                 // --json
  bool quiet = false;                // -q
  int verbose = 0;                   // -v (repeatable)
  bool ask = false;                  // --ask: prompt for missing values on a TTY
  int jobs = 0;                      // -j/--jobs, 0 = the command's default
  bool no_wait = false;              // --no-wait: fail at once when another command holds the project
};

// What a command handler gets: the global options and the Docker engine,
// connected on first use so that commands without the daemon (help, --dry-run
// of a build plan) never need it.
class Context {
public:
  explicit Context(GlobalOptions options);
  ~Context();

  const GlobalOptions& options() const { return m_options; }
  GlobalOptions& options() { return m_options; }

  // Connects (DOCKER_HOST, API negotiation) on the first call.
  engine::Engine& engine();

  // True when stdout is a terminal; colours also need NO_COLOR unset.
  bool stdout_is_tty() const { return m_stdout_tty; }
  bool color() const { return m_color; }

private:
  GlobalOptions m_options;
  std::unique_ptr<engine::Engine> m_engine;
  std::mutex m_engine_mutex;
  bool m_stdout_tty = false;
  bool m_color = false;
};

} // namespace dockerops::cli
