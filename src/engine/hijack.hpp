#pragma once

#include "engine/docker_host.hpp"
#include "engine/types.hpp"

#include <chrono>
#include <functional>
#include <string>

namespace dockerops::engine {

// A hijacked Engine API connection (exec start / attach with "Upgrade: tcp"): after "101 UPGRADED"
// the socket is a raw bidirectional stream. Uses a plain socket, since libcurl cannot half-close.
class HijackedStream {
public:
  // Connects, sends `method path` with `json_body` and the upgrade headers, reads the reply head.
  // An HTTP error reply throws the mapped Error (http_error); no daemon, or no head within `timeout`,
  // throws engine_unreachable.
  HijackedStream(const HostAddress& address, std::chrono::seconds timeout, const std::string& method,
                 const std::string& path, const std::string& json_body);
  ~HijackedStream();
  HijackedStream(const HijackedStream&) = delete;
  HijackedStream& operator=(const HijackedStream&) = delete;

  int fd() const { return m_fd; }
  // Stream bytes that arrived in the same read as the reply head.
  std::string take_initial() { return std::move(m_initial); }

private:
  int m_fd = -1;
  std::string m_initial;
};

// Pumps local input to the stream and the stream to local output until the remote side closes.
// Tty=false output is demultiplexed (stderr frames to io.error_fd). With a TTY and a terminal on
// input_fd, the terminal is in raw mode meanwhile; `resize(height, width)` is called at the start and
// on SIGWINCH. Ctrl-C without a TTY throws an interrupted Error.
void pump_stream(HijackedStream& stream, const InteractiveIo& io, bool tty,
                 const std::function<void(int height, int width)>& resize);

} // namespace dockerops::engine
