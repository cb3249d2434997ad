#include "base/log.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace dockerops::log {
namespace {
std::atomic<Level> g_level{Level::info};
std::mutex g_write_mutex;
} // namespace

void set_level(Level value) {
  g_level = value;
}
Level level() {
  return g_level;
}
bool enabled(Level value) {
  return static_cast<int>(value) <= static_cast<int>(g_level.load());
}

Level parse_level(std::string_view text) {
  std::string upper = strings::to_upper(text);
  if (upper == "DEBUG")
    return Level::debug;
  if (upper == "INFO")
    return Level::info;
  if (upper == "NOTICE")
    return Level::notice;
  if (upper == "WARNING" || upper == "WARN")
    return Level::warning;
  if (upper == "ERROR" || upper == "CRITICAL")
    return Level::error;
  fail(ErrorKind::usage, "LOG_LEVEL: unknown level \"{}\" (use DEBUG, INFO, WARNING or ERROR)", text);
}

bool use_color(int fd) {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0')
    return false;
  return isatty(fd) == 1;
}

void write(Level value, std::string_view message) {
  static const bool color = use_color(STDERR_FILENO);
  std::string prefix;
  switch (value) {
  case Level::error:
    prefix = color ? "\033[31merror:\033[0m " : "error: ";
    break;
  case Level::warning:
    prefix = color ? "\033[33mwarning:\033[0m " : "warning: ";
    break;
  case Level::debug:
    prefix = color ? "\033[2mdebug:\033[0m " : "debug: ";
    break;
  default:
    break;
  }
  std::lock_guard lock(g_write_mutex);
  std::fprintf(stderr, "%s%.*s\n", prefix.c_str(), static_cast<int>(message.size()), message.data());
  std::fflush(stderr);
}

} // namespace dockerops::log
