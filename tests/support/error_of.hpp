#pragma once

#include "base/error.hpp"

#include <string>

namespace dockerops::testing {

// Runs `f` and returns the message of the dockerops::Error it throws, or
// "no error": error messages are tested verbatim (style.md habit 6).
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

} // namespace dockerops::testing
