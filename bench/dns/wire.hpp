// DNS wire helpers shared by the bench's load generator and trivial
// responder (RFC 1035 §4.1): just enough to write a query and find the end of
// a question. Not the product's parser: the bench must not depend on it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace dnsbench {

constexpr std::size_t k_header = 12;

inline std::uint16_t get16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}
inline void put16(std::uint8_t* p, unsigned v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}

// A query (RD clear, no EDNS) for name/type with ID 0; nullopt for a name
// that is not valid presentation text (empty label, label > 63, name > 255).
inline std::optional<std::vector<std::uint8_t>> make_query(std::string_view name, std::uint16_t type) {
  std::vector<std::uint8_t> q(k_header, 0);
  q[5] = 1; // QDCOUNT = 1
  if (!name.empty() && name.back() == '.')
    name.remove_suffix(1);
  std::size_t wire_name = 1;
  while (!name.empty()) {
    std::size_t dot = name.find('.');
    std::string_view label = name.substr(0, dot);
    if (label.empty() || label.size() > 63)
      return std::nullopt;
    q.push_back(static_cast<std::uint8_t>(label.size()));
    q.insert(q.end(), label.begin(), label.end());
    wire_name += label.size() + 1;
    name = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
  }
  if (wire_name > 255)
    return std::nullopt;
  q.push_back(0);
  q.resize(q.size() + 4);
  put16(q.data() + q.size() - 4, type);
  put16(q.data() + q.size() - 2, 1); // class IN
  return q;
}

// Offset just past the single question of a message, or 0 when the message is
// not a one-question message whose name is uncompressed and in bounds.
inline std::size_t question_end(std::span<const std::uint8_t> m) {
  if (m.size() < k_header || get16(m.data() + 4) != 1)
    return 0;
  std::size_t at = k_header;
  while (at < m.size() && m[at] != 0) {
    if (m[at] > 63)
      return 0;
    at += 1u + m[at];
  }
  at += 1 + 4;
  return at <= m.size() && at - k_header <= 255 + 4 ? at : 0;
}

} // namespace dnsbench
