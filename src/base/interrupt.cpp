#include "base/interrupt.hpp"

#include "base/error.hpp"

#include <csignal>

namespace dockerops::interrupt {
namespace {
volatile std::sig_atomic_t g_requested = 0;

extern "C" void on_signal(int) {
  g_requested = 1;
}
} // namespace

void install_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0; // no SA_RESTART: blocking calls return EINTR and notice
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

bool requested() {
  return g_requested != 0;
}

void check() {
  if (requested())
    fail(ErrorKind::interrupted, "interrupted");
}

void request() {
  g_requested = 1;
}

} // namespace dockerops::interrupt
