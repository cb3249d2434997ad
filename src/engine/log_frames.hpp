#pragma once

#include "engine/types.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace dockerops::engine {

// Demultiplexes the Engine API's stdout/stderr stream (logs and attach/exec with Tty=false):
// frames of [stream, 0, 0, 0, size as big-endian uint32] followed by `size` payload bytes.
// Chunks may split headers and payloads anywhere. In raw mode (Tty=true) bytes pass through as output.
class LogFrameDemuxer {
public:
  LogFrameDemuxer(bool raw, OutputCallback output) : m_raw(raw), m_output(std::move(output)) {}

  // Feeds a chunk; returns false once the callback asked to stop.
  bool feed(std::string_view chunk);
  // True when the stream ended cleanly between frames.
  bool at_frame_boundary() const { return m_header_fill == 0 && m_remaining == 0; }

private:
  static constexpr std::size_t k_header_size = 8;

  bool m_raw;
  OutputCallback m_output;
  unsigned char m_header[k_header_size] = {};
  std::size_t m_header_fill = 0;
  std::size_t m_remaining = 0; // payload bytes left in the current frame
  Stream m_stream = Stream::output;
  bool m_stopped = false;
};

} // namespace dockerops::engine
