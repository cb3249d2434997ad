#include "cli/context.hpp"

#include "base/log.hpp"
#include "engine/engine.hpp"

#include <unistd.h>

namespace dockerops::cli {

Context::Context(GlobalOptions options) : m_options(std::move(options)) {
  m_stdout_tty = isatty(STDOUT_FILENO) == 1;
  m_color = log::use_color(STDOUT_FILENO);
}

Context::~Context() = default;

engine::Engine& Context::engine() {
  std::lock_guard lock(m_engine_mutex);
  if (!m_engine)
    m_engine = engine::connect();
  return *m_engine;
}

} // namespace dockerops::cli
