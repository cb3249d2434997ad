#pragma once

#include <fmt/format.h>

#include <stdexcept>
#include <string>

namespace dockerops {

// What went wrong, coarsely: it decides the exit code and lets callers react
// (e.g. apply rolls back on a conflict) without parsing messages.
enum class ErrorKind {
  usage,              // bad command line: exit 2
  config,             // run.conf, host.conf, Dockerfile annotations
  engine_unreachable, // no Docker daemon answers on the socket
  engine,             // the daemon answered with an error
  not_found,          // a container, image, service or file that should exist
  conflict,           // a name or port already taken
  dns,                // DNS protocol or registration failures
  dns_unreachable,    // no DNS server answered (connect, timeout, reset): worth another attempt
  io,                 // local files and processes
  interrupted,        // Ctrl-C or SIGTERM: exit 130
  internal,           // a bug in dockerops
};

// The one error type of dockerops. Its message is for people: location first,
// lowercase, the fix when known. The top-level printer adds "dockerops: error: ".
class Error : public std::runtime_error {
public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), m_kind(kind) {}
  ErrorKind kind() const { return m_kind; }

private:
  ErrorKind m_kind;
};

// Throws an Error of the given kind with a fmt-formatted message.
template <typename... Args>
[[noreturn]] void fail(ErrorKind kind, fmt::format_string<Args...> format, Args&&... args) {
  throw Error(kind, fmt::format(format, std::forward<Args>(args)...));
}

// Documented exit codes: 0 ok, 1 failure, 2 usage, 130 interrupted.
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_failure = 1;
inline constexpr int k_exit_usage = 2;
inline constexpr int k_exit_interrupted = 130;

int exit_code_for(ErrorKind kind);

// The one top-level printer: "dockerops: error: <message>" on stderr.
void print_error(const std::string& program, const std::string& message);

} // namespace dockerops
