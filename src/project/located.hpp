#pragma once

namespace dockerops::project {

// A value plus the line it was written on, so that later checks can say "run.conf:12: ...".
template <typename T>
struct Located {
  T value{};
  int line = 0;
};

} // namespace dockerops::project
