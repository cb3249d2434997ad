#include "engine/docker_engine.hpp"

#include "base/error.hpp"
#include "base/log.hpp"
#include "base/strings.hpp"
#include "engine/json_mapping.hpp"

namespace dockerops::engine {

ImageInfo DockerEngine::inspect_image(const std::string& name) {
  return parse_image(call_json({.path = versioned("/images/" + name + "/json")}));
}

std::vector<ImageInfo> DockerEngine::list_images(const Filters& filters) {
  Query query;
  if (!filters.empty())
    query.add("filters", filters_json(filters));
  std::vector<ImageInfo> images;
  for (const auto& entry : call_json({.path = versioned("/images/json" + query.str())}))
    images.push_back(parse_image(entry));
  return images;
}

void DockerEngine::remove_image(const std::string& name, bool force) {
  Query query;
  query.add("force", force).add("noprune", false);
  call({.method = "DELETE", .path = versioned("/images/" + name + query.str())});
}

void DockerEngine::tag_image(const std::string& source, const std::string& repo, const std::string& tag) {
  Query query;
  query.add("repo", repo).add("tag", tag);
  call({.method = "POST", .path = versioned("/images/" + source + "/tag" + query.str())});
}

std::string DockerEngine::import_image(const ImportOptions& options, const BodyReader& tar) {
  Query query;
  query.add("fromSrc", "-").add("repo", options.repo);
  if (!options.tag.empty())
    query.add("tag", options.tag);
  if (!options.message.empty())
    query.add("message", options.message);
  for (const auto& change : options.changes)
    query.add("changes", change);
  std::string id;
  // The reply is JSON lines; the last {"status":"sha256:..."} is the new image.
  std::string error =
      call_json_lines({.method = "POST",
                       .path = versioned("/images/create" + query.str()),
                       .upload = &tar,
                       .content_type = "application/x-tar"},
                      [&](const nlohmann::json& line) {
                        if (line.is_object() && line.contains("status") && line["status"].is_string()) {
                          std::string status = line["status"].get<std::string>();
                          if (status.starts_with("sha256:"))
                            id = status;
                        }
                        return true;
                      });
  if (!error.empty())
    fail(ErrorKind::engine, "import of {}:{} failed: {}", options.repo, options.tag, error);
  if (id.empty())
    id = inspect_image(options.repo + ":" + (options.tag.empty() ? "latest" : options.tag)).id;
  return id;
}

std::string DockerEngine::build_image(const BuildOptions& options, const BodyReader& context_tar,
                                      const ProgressCallback& progress) {
  Query query;
  for (const auto& tag : options.tags)
    query.add("t", tag);
  if (!options.dockerfile.empty())
    query.add("dockerfile", options.dockerfile);
  if (!options.labels.empty())
    query.add("labels", nlohmann::json(options.labels).dump());
  if (!options.build_args.empty())
    query.add("buildargs", nlohmann::json(options.build_args).dump());
  query.add("nocache", options.no_cache)
      .add("rm", options.remove_intermediate)
      .add("forcerm", options.force_remove);
  std::string id;
  std::string built_short; // "Successfully built 1a2b3c" for daemons without aux
  std::string error = call_json_lines(
      {.method = "POST",
       .path = versioned("/build" + query.str()),
       .upload = &context_tar,
       .content_type = "application/x-tar"},
      [&](const nlohmann::json& line) {
        if (line.is_object()) {
          if (auto aux = line.find("aux"); aux != line.end() && aux->is_object() && aux->contains("ID"))
            id = aux->value("ID", "");
          if (auto stream = line.find("stream"); stream != line.end() && stream->is_string()) {
            std::string text = stream->get<std::string>();
            if (text.starts_with("Successfully built "))
              built_short = strings::trim(text.substr(19));
          }
        }
        if (progress)
          progress(line);
        return true;
      });
  if (!error.empty())
    fail(ErrorKind::engine, "build failed: {}", error);
  if (id.empty() && !built_short.empty())
    id = inspect_image(built_short).id;
  if (id.empty())
    fail(ErrorKind::engine, "build finished without an image ID");
  return id;
}

void DockerEngine::pull_image(const std::string& image, const std::string& tag,
                              const ProgressCallback& progress) {
  Query query;
  query.add("fromImage", image).add("tag", tag.empty() ? "latest" : tag);
  std::string error = call_json_lines({.method = "POST", .path = versioned("/images/create" + query.str())},
                                      [&](const nlohmann::json& line) {
                                        if (progress)
                                          progress(line);
                                        return true;
                                      });
  if (!error.empty())
    fail(ErrorKind::engine, "pull of {}:{} failed: {}", image, tag.empty() ? "latest" : tag, error);
}

void DockerEngine::push_image(const std::string& image, const std::string& tag,
                              const ProgressCallback& progress) {
  Query query;
  query.add("tag", tag.empty() ? "latest" : tag);
  // The daemon insists on credentials; base64("{}") pushes anonymously.
  std::string error = call_json_lines({.method = "POST",
                                       .path = versioned("/images/" + image + "/push" + query.str()),
                                       .headers = {"X-Registry-Auth: e30="}},
                                      [&](const nlohmann::json& line) {
                                        if (progress)
                                          progress(line);
                                        return true;
                                      });
  if (!error.empty())
    fail(ErrorKind::engine, "push of {}:{} failed: {}", image, tag.empty() ? "latest" : tag, error);
}

} // namespace dockerops::engine
