#include "images/dockerfile.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"

#include <set>

namespace dockerops::images {

std::vector<FromLine> parse_from_lines(std::string_view text, const std::string& filename) {
  std::vector<FromLine> result;
  std::set<std::string> stages;
  std::vector<std::string> lines = strings::split(text, '\n');
  std::string logical;
  int start = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string line = strings::trim(lines[i]);
    if (logical.empty()) {
      start = static_cast<int>(i) + 1;
      if (line.empty() || line[0] == '#')
        continue; // comments and parser directives
    } else if (!line.empty() && line[0] == '#') {
      continue; // comment lines inside a continuation are dropped, as Docker does
    }
    if (!line.empty() && line.back() == '\\') {
      logical += line.substr(0, line.size() - 1) + " ";
      continue;
    }
    logical += line;
    std::vector<std::string> words;
    for (const std::string& word : strings::split(logical, ' '))
      if (!strings::trim(word).empty())
        words.push_back(strings::trim(word));
    logical.clear();
    if (words.empty() || strings::to_upper(words[0]) != "FROM")
      continue;
    std::size_t w = 1;
    while (w < words.size() && words[w].rfind("--", 0) == 0)
      ++w;
    if (w >= words.size())
      fail(ErrorKind::config, "{}:{}: FROM without an image", filename, start);
    FromLine from;
    from.line = start;
    from.image = words[w];
    if (w + 2 < words.size() && strings::to_lower(words[w + 1]) == "as")
      from.stage = strings::to_lower(words[w + 2]);
    from.refers_to_stage = stages.count(strings::to_lower(from.image)) > 0;
    if (!from.stage.empty())
      stages.insert(from.stage);
    result.push_back(std::move(from));
  }
  if (result.empty())
    fail(ErrorKind::config, "{}: no FROM line; service images start with \"FROM dockerops/base\"", filename);
  return result;
}

std::vector<std::string> base_images(const std::vector<FromLine>& lines) {
  std::vector<std::string> result;
  for (const FromLine& from : lines) {
    if (from.refers_to_stage)
      continue;
    bool seen = false;
    for (const std::string& image : result)
      seen = seen || image == from.image;
    if (!seen)
      result.push_back(from.image);
  }
  return result;
}

std::string image_repository(std::string_view image) {
  std::string name(image.substr(0, image.find('@')));
  std::size_t colon = name.rfind(':');
  if (colon != std::string::npos && name.find('/', colon) == std::string::npos)
    name.resize(colon);
  return name;
}

void check_legacy_base(const std::vector<FromLine>& lines, const std::string& filename) {
  for (const FromLine& from : lines) {
    std::string repo = image_repository(from.image);
    if (repo.rfind("dockerops/dockerops-", 0) != 0)
      continue;
    std::string replacement = repo.find("dns") != std::string::npos ? "dockerops/dns" : "dockerops/base";
    fail(ErrorKind::config, "{}:{}: \"{}\" is an image of the original DockerOps; use \"FROM {}\" instead",
         filename, from.line, from.image, replacement);
  }
}

} // namespace dockerops::images
