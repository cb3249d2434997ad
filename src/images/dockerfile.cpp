#include "images/dockerfile.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"

#include <set>

namespace dockerops::images {

namespace {

// One instruction: its first line and its words, continuation lines joined.
struct Instruction {
  int line = 0;
  std::vector<std::string> words;
};

// The instructions of a Dockerfile: comments and parser directives skipped, and comment lines inside
// a continuation dropped, as Docker does.
std::vector<Instruction> instructions(std::string_view text) {
  std::vector<Instruction> result;
  std::vector<std::string> lines = strings::split(text, '\n');
  std::string logical;
  int start = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string line = strings::trim(lines[i]);
    if (logical.empty()) {
      start = static_cast<int>(i) + 1;
      if (line.empty() || line[0] == '#')
        continue;
    } else if (!line.empty() && line[0] == '#') {
      continue;
    }
    if (!line.empty() && line.back() == '\\') {
      logical += line.substr(0, line.size() - 1) + " ";
      continue;
    }
    logical += line;
    Instruction instruction{start, {}};
    for (const std::string& word : strings::split(logical, ' '))
      if (!strings::trim(word).empty())
        instruction.words.push_back(strings::trim(word));
    logical.clear();
    if (!instruction.words.empty())
      result.push_back(std::move(instruction));
  }
  return result;
}

// "prestartup_demo.sh" or "dir/prestartup_demo.sh": a start-up script of the original DockerOps.
bool is_prestartup_script(std::string_view path) {
  std::string_view name = path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1);
  return name.starts_with("prestartup_") && name.ends_with(".sh");
}

} // namespace

std::vector<FromLine> parse_from_lines(std::string_view text, const std::string& filename) {
  std::vector<FromLine> result;
  std::set<std::string> stages;
  for (const Instruction& instruction : instructions(text)) {
    const std::vector<std::string>& words = instruction.words;
    if (strings::to_upper(words[0]) != "FROM")
      continue;
    std::size_t w = 1;
    while (w < words.size() && words[w].rfind("--", 0) == 0)
      ++w;
    if (w >= words.size())
      fail(ErrorKind::config, "{}:{}: FROM without an image", filename, instruction.line);
    FromLine from;
    from.line = instruction.line;
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

std::vector<std::string> legacy_script_warnings(std::string_view text, const std::string& filename) {
  std::vector<std::string> warnings;
  for (const Instruction& instruction : instructions(text)) {
    const std::vector<std::string>& words = instruction.words;
    std::string keyword = strings::to_upper(words[0]);
    if ((keyword != "COPY" && keyword != "ADD") || words.size() < 3 || words.back().starts_with("["))
      continue;
    const std::string& destination = words.back();
    bool to_prestartup = destination.starts_with("/prestartup");
    bool to_entrypoints = destination == "/entrypoints" || destination.starts_with("/entrypoints/");
    std::string script;
    for (std::size_t i = 1; i + 1 < words.size(); ++i)
      if (!words[i].starts_with("--") && is_prestartup_script(words[i]))
        script = words[i];
    if (!to_prestartup && (script.empty() || to_entrypoints))
      continue;
    std::string name = script.empty() ? std::string("NAME") : script.substr(script.rfind('/') + 1 + 11);
    name = name.ends_with(".sh") ? name.substr(0, name.size() - 3) : name;
    warnings.push_back(fmt::format(
        "{}:{}: {} {}: dockerops never runs /prestartup/ or prestartup_*.sh scripts (the original DockerOps "
        "did); copy the script to /entrypoints/20-{}.sh instead",
        filename, instruction.line, keyword, to_prestartup ? "to " + destination : script, name));
  }
  return warnings;
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
