#include "project/jsonc.hpp"

#include "base/error.hpp"
#include "base/utf8.hpp"

#include <cmath>
#include <cstdlib>
#include <unordered_set>

namespace dockerops::project {

std::string_view JsonValue::type_name() const {
  switch (type) {
  case Type::null:
    return "null";
  case Type::boolean:
    return "a boolean";
  case Type::number:
    return "a number";
  case Type::string:
    return "a string";
  case Type::array:
    return "a list";
  case Type::object:
    return "an object";
  }
  return "null";
}

namespace {

// Recursive-descent reader over RFC 8259 JSON plus '#' comments to end of line.
class Reader {
public:
  Reader(std::string_view text, const std::string& filename) : m_text(text), m_filename(filename) {}

  JsonValue document() {
    if (m_text.starts_with(k_bom)) // RFC 8259 §8.1: a parser may ignore a byte order mark
      m_pos = k_bom.size();
    if (auto bad = utf8::first_invalid(m_text)) {
      skip_lines_to(*bad);
      error(fmt::format("invalid UTF-8 (byte 0x{:02X}); save the file as UTF-8",
                        static_cast<unsigned char>(m_text[*bad])));
    }
    skip_space();
    if (m_pos >= m_text.size())
      error("the file is empty");
    JsonValue value = parse_value(0);
    skip_space();
    if (m_pos < m_text.size())
      error(fmt::format("unexpected {} after the end of the document", found()));
    return value;
  }

private:
  static constexpr std::string_view k_bom = "\xEF\xBB\xBF";

  // Counts the lines up to `end` (for an error found before parsing got there).
  void skip_lines_to(std::size_t end) {
    for (std::size_t i = m_pos; i < end; ++i)
      if (line_ends_at(i))
        ++m_line;
  }

  // '\n', or a '\r' not followed by '\n' (old Mac line ends): both end a line.
  bool line_ends_at(std::size_t i) const {
    return m_text[i] == '\n' || (m_text[i] == '\r' && (i + 1 == m_text.size() || m_text[i + 1] != '\n'));
  }

  // A character that starts no JSON value, shown so that invisible ones can be found.
  std::string shown(std::size_t pos) const {
    auto c = static_cast<unsigned char>(m_text[pos]);
    if (c > 0x20 && c < 0x7F)
      return fmt::format("'{}'", static_cast<char>(c));
    if (c == 0)
      return "a NUL byte";
    if (c < 0x80)
      return fmt::format("control character 0x{:02X}", c);
    utf8::Decoded d = utf8::decode(m_text.substr(pos));
    if (d.code_point == 0xFEFF)
      return "a byte order mark (U+FEFF)";
    return fmt::format("U+{:04X}", d.code_point);
  }

  // What stands at the current position, for "expected X, not Y".
  std::string found() const { return m_pos < m_text.size() ? shown(m_pos) : "the end of the file"; }

  [[noreturn]] void error(std::string_view what) {
    fail(ErrorKind::config, "{}:{}: invalid JSON: {}", m_filename, m_line, what);
  }

  void skip_space() {
    while (m_pos < m_text.size()) {
      char c = m_text[m_pos];
      if (line_ends_at(m_pos)) {
        ++m_line;
        ++m_pos;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++m_pos;
      } else if (c == '#') {
        while (m_pos < m_text.size() && m_text[m_pos] != '\n' && m_text[m_pos] != '\r')
          ++m_pos;
      } else {
        break;
      }
    }
  }

  bool consume_word(std::string_view word) {
    if (m_text.substr(m_pos, word.size()) != word)
      return false;
    m_pos += word.size();
    return true;
  }

  JsonValue parse_value(int depth) {
    if (depth > 64)
      error("nesting too deep");
    skip_space();
    if (m_pos >= m_text.size())
      error("unexpected end of file");
    JsonValue value;
    value.line = m_line;
    char c = m_text[m_pos];
    if (c == '{') {
      parse_object(value, depth);
    } else if (c == '[') {
      parse_array(value, depth);
    } else if (c == '"') {
      value.type = JsonValue::Type::string;
      value.string = parse_string();
    } else if (consume_word("true")) {
      value.type = JsonValue::Type::boolean;
      value.boolean = true;
    } else if (consume_word("false")) {
      value.type = JsonValue::Type::boolean;
    } else if (consume_word("null")) {
      value.type = JsonValue::Type::null;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      parse_number(value);
    } else {
      error(fmt::format("unexpected character {}", shown(m_pos)));
    }
    return value;
  }

  void parse_object(JsonValue& value, int depth) {
    value.type = JsonValue::Type::object;
    ++m_pos;
    skip_space();
    if (m_pos < m_text.size() && m_text[m_pos] == '}') {
      ++m_pos;
      return;
    }
    std::unordered_set<std::string> keys;
    for (;;) {
      skip_space();
      if (m_pos < m_text.size() && m_text[m_pos] == '}')
        error("a ',' before '}' (JSON allows no comma after the last member)");
      if (m_pos >= m_text.size() || m_text[m_pos] != '"')
        error(fmt::format("expected a quoted key, not {}", found()));
      int key_line = m_line;
      std::string key = parse_string();
      if (!keys.insert(key).second)
        fail(ErrorKind::config, "{}:{}: duplicate key \"{}\"", m_filename, key_line, key);
      skip_space();
      if (m_pos >= m_text.size() || m_text[m_pos] != ':')
        error(fmt::format("expected ':' after a key, not {}", found()));
      ++m_pos;
      value.members.push_back({std::move(key), parse_value(depth + 1)});
      skip_space();
      if (m_pos < m_text.size() && m_text[m_pos] == ',') {
        ++m_pos;
        continue;
      }
      if (m_pos < m_text.size() && m_text[m_pos] == '}') {
        ++m_pos;
        return;
      }
      error(fmt::format("expected ',' or '}}', not {}", found()));
    }
  }

