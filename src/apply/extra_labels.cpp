#include "apply/extra_labels.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"

#include <cstdlib>

namespace dockerops::apply {

engine::Labels parse_extra_labels(const std::string& text) {
  engine::Labels labels;
  for (const auto& raw : strings::split(text, ',')) {
    std::string item = strings::trim(raw);
    if (item.empty())
      continue;
    auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      fail(ErrorKind::usage, "DOCKEROPS_EXTRA_LABELS: \"{}\" is not KEY=VALUE", item);
    labels[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return labels;
}

engine::Labels extra_labels() {
  const char* env = std::getenv("DOCKEROPS_EXTRA_LABELS");
  return env ? parse_extra_labels(env) : engine::Labels{};
}

} // namespace dockerops::apply
