#include "dns/proto/wire_name.hpp"

#include "base/error.hpp"

#include <cctype>

namespace dockerops::dns {

void canonicalize(WireName& name) {
  for (char& c : name)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c + ('a' - 'A'));
}

WireName canonical(std::string_view wire) {
  WireName out(wire);
  canonicalize(out);
  return out;
}

WireName name_from_text(std::string_view text, const WireName& origin) {
  if (text == "@") {
    if (origin.empty())
      fail(ErrorKind::dns, "name \"@\" needs an origin");
    return origin;
  }
  if (text == ".")
    return WireName(1, '\0');
  if (text.empty())
    fail(ErrorKind::dns, "empty domain name");
  WireName out;
  std::string label;
  bool absolute = false;
  auto flush = [&](std::size_t at) {
    if (label.empty())
      fail(ErrorKind::dns, "bad domain name \"{}\": empty label at offset {}", text, at);
    if (label.size() > k_max_label_length)
      fail(ErrorKind::dns, "bad domain name \"{}\": label longer than 63 octets", text);
    out.push_back(static_cast<char>(label.size()));
    out += label;
    label.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\') {
      if (i + 3 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1])) &&
          std::isdigit(static_cast<unsigned char>(text[i + 2])) &&
          std::isdigit(static_cast<unsigned char>(text[i + 3]))) {
        int v = (text[i + 1] - '0') * 100 + (text[i + 2] - '0') * 10 + (text[i + 3] - '0');
        if (v > 255)
          fail(ErrorKind::dns, "bad domain name \"{}\": escape above \\255", text);
        label.push_back(static_cast<char>(v));
        i += 3;
      } else if (i + 1 < text.size()) {
        label.push_back(text[++i]);
      } else {
        fail(ErrorKind::dns, "bad domain name \"{}\": trailing backslash", text);
      }
    } else if (c == '.') {
      flush(i);
      if (i + 1 == text.size())
        absolute = true;
    } else {
      label.push_back(c);
    }
  }
  if (!absolute) {
    if (!label.empty())
      flush(text.size());
    if (origin.empty())
      fail(ErrorKind::dns, "relative domain name \"{}\" without an origin", text);
    out += origin;
  } else {
    out.push_back('\0');
  }
  if (out.size() > k_max_name_length)
    fail(ErrorKind::dns, "bad domain name \"{}\": longer than 255 octets", text);
  canonicalize(out);
  return out;
}

std::string name_to_text(std::string_view wire) {
  std::string out;
  std::size_t pos = 0;
  while (pos < wire.size()) {
    auto len = static_cast<unsigned char>(wire[pos]);
    if (len == 0)
      break;
    for (std::size_t i = pos + 1; i <= pos + len && i < wire.size(); ++i) {
      auto c = static_cast<unsigned char>(wire[i]);
      if (c == '.' || c == '\\' || c == '"' || c == ';' || c == '(' || c == ')' || c == '@' || c == '$') {
        out.push_back('\\');
        out.push_back(static_cast<char>(c));
      } else if (c <= 0x20 || c >= 0x7f) {
        out += fmt::format("\\{:03d}", c);
      } else {
        out.push_back(static_cast<char>(c));
      }
    }
    out.push_back('.');
    pos += len + 1;
  }
  return out.empty() ? "." : out;
}

bool is_subdomain(std::string_view name, std::string_view ancestor) {
  if (ancestor.size() > name.size())
    return false;
  // Walk label starts of `name` until the remaining suffix has the ancestor's length.
  std::size_t pos = 0;
  while (name.size() - pos > ancestor.size())
    pos += static_cast<unsigned char>(name[pos]) + 1;
  return name.size() - pos == ancestor.size() && name.substr(pos) == ancestor;
}

std::string_view parent_name(std::string_view wire) {
  if (wire.empty() || wire[0] == 0)
    return wire;
  return wire.substr(static_cast<unsigned char>(wire[0]) + 1);
}

} // namespace dockerops::dns
