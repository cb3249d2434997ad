#include "images/dockerignore.hpp"

#include "base/strings.hpp"

namespace dockerops::images {
namespace {

// Matches a bracket class starting after '['; sets `end` to the index after ']'.
bool match_class(std::string_view pattern, std::size_t start, char c, std::size_t& end) {
  std::size_t i = start;
  bool negate = false;
  if (i < pattern.size() && (pattern[i] == '^' || pattern[i] == '!')) {
    negate = true;
    ++i;
  }
  bool matched = false;
  bool first = true;
  while (i < pattern.size() && (first || pattern[i] != ']')) {
    first = false;
    char low = pattern[i];
    if (low == '\\' && i + 1 < pattern.size())
      low = pattern[++i];
    ++i;
    char high = low;
    if (i + 1 < pattern.size() && pattern[i] == '-' && pattern[i + 1] != ']') {
      high = pattern[i + 1];
      if (high == '\\' && i + 2 < pattern.size()) {
        high = pattern[i + 2];
        ++i;
      }
      i += 2;
    }
    if (low <= c && c <= high)
      matched = true;
  }
  end = i < pattern.size() ? i + 1 : i; // an unclosed class ends the pattern
  return matched != negate;
}

bool match_at(std::string_view p, std::size_t pi, std::string_view s, std::size_t si) {
  while (pi < p.size()) {
    char pc = p[pi];
    if (pc == '*') {
      if (pi + 1 < p.size() && p[pi + 1] == '*') {
        // "**": any number of characters, '/' included; "**/" may also match nothing at all.
        std::size_t rest = pi + 2;
        if (rest < p.size() && p[rest] == '/') {
          if (match_at(p, rest + 1, s, si))
            return true;
        }
        for (std::size_t k = si; k <= s.size(); ++k)
          if (match_at(p, rest, s, k))
            return true;
        return false;
      }
      for (std::size_t k = si; k <= s.size(); ++k) {
        if (match_at(p, pi + 1, s, k))
          return true;
        if (k < s.size() && s[k] == '/')
          break;
      }
      return false;
    }
    if (si >= s.size())
      return false;
    if (pc == '?') {
      if (s[si] == '/')
        return false;
      ++pi;
    } else if (pc == '[') {
      std::size_t end = 0;
      if (s[si] == '/' || !match_class(p, pi + 1, s[si], end))
        return false;
      pi = end;
    } else {
      if (pc == '\\' && pi + 1 < p.size())
        pc = p[++pi];
      if (pc != s[si])
        return false;
      ++pi;
    }
    ++si;
  }
  return si == s.size();
}

} // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  return match_at(pattern, 0, path, 0);
}

std::string clean_path(std::string_view path) {
  std::vector<std::string> parts;
  for (const std::string& part : strings::split(path, '/')) {
    if (part.empty() || part == ".")
      continue;
    if (part == ".." && !parts.empty() && parts.back() != "..")
      parts.pop_back();
    else if (part != "..")
      parts.push_back(part);
  }
  return strings::join(parts, "/");
}

DockerIgnore DockerIgnore::parse(std::string_view text) {
  DockerIgnore result;
  for (const std::string& raw : strings::split(text, '\n')) {
    std::string line = strings::trim(raw);
    if (line.empty() || line[0] == '#')
      continue;
    Rule rule;
    if (line[0] == '!') {
      rule.exception = true;
      line = strings::trim(line.substr(1));
    }
    rule.pattern = clean_path(line);
    if (rule.pattern.empty())
      continue;
    result.m_has_exceptions = result.m_has_exceptions || rule.exception;
    result.m_rules.push_back(std::move(rule));
  }
  return result;
}

bool DockerIgnore::excluded(std::string_view path) const {
  // Docker's MatchesOrParentMatches: a rule applies when it matches the path or one of its parents.
  std::string clean = clean_path(path);
  bool result = false;
  for (const Rule& rule : m_rules) {
    bool hit = glob_match(rule.pattern, clean);
    for (std::size_t slash = clean.find('/'); !hit && slash != std::string::npos;
         slash = clean.find('/', slash + 1))
      hit = glob_match(rule.pattern, std::string_view(clean).substr(0, slash));
    if (hit)
      result = !rule.exception;
  }
  return result;
}

} // namespace dockerops::images
