#include "engine/log_frames.hpp"

#include <algorithm>

namespace dockerops::engine {

bool LogFrameDemuxer::feed(std::string_view chunk) {
  if (m_stopped)
    return false;
  if (m_raw) {
    if (!chunk.empty() && !m_output(Stream::output, chunk))
      m_stopped = true;
    return !m_stopped;
  }
  while (!chunk.empty()) {
    if (m_remaining == 0) {
      // Collect the 8-byte header, possibly across chunks.
      std::size_t take = std::min(k_header_size - m_header_fill, chunk.size());
      std::copy_n(chunk.data(), take, m_header + m_header_fill);
      m_header_fill += take;
      chunk.remove_prefix(take);
      if (m_header_fill < k_header_size)
        break;
      m_header_fill = 0;
      m_stream = m_header[0] <= 2 ? static_cast<Stream>(m_header[0]) : Stream::output;
      m_remaining = (std::size_t{m_header[4]} << 24) | (std::size_t{m_header[5]} << 16) |
                    (std::size_t{m_header[6]} << 8) | std::size_t{m_header[7]};
      continue;
    }
    std::size_t take = std::min(m_remaining, chunk.size());
    m_remaining -= take;
    if (!m_output(m_stream, chunk.substr(0, take))) {
      m_stopped = true;
      return false;
    }
    chunk.remove_prefix(take);
  }
  return true;
}

} // namespace dockerops::engine
