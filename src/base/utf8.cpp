#include "base/utf8.hpp"

namespace dockerops::utf8 {
namespace {

// Length of the sequence a lead byte starts and the smallest code point that length may encode.
struct Lead {
  std::size_t length;
  unsigned minimum;
  unsigned bits;
};

std::optional<Lead> lead_of(unsigned char c) {
  if (c < 0x80)
    return Lead{1, 0, c};
  if ((c & 0xE0) == 0xC0)
    return Lead{2, 0x80, c & 0x1Fu};
  if ((c & 0xF0) == 0xE0)
    return Lead{3, 0x800, c & 0x0Fu};
  if ((c & 0xF8) == 0xF0)
    return Lead{4, 0x10000, c & 0x07u};
  return std::nullopt;
}

// Decodes one sequence; length 0 when it is invalid.
Decoded decode_checked(std::string_view text) {
  auto lead = lead_of(static_cast<unsigned char>(text[0]));
  if (!lead || lead->length > text.size())
    return {};
  unsigned code = lead->bits;
  for (std::size_t i = 1; i < lead->length; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80)
      return {};
    code = (code << 6) | (c & 0x3Fu);
  }
  if (code < lead->minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
    return {};
  return {code, lead->length};
}

} // namespace

std::optional<std::size_t> first_invalid(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      ++pos;
      continue;
    }
    Decoded d = decode_checked(text.substr(pos));
    if (d.length == 0)
      return pos;
    pos += d.length;
  }
  return std::nullopt;
}

Decoded decode(std::string_view text) {
  if (text.empty())
    return {};
  return decode_checked(text);
}

void append(std::string& out, unsigned code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

} // namespace dockerops::utf8