  void parse_array(JsonValue& value, int depth) {
    value.type = JsonValue::Type::array;
    ++m_pos;
    skip_space();
    if (m_pos < m_text.size() && m_text[m_pos] == ']') {
      ++m_pos;
      return;
    }
    for (;;) {
      skip_space();
      if (m_pos < m_text.size() && m_text[m_pos] == ']')
        error("a ',' before ']' (JSON allows no comma after the last item)");
      value.items.push_back(parse_value(depth + 1));
      skip_space();
      if (m_pos < m_text.size() && m_text[m_pos] == ',') {
        ++m_pos;
        continue;
      }
      if (m_pos < m_text.size() && m_text[m_pos] == ']') {
        ++m_pos;
        return;
      }
      error(fmt::format("expected ',' or ']', not {}", found()));
    }
  }

  unsigned parse_hex4() {
    if (m_pos + 4 > m_text.size())
      error("bad \\u escape");
    unsigned code = 0;
    for (int i = 0; i < 4; ++i) {
      char h = m_text[m_pos++];
      code <<= 4;
      if (h >= '0' && h <= '9')
        code |= static_cast<unsigned>(h - '0');
      else if (h >= 'a' && h <= 'f')
        code |= static_cast<unsigned>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        code |= static_cast<unsigned>(h - 'A' + 10);
      else
        error("bad \\u escape");
    }
    return code;
  }

  // After "\\u": one code point, from a surrogate pair when it takes two escapes (RFC 8259 §7).
  // A lone surrogate has no UTF-8 form and NUL ends C strings: both are errors, never replaced.
  unsigned parse_escaped_code_point() {
    unsigned code = parse_hex4();
    if (code >= 0xDC00 && code <= 0xDFFF)
      error(fmt::format("lone surrogate \\u{:04X} (a low surrogate must follow a high one)", code));
    if (code >= 0xD800 && code <= 0xDBFF) {
      unsigned low = 0;
      if (m_text.substr(m_pos, 2) == "\\u") {
        m_pos += 2;
        low = parse_hex4();
      }
      if (low < 0xDC00 || low > 0xDFFF)
        error(fmt::format("lone surrogate \\u{:04X} (a high surrogate must be followed by a low one)", code));
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    if (code == 0)
      error("a NUL character (\\u0000) in a string");
    return code;
  }

  std::string parse_string() {
    ++m_pos; // opening quote
    std::string out;
    for (;;) {
      if (m_pos >= m_text.size())
        error("unterminated string");
      char c = m_text[m_pos++];
      if (c == '"')
        return out;
      if (c == '\n' || c == '\r')
        error("unterminated string");
      if (static_cast<unsigned char>(c) < 0x20)
        error(
            fmt::format("{} in a string; write it as \\u{:04X}", shown(m_pos - 1), static_cast<unsigned>(c)));
      if (c != '\\') {
        out += c;
        continue;
      }
      if (m_pos >= m_text.size())
        error("unterminated string");
      char e = m_text[m_pos++];
      switch (e) {
      case '"':
      case '\\':
      case '/':
        out += e;
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u':
        utf8::append(out, parse_escaped_code_point());
        break;
      default:
        error(fmt::format("bad escape '\\{}'", e));
      }
    }
  }

  void parse_number(JsonValue& value) {
    std::size_t start = m_pos;
    value.type = JsonValue::Type::number;
    value.integer = true;
    if (m_text[m_pos] == '-')
      ++m_pos;
    auto digits = [&] {
      std::size_t from = m_pos;
      while (m_pos < m_text.size() && m_text[m_pos] >= '0' && m_text[m_pos] <= '9')
        ++m_pos;
      return m_pos - from;
    };
    if (digits() == 0)
      error("bad number");
    if (m_pos < m_text.size() && m_text[m_pos] == '.') {
      ++m_pos;
      value.integer = false;
      if (digits() == 0)
        error("bad number");
    }
    if (m_pos < m_text.size() && (m_text[m_pos] == 'e' || m_text[m_pos] == 'E')) {
      ++m_pos;
      value.integer = false;
      if (m_pos < m_text.size() && (m_text[m_pos] == '+' || m_text[m_pos] == '-'))
        ++m_pos;
      if (digits() == 0)
        error("bad number");
    }
    value.number = std::strtod(std::string(m_text.substr(start, m_pos - start)).c_str(), nullptr);
    if (!std::isfinite(value.number))
      error("number out of range");
    if (value.integer && std::fabs(value.number) > k_max_exact_integer)
      error("integer out of range (beyond 2^53 - 1); quote it to pass it as text");
  }

  // The largest integer from which every smaller one has an exact double: beyond it, a literal
  // may silently become another number (9007199254740993 reads as ...992).
  static constexpr double k_max_exact_integer = 9007199254740991.0;

  std::string_view m_text;
  const std::string& m_filename;
  std::size_t m_pos = 0;
  int m_line = 1;
};

} // namespace

JsonValue parse_jsonc(std::string_view text, const std::string& filename) {
  return Reader(text, filename).document();
}

} // namespace dockerops::project
