#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace dockerops::log {

// Verbosity, from quiet to debug. -q, -v and LOG_LEVEL (DEBUG, INFO, WARNING,
// ERROR, CRITICAL as in the original) set it; errors are always printed.
enum class Level { error = 0, warning = 1, notice = 2, info = 3, debug = 4 };

void set_level(Level value);
Level level();
bool enabled(Level value);

// Parses a LOG_LEVEL value; throws a usage Error naming the valid values.
Level parse_level(std::string_view text);

// Colours only on a TTY and when NO_COLOR is unset (https://no-color.org).
bool use_color(int fd);

void write(Level value, std::string_view message);

template <typename... Args>
void warning(fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(Level::warning))
    write(Level::warning, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void notice(fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(Level::notice))
    write(Level::notice, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void info(fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(Level::info))
    write(Level::info, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void debug(fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(Level::debug))
    write(Level::debug, fmt::format(f, std::forward<Args>(args)...));
}

} // namespace dockerops::log
