#include "cli/terminal_prompt.hpp"

#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "base/log.hpp"
#include "project/conf_files.hpp"
#include "project/model.hpp"

#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>

namespace dockerops::cli {
namespace {

// One line from stdin without the newline; nullopt at end of input. Polls so that Ctrl-C (whose
// handler only sets a flag) ends the wait.
std::optional<std::string> read_line() {
  std::string line;
  for (;;) {
    interrupt::check();
    pollfd fd{STDIN_FILENO, POLLIN, 0};
    int ready = ::poll(&fd, 1, 200);
    if (ready < 0 && errno != EINTR)
      fail(ErrorKind::io, "reading the terminal: {}", std::strerror(errno));
    if (ready <= 0)
      continue;
    char c = 0;
    ssize_t n = ::read(STDIN_FILENO, &c, 1);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return line.empty() ? std::nullopt : std::optional<std::string>(line);
    if (c == '\n')
      return line;
    line.push_back(c);
  }
}

// Turns the terminal's echo off while a secret is typed; restored on every way out.
class NoEcho {
public:
  NoEcho() {
    if (::tcgetattr(STDIN_FILENO, &m_saved) != 0)
      return;
    termios quiet = m_saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    m_active = ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
  }
  ~NoEcho() {
    if (!m_active)
      return;
    ::tcsetattr(STDIN_FILENO, TCSANOW, &m_saved);
    std::fputc('\n', stderr); // the Enter the terminal did not echo
  }
  NoEcho(const NoEcho&) = delete;
  NoEcho& operator=(const NoEcho&) = delete;

private:
  termios m_saved{};
  bool m_active = false;
};

std::optional<std::string> ask_line(const std::string& prompt) {
  std::fputs(prompt.c_str(), stderr);
  std::fflush(stderr);
  return read_line();
}

void offer_to_save(const std::string& project_dir, const std::string& name, const std::string& value) {
  if (!confirm(fmt::format("Save {} in host.conf for the next runs?", name)))
    return;
  project::HostConf conf = project::load_host_conf(project_dir);
  conf.values[name] = value;
  project::save_host_conf(project_dir, conf);
  log::notice("saved {} in {}", name, project::host_conf_path(project_dir).string());
}

} // namespace

bool confirm(const std::string& question) {
  std::optional<std::string> answer = ask_line(question + " [y/N] ");
  return answer && (*answer == "y" || *answer == "Y" || *answer == "yes");
}

decltype(project::HostInfo::ask) terminal_prompt(const std::string& project_dir, bool may_save) {
  struct Answers {
    std::mutex mutex;
    std::map<std::string, std::optional<std::string>> by_name;
  };
  auto answers = std::make_shared<Answers>();
  return [answers, project_dir, may_save](const std::string& name, const std::string& question) {
    std::lock_guard lock(answers->mutex);
    if (auto it = answers->by_name.find(name); it != answers->by_name.end())
      return it->second;
    std::optional<std::string> value;
    if (project::is_secret_variable(name)) {
      NoEcho quiet;
      value = ask_line(fmt::format("{}\nValue for {} (not shown; empty to give up): ", question, name));
    } else {
      value = ask_line(fmt::format("{}\nValue for {} (empty to give up): ", question, name));
    }
    if (value && value->empty())
      value.reset();
    if (value && may_save)
      offer_to_save(project_dir, name, *value);
    answers->by_name[name] = value;
    return value;
  };
}

} // namespace dockerops::cli
