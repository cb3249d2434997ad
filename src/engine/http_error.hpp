#pragma once

#include "base/error.hpp"

#include <string_view>

namespace dockerops::engine {

// Maps a failed Engine API reply to an Error: 404 -> not_found, 409 -> conflict, others -> engine.
// The message is the daemon's own ({"message": "..."}); without one, the status and the request.
Error http_error(long status, std::string_view body, std::string_view method, std::string_view path);

// The one-line message for a daemon that does not answer at all.
Error unreachable_error(std::string_view docker_host, std::string_view reason);

} // namespace dockerops::engine
