#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dockerops::images {

// Matches a '/'-separated path against one .dockerignore pattern as Docker does (Go's
// filepath.Match plus "**"): '*' any run of non-'/' characters, '?' one non-'/' character,
// "[a-z]" / "[^a-z]" classes, '\' escapes, "**" any number of path segments (also none).
bool glob_match(std::string_view pattern, std::string_view path);

// The rules of a .dockerignore file (https://docs.docker.com/build/building/context/#dockerignore-files):
// one pattern a line, '#' comments, a leading '!' re-includes, the last matching line wins, leading
// and trailing '/' and "./" are ignored, and a pattern that matches a folder excludes all below it.
class DockerIgnore {
public:
  // Parses the file's text; empty text means nothing is excluded.
  static DockerIgnore parse(std::string_view text);

  // True when `path` (relative to the context, '/'-separated) is left out of the context.
  bool excluded(std::string_view path) const;

  // True when some '!' line exists, so an excluded folder must still be walked.
  bool has_exceptions() const { return m_has_exceptions; }

  bool empty() const { return m_rules.empty(); }

private:
  struct Rule {
    std::string pattern;
    bool exception = false;
  };
  std::vector<Rule> m_rules;
  bool m_has_exceptions = false;
};

// Cleans a pattern or path the way Go's filepath.Clean does for relative paths: drops "./",
// repeated '/', leading and trailing '/', and resolves "..".
std::string clean_path(std::string_view path);

} // namespace dockerops::images
