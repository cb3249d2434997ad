#include "agent/page.hpp"

#include "base/error.hpp"
#include "base/log.hpp"

namespace dockerops::agent {
namespace {

// Scripts, styles, images and API calls from this origin only; no inline code, no frames, no
// forms posted elsewhere, no Referer.
constexpr const char* k_content_security_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

http::Response page_file(const http::StaticFiles* files, const std::string& name,
                         const http::Request& request) {
  if (files == nullptr)
    return http::error_response(404, "this agent has no status page: its files (web/ in the dockerops data "
                                     "folder) were not found when it started");
  auto response = files->serve(name, request);
  if (!response)
    return http::error_response(404, "no such file: " + request.path);
  response->headers.emplace_back("Content-Security-Policy", k_content_security_policy);
  response->headers.emplace_back("Referrer-Policy", "no-referrer");
  response->headers.emplace_back("X-Frame-Options", "DENY");
  return *response;
}

} // namespace

void add_page_routes(http::Router& router, const std::shared_ptr<const http::StaticFiles>& files) {
  router.add("GET", "/",
             [files](http::Request& request) { return page_file(files.get(), "index.html", request); });
  router.add("GET", "/assets/{file}", [files](http::Request& request) {
    return page_file(files.get(), "assets/" + request.params.at("file"), request);
  });
}

bool is_page_path(const std::string& path) {
  return path == "/" || path.rfind("/assets/", 0) == 0;
}

std::shared_ptr<const http::StaticFiles> load_page(const std::filesystem::path& folder) {
  try {
    auto files = std::make_shared<http::StaticFiles>(http::StaticFiles::load(folder));
    if (!files->contains("index.html"))
      fail(ErrorKind::not_found, "{} has no index.html", folder.string());
    return files;
  } catch (const Error& e) {
    log::warning("agent: no status page: {}", e.what());
    return nullptr;
  }
}

} // namespace dockerops::agent
