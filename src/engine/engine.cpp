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

std::string Engine::import_image_file(const ImportOptions& options, const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr)
    fail(ErrorKind::io, "{}: {}", path, std::strerror(errno));
  struct Closer {
    std::FILE* file;
    ~Closer() { std::fclose(file); }
  } closer{file};
  BodyReader reader = [&](char* buffer, std::size_t size) {
    std::size_t n = std::fread(buffer, 1, size, file);
    if (n == 0 && std::ferror(file))
      fail(ErrorKind::io, "{}: read error", path);
    return n;
  };
  return import_image(options, reader);
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
