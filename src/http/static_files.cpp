#include "http/static_files.hpp"

#include "base/error.hpp"
#include "base/fs.hpp"

#include <fmt/format.h>

#include <functional>

namespace dockerops::http {
namespace {

// Bounds on what load() takes in: the page is a few small files, not a web server's docroot.
constexpr std::uintmax_t k_max_file = 2 * 1024 * 1024;
constexpr std::uintmax_t k_max_total = 8 * 1024 * 1024;

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

std::string_view content_type_for(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> k_types[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
      {".webmanifest", "application/manifest+json"},
  };
  for (const auto& [extension, type] : k_types)
    if (ends_with(name, extension))
      return type;
  return "application/octet-stream";
}

StaticFiles StaticFiles::load(const std::filesystem::path& folder) {
  namespace fsys = std::filesystem;
  StaticFiles files;
  std::error_code ec;
  fsys::recursive_directory_iterator it(folder, ec), end;
  if (ec)
    fail(ErrorKind::io, "cannot read {}: {}", folder.string(), ec.message());
  std::uintmax_t total = 0;
  for (; it != end; it.increment(ec)) {
    if (ec)
      fail(ErrorKind::io, "cannot read {}: {}", folder.string(), ec.message());
    if (!it->is_regular_file())
      continue;
    std::uintmax_t size = it->file_size();
    total += size;
    if (size > k_max_file || total > k_max_total)
      fail(ErrorKind::io, "{}: the page's files must stay under {} MiB each and {} MiB in all",
           it->path().string(), k_max_file >> 20, k_max_total >> 20);
    std::string name = it->path().lexically_relative(folder).generic_string();
    File file;
    file.body = fs::read_file(it->path());
    file.content_type = std::string(content_type_for(name));
    file.etag = fmt::format("\"{:016x}-{:x}\"", std::hash<std::string>{}(file.body), file.body.size());
    files.m_files.emplace(std::move(name), std::move(file));
  }
  return files;
}

std::optional<Response> StaticFiles::serve(const std::string& name, const Request& request) const {
  auto it = m_files.find(name);
  if (it == m_files.end())
    return std::nullopt;
  const File& file = it->second;
  Response response;
  response.content_type = file.content_type;
  // Revalidated on every load (cheap on loopback), so an upgraded install is seen at once.
  response.headers.emplace_back("Cache-Control", "no-cache");
  response.headers.emplace_back("ETag", file.etag);
  std::string wanted = request.header("if-none-match");
  if (!wanted.empty() &&
      (wanted == file.etag || wanted == "*" || wanted.find(file.etag) != std::string::npos)) {
    response.status = 304;
    return response;
  }
  response.body = file.body;
  return response;
}

} // namespace dockerops::http
