#pragma once

#include "http/message.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace dockerops::http {

// A folder of small files (the agent's status page) read once into memory and served by name:
// no file system access per request, so no request can reach outside the folder. Each file has
// an ETag; a request whose If-None-Match names it gets a 304.
class StaticFiles {
public:
  // Every regular file under `folder`, named by its path relative to it ("index.html",
  // "assets/app.js"). Throws an io Error naming the file when one cannot be read, or when the
  // folder holds more than a few MiB (the page is meant to be small).
  static StaticFiles load(const std::filesystem::path& folder);

  // The file's response (200, or 304 when the request already holds this version), or nullopt
  // when there is no such file.
  std::optional<Response> serve(const std::string& name, const Request& request) const;

  bool contains(const std::string& name) const { return m_files.count(name) != 0; }
  std::size_t size() const { return m_files.size(); }

private:
  struct File {
    std::string body;
    std::string content_type;
    std::string etag;
  };
  std::map<std::string, File> m_files{};
};

// The Content-Type for a file name by its extension ("application/octet-stream" when unknown).
std::string_view content_type_for(std::string_view name);

} // namespace dockerops::http
