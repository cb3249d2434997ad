#include "dns/proto/rdata.hpp"

#include "dns/proto/record.hpp"

namespace dockerops::dns {

std::size_t name_length(std::string_view rdata, std::size_t pos) {
  const std::size_t start = pos;
  while (pos < rdata.size()) {
    auto c = static_cast<std::uint8_t>(rdata[pos]);
    if (c == 0)
      return pos + 1 - start;
    if (c > k_max_label_length)
      return 0;
    pos += 1u + c;
  }
  return 0;
}

namespace {

char fold(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Case-insensitive equality of equal-length byte ranges. Inside a wire name the
// length octets are below 64 and never letters, so folding them is harmless.
bool equal_folded(std::string_view a, std::string_view b) {
  for (std::size_t i = 0; i < a.size(); ++i)
    if (fold(a[i]) != fold(b[i]))
      return false;
  return true;
}

} // namespace

void canonicalize_rdata(std::uint16_t type, std::string& rdata) {
  const RdataLayout layout = rdata_layout(type);
  std::size_t pos = layout.prefix;
  for (int i = 0; i < layout.names && pos < rdata.size(); ++i) {
    const std::size_t length = name_length(rdata, pos);
    if (length == 0)
      return;
    for (std::size_t k = pos; k < pos + length; ++k)
      rdata[k] = fold(rdata[k]);
    pos += length;
  }
}

bool rdata_equal(std::uint16_t type, std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  const RdataLayout layout = rdata_layout(type);
  if (layout.names == 0 || a.size() < layout.prefix)
    return a == b;
  if (a.substr(0, layout.prefix) != b.substr(0, layout.prefix))
    return false;
  std::size_t pos = layout.prefix;
  for (int i = 0; i < layout.names; ++i) {
    const std::size_t length = name_length(a, pos);
    if (length == 0 || name_length(b, pos) != length)
      return a == b; // malformed: only identical bytes are equal
    if (!equal_folded(a.substr(pos, length), b.substr(pos, length)))
      return false;
    pos += length;
  }
  return a.substr(pos) == b.substr(pos);
}

} // namespace dockerops::dns
