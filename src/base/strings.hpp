#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockerops::strings {

std::vector<std::string> split(std::string_view text, char separator);
std::string join(const std::vector<std::string>& parts, std::string_view separator);
std::string trim(std::string_view text);
std::string to_lower(std::string_view text);
std::string to_upper(std::string_view text);

// Booleans are spelled uniformly everywhere: true/false, yes/no, y/n, on/off,
// 1/0, in any case. Anything else is not a boolean (the original treated
// "nocache=False" as true; we never do).
std::optional<bool> parse_bool(std::string_view text);

// Edit distance counting adjacent transpositions as one edit (optimal string
// alignment), bounded: returns max_distance + 1 once exceeded.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max_distance = 64);

// The closest candidate within a distance proportional to the word's length,
// for "did you mean ...?" messages (as ninja's SpellcheckString does).
std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates);

// Formats `, did you mean "X"?` or an empty string when nothing is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// Quotes a string for a POSIX shell (single quotes), for messages and /env.sh.
std::string shell_quote(std::string_view text);

// Replaces every occurrence of `from` with `to`.
std::string replace_all(std::string text, std::string_view from, std::string_view to);

// RFC 4648 base64 without line breaks (TSIG secrets, Engine API secret data); decode returns false
// on bad input and skips blanks.
std::string base64_encode(std::string_view bytes);
bool base64_decode(std::string_view text, std::string& bytes);

} // namespace dockerops::strings
