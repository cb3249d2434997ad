#pragma once

// UTF-8 checks for text read from files: configuration must be valid UTF-8
// (the JSON written to the Engine API is), so an invalid byte is reported
// where it is instead of failing later, far from the file.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dockerops::utf8 {

// The offset of the first byte that does not start or continue a valid UTF-8
// sequence (overlong forms, surrogates and code points above U+10FFFF are
// invalid); nullopt when the whole text is valid.
std::optional<std::size_t> first_invalid(std::string_view text);

// Appends a code point (at most U+10FFFF, not a surrogate) encoded as UTF-8.
void append(std::string& out, unsigned code_point);

// The code point of the valid sequence at the start of `text` and its length.
struct Decoded {
  unsigned code_point = 0;
  std::size_t length = 0;
};
Decoded decode(std::string_view text);

} // namespace dockerops::utf8
