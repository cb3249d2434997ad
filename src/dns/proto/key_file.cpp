#include "dns/proto/key_file.hpp"

#include "base/error.hpp"
#include "base/fs.hpp"
#include "base/strings.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstring>

namespace dockerops::dns {

namespace {

// One token of named.conf syntax with the line it started on.
struct Token {
  std::string text;
  bool quoted = false;
  int line = 0;
};

// Splits named.conf text into words, quoted strings and the punctuation { } ;.
std::vector<Token> tokenize(std::string_view text, const std::string& filename) {
  std::vector<Token> tokens;
  int line = 1;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '\n') {
      ++line;
      ++i;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
    } else if (c == '#' || (c == '/' && i + 1 < text.size() && text[i + 1] == '/')) {
      while (i < text.size() && text[i] != '\n')
        ++i;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      std::size_t end = text.find("*/", i + 2);
      if (end == std::string_view::npos)
        fail(ErrorKind::config, "{}:{}: unterminated comment", filename, line);
      for (std::size_t j = i; j < end; ++j)
        line += text[j] == '\n';
      i = end + 2;
    } else if (c == '"') {
      std::size_t end = text.find('"', i + 1);
      if (end == std::string_view::npos)
        fail(ErrorKind::config, "{}:{}: unterminated string", filename, line);
      tokens.push_back({std::string(text.substr(i + 1, end - i - 1)), true, line});
      for (std::size_t j = i; j < end; ++j)
        line += text[j] == '\n';
      i = end + 1;
    } else if (c == '{' || c == '}' || c == ';') {
      tokens.push_back({std::string(1, c), false, line});
      ++i;
    } else {
      std::size_t start = i;
      while (i < text.size() && !std::strchr(" \t\r\n{};\"#", text[i]))
        ++i;
      tokens.push_back({std::string(text.substr(start, i - start)), false, line});
    }
  }
  return tokens;
}

} // namespace

std::string normalize_key_name(std::string_view name) {
  std::string out = strings::to_lower(name);
  while (out.size() > 1 && out.ends_with(".."))
    out.pop_back();
  if (out.empty() || out.back() != '.')
    out += '.';
  return out;
}

std::vector<TsigKey> parse_key_file(std::string_view text, const std::string& filename) {
  std::vector<Token> tokens = tokenize(text, filename);
  std::vector<TsigKey> keys;
  std::size_t i = 0;
  auto at = [&](std::size_t k) -> const Token* { return k < tokens.size() ? &tokens[k] : nullptr; };
  auto expect = [&](std::string_view what) {
    const Token* t = at(i);
    if (!t || t->quoted || t->text != what)
      fail(ErrorKind::config, "{}:{}: expected \"{}\"{}", filename, t ? t->line : tokens.back().line, what,
           t ? fmt::format(", found \"{}\"", t->text) : std::string(" at end of file"));
    ++i;
  };
  while (i < tokens.size()) {
    const Token& kw = tokens[i];
    if (kw.quoted || kw.text != "key")
      fail(ErrorKind::config,
           "{}:{}: unknown statement \"{}\"; a key file holds key \"name\" {{ ... }}; blocks", filename,
           kw.line, kw.text);
    ++i;
    const Token* name = at(i++);
    if (!name || name->text == "{" || name->text.empty())
      fail(ErrorKind::config, "{}:{}: key needs a name", filename, kw.line);
    TsigKey key;
    key.name = normalize_key_name(name->text);
    key.algorithm.clear();
    bool has_secret = false;
    expect("{");
    while (at(i) && !(tokens[i].text == "}" && !tokens[i].quoted)) {
      const Token& field = tokens[i++];
      const Token* value = at(i++);
      if (!value || (value->text == ";" && !value->quoted))
        fail(ErrorKind::config, "{}:{}: \"{}\" needs a value", filename, field.line, field.text);
      if (field.text == "algorithm") {
        key.algorithm = normalize_key_name(value->text);
        if (key.algorithm != "hmac-sha256.")
          fail(ErrorKind::config, "{}:{}: key \"{}\": unsupported algorithm \"{}\"; use hmac-sha256",
               filename, value->line, key.name, value->text);
      } else if (field.text == "secret") {
        if (!base64_decode(value->text, key.secret) || key.secret.empty())
          fail(ErrorKind::config, "{}:{}: key \"{}\": secret is not valid base64", filename, value->line,
               key.name);
        has_secret = true;
      } else {
        fail(ErrorKind::config, "{}:{}: unknown key field \"{}\"{}", filename, field.line, field.text,
             strings::did_you_mean(field.text, {"algorithm", "secret"}));
      }
      expect(";");
    }
    expect("}");
    expect(";");
    if (key.algorithm.empty())
      fail(ErrorKind::config, "{}:{}: key \"{}\" has no algorithm", filename, kw.line, key.name);
    if (!has_secret)
      fail(ErrorKind::config, "{}:{}: key \"{}\" has no secret", filename, kw.line, key.name);
    keys.push_back(std::move(key));
  }
  if (keys.empty())
    fail(ErrorKind::config,
         "{}: no key found; expected key \"name.\" {{ algorithm hmac-sha256; secret \"...\"; }};", filename);
  return keys;
}

std::string format_key_file(const TsigKey& key) {
  return fmt::format("key \"{}\" {{\n\talgorithm {};\n\tsecret \"{}\";\n}};\n", key.name,
                     key.algorithm.substr(0, key.algorithm.size() - 1), base64_encode(key.secret));
}

std::vector<TsigKey> read_key_file(const std::filesystem::path& path) {
  return parse_key_file(fs::read_file(path), path.string());
}

void write_key_file(const std::filesystem::path& path, const TsigKey& key) {
  fs::write_file_atomic(path, format_key_file(key), 0600);
}

TsigKey generate_key(std::string_view name) {
  TsigKey key;
  key.name = normalize_key_name(name);
  key.secret.resize(k_generated_secret_size);
  std::size_t got = 0;
  while (got < key.secret.size()) {
    ssize_t n = ::getrandom(key.secret.data() + got, key.secret.size() - got, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      fail(ErrorKind::io, "getrandom: {}", std::strerror(errno));
    got += static_cast<std::size_t>(n);
  }
  return key;
}

} // namespace dockerops::dns
