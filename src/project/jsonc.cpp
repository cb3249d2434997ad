#include "project/jsonc.hpp"

#include "base/error.hpp"

#include <cstdlib>

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
    skip_space();
    if (m_pos >= m_text.size())
      error("the file is empty");
    JsonValue value = parse_value(0);
    skip_space();
    if (m_pos < m_text.size())
      error("unexpected text after the end of the document");
    return value;
  }

private:
  [[noreturn]] void error(std::string_view what) {
    fail(ErrorKind::config, "{}:{}: invalid JSON: {}", m_filename, m_line, what);
  }

  void skip_space() {
    while (m_pos < m_text.size()) {
      char c = m_text[m_pos];
      if (c == '\n') {
        ++m_line;
        ++m_pos;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++m_pos;
      } else if (c == '#') {
        while (m_pos < m_text.size() && m_text[m_pos] != '\n')
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
      error(fmt::format("unexpected character '{}'", c));
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
    for (;;) {
      skip_space();
      if (m_pos < m_text.size() && m_text[m_pos] == '}')
        error("a ',' before '}' (JSON allows no comma after the last member)");
      if (m_pos >= m_text.size() || m_text[m_pos] != '"')
        error("expected a quoted key");
      int key_line = m_line;
      std::string key = parse_string();
      for (const auto& [existing, unused] : value.members)
        if (existing == key)
          fail(ErrorKind::config, "{}:{}: duplicate key \"{}\"", m_filename, key_line, key);
      skip_space();
      if (m_pos >= m_text.size() || m_text[m_pos] != ':')
        error("expected ':' after a key");
      ++m_pos;
      value.members.emplace_back(std::move(key), parse_value(depth + 1));
      skip_space();
      if (m_pos < m_text.size() && m_text[m_pos] == ',') {
        ++m_pos;
        continue;
      }
      if (m_pos < m_text.size() && m_text[m_pos] == '}') {
        ++m_pos;
        return;
      }
      error("expected ',' or '}'");
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
      error("expected ',' or ']'");
    }
  }

  static void append_utf8(std::string& out, unsigned code) {
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

  std::string parse_string() {
    ++m_pos; // opening quote
    std::string out;
    for (;;) {
      if (m_pos >= m_text.size())
        error("unterminated string");
      char c = m_text[m_pos++];
      if (c == '"')
        return out;
      if (c == '\n')
        error("unterminated string");
      if (static_cast<unsigned char>(c) < 0x20)
        error("control character in a string");
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
      case 'u': {
        unsigned code = parse_hex4();
        if (code >= 0xD800 && code < 0xDC00 && m_text.substr(m_pos, 2) == "\\u") {
          m_pos += 2;
          unsigned low = parse_hex4();
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(out, code);
        break;
      }
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
  }

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
