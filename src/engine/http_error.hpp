#pragma once

#include "base/error.hpp"

#include <string_view>

namespace dockerops::engine {

// An Error the daemon answered: the HTTP status stays with it, so callers recognise a case by the
// status the Engine API documents (403 for a network with endpoints, 409 for a name in use...)
// rather than by the message's words.
class DaemonError : public Error {
public:
  DaemonError(ErrorKind kind, const std::string& message, long status)
      : Error(kind, message), m_status(status) {}
  long status() const { return m_status; }

private:
  long m_status;
};

// Maps a failed Engine API reply to a DaemonError: 404 -> not_found, 409 -> conflict, others ->
// engine. The message is the daemon's own ({"message": "..."}); without one, the status and the
// request.
DaemonError http_error(long status, std::string_view body, std::string_view method, std::string_view path);

// The one-line message for a daemon that does not answer at all.
Error unreachable_error(std::string_view docker_host, std::string_view reason);

// The one-line message for a daemon that took the connection but did not answer `method path` (query
// left out) within `seconds`.
Error timeout_error(std::string_view docker_host, std::string_view method, std::string_view path,
                    long seconds);

} // namespace dockerops::engine
