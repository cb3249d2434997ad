#include "base/error.hpp"

#include <cstdio>

namespace dockerops {

int exit_code_for(ErrorKind kind) {
  switch (kind) {
  case ErrorKind::usage:
    return k_exit_usage;
  case ErrorKind::interrupted:
    return k_exit_interrupted;
  default:
    return k_exit_failure;
  }
}

void print_error(const std::string& program, const std::string& message) {
  // One line per error: a message with embedded newlines is kept readable by
  // indenting its continuation lines under the first.
  std::string text;
  for (char c : message) {
    text += c;
    if (c == '\n')
      text += "  ";
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.pop_back();
  std::fprintf(stderr, "%s: error: %s\n", program.c_str(), text.c_str());
  std::fflush(stderr);
}

} // namespace dockerops
