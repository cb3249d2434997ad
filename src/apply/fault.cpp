#include "apply/fault.hpp"

#include "base/error.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace dockerops::apply {

FaultInjector FaultInjector::from_environment() {
  const char* env = std::getenv("DOCKEROPS_FAIL_AFTER_OPS");
  if (env == nullptr || *env == '\0')
    return FaultInjector{};
  try {
    std::size_t used = 0;
    int limit = std::stoi(env, &used);
    if (used == std::string(env).size() && limit >= 0)
      return FaultInjector{limit};
  } catch (const std::exception&) {
  }
  fail(ErrorKind::usage, "DOCKEROPS_FAIL_AFTER_OPS: \"{}\" is not a number of operations", env);
}

void FaultInjector::operation_done() {
  int done = ++m_count;
  if (m_limit && done >= *m_limit) {
    std::fprintf(stderr,
                 "dockerops: fault injection: stopping after %d operations (DOCKEROPS_FAIL_AFTER_OPS)\n",
                 done);
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(137);
  }
}

} // namespace dockerops::apply
