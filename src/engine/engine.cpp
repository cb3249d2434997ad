#include "engine/engine.hpp"

#include "base/error.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace dockerops::engine {

std::optional<ImageInfo> Engine::find_image(const std::string& name) {
  try {
    return inspect_image(name);
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::not_found)
      return std::nullopt;
    throw;
  }
}

std::optional<ContainerInfo> Engine::find_container(const std::string& id) {
  try {
    return inspect_container(id);
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::not_found)
      return std::nullopt;
    throw;
  }
}

int Engine::exec_capture(const std::string& container, const ExecSpec& spec, std::string& output) {
  return exec(container, spec, [&](Stream, std::string_view bytes) {
    output.append(bytes);
    return true;
  });
}

Filters label_filter(const std::vector<std::string>& labels) {
  return {{"label", labels}};
}

} // namespace dockerops::engine
