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
  // indenting its continuation lines under the first. Other control characters
  // (a NUL or an escape sequence quoted from a file) are shown as \xNN, so that
  // they neither cut the message nor reach the terminal.
  std::string text;
  for (char c : message) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '\n')
      text += "\n  ";
    else if ((byte < 0x20 && c != '\t') || byte == 0x7F)
      text += fmt::format("\\x{:02X}", byte);
    else
      text += c;
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.pop_back();
  text = program + ": error: " + text + "\n";
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

} // namespace dockerops
