#pragma once

// Network byte order (RFC 1035 §2.3.2) for wire bytes: the one place that
// assembles and splits 16-, 32- and 48-bit fields. Readers assume the caller
// checked the bounds (wire_reader.hpp has bounds-checked ones).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dockerops::dns {

inline std::uint16_t get16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

inline std::uint32_t get32(const std::uint8_t* p) {
  return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
         (static_cast<std::uint32_t>(p[2]) << 8) | p[3];
}

// The same over owned bytes (rdata, journal payloads) at offset `at`.
inline std::uint16_t get16(std::string_view s, std::size_t at) {
  return get16(reinterpret_cast<const std::uint8_t*>(s.data() + at));
}
inline std::uint32_t get32(std::string_view s, std::size_t at) {
  return get32(reinterpret_cast<const std::uint8_t*>(s.data() + at));
}

inline void put16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}

inline void put32(std::uint8_t* p, std::uint32_t v) {
  put16(p, static_cast<std::uint16_t>(v >> 16));
  put16(p + 2, static_cast<std::uint16_t>(v));
}

// Appends `v` to a byte buffer (std::vector<std::uint8_t> or std::string):
// 16, 32 and 48 bits (TSIG's Time Signed).
template <typename Bytes>
void append16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<typename Bytes::value_type>(v >> 8));
  out.push_back(static_cast<typename Bytes::value_type>(v & 0xff));
}
template <typename Bytes>
void append32(Bytes& out, std::uint32_t v) {
  append16(out, static_cast<std::uint16_t>(v >> 16));
  append16(out, static_cast<std::uint16_t>(v));
}
template <typename Bytes>
void append48(Bytes& out, std::uint64_t v) {
  for (int shift = 40; shift >= 0; shift -= 8)
    out.push_back(static_cast<typename Bytes::value_type>((v >> shift) & 0xff));
}

// Appends raw bytes (a wire-format name, a MAC).
inline void append_bytes(std::vector<std::uint8_t>& out, std::string_view bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

} // namespace dockerops::dns
