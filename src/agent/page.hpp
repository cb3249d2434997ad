#pragma once

#include "http/router.hpp"
#include "http/static_files.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace dockerops::agent {

// The status page (docs/decisions.md 37): web/index.html at "/", the files of web/assets/ at
// "/assets/{file}". They are served without the token because they carry no data: the page asks
// for the token (from the URL fragment) and reads everything through the API, like any client.
// Every page response carries a Content-Security-Policy that lets the browser talk to this
// agent only.
void add_page_routes(http::Router& router, const std::shared_ptr<const http::StaticFiles>& files);

// True for the paths add_page_routes() serves: the server lets them through without a token.
bool is_page_path(const std::string& path);

// The page's files from `folder`, or null (with a warning naming the folder) when they cannot be
// read: the agent then runs without its page and "/" says why.
std::shared_ptr<const http::StaticFiles> load_page(const std::filesystem::path& folder);

} // namespace dockerops::agent
