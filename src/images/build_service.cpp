#include "images/build_service.hpp"

#include "base/error.hpp"
#include "base/fs.hpp"
#include "base/interrupt.hpp"
#include "base/log.hpp"
#include "images/dockerfile.hpp"

#include <mutex>

namespace dockerops::images {
namespace {

// Built-ins are made once even when several builds need them at the same time.
std::mutex g_builtin_mutex;

// Reads the service's Dockerfile, rejects legacy bases and makes the built-ins it needs; a base
// image that does not exist (a project-local parent not built yet) is a config Error.
void prepare(engine::Engine& engine, const ServiceBuild& build) {
  std::filesystem::path dockerfile = build.dir / "Dockerfile";
  std::string where = (std::filesystem::path("services") / build.service / "Dockerfile").string();
  if (!std::filesystem::is_regular_file(dockerfile))
    fail(ErrorKind::not_found, "{}: not found; every service folder needs a Dockerfile", where);
  std::string text = fs::read_file(dockerfile);
  std::vector<FromLine> lines = parse_from_lines(text, where);
  check_legacy_base(lines, where);
  for (const std::string& warning : legacy_script_warnings(text, where))
    log::warning("{}", warning);
  for (const FromLine& from : lines) {
    if (from.refers_to_stage)
      continue;
    if (std::optional<Builtin> builtin = builtin_for_image(from.image)) {
      std::lock_guard lock(g_builtin_mutex);
      ensure_builtin(engine, *builtin, build.builtins);
      continue;
    }
    if (engine.find_image(from.image))
      continue;
    std::string repo = image_repository(from.image);
    std::string prefix = build.project + "/";
    fail(ErrorKind::config, "{}:{}: base image \"{}\" does not exist here and cannot be pulled{}", where,
         from.line, from.image,
         repo.rfind(prefix, 0) == 0
             ? fmt::format("; build it first: dockerops build:{}", repo.substr(prefix.size()))
             : std::string());
  }
}

} // namespace

std::string service_tag(const std::string& project, const std::string& service) {
  return project + "/" + service + ":latest";
}

BuiltImage build_service(engine::Engine& engine, const ServiceBuild& build) {
  prepare(engine, build);
  interrupt::check();
  BuildContext context = BuildContext::from_directory(build.dir);
  ImageBuild image;
  image.tag = service_tag(build.project, build.service);
  image.display = build.service;
  image.dockerfile_path = (std::filesystem::path("services") / build.service / "Dockerfile").string();
  image.labels = build.labels;
  image.labels["dockerops.project"] = build.project;
  image.labels["dockerops.service"] = build.service;
  image.no_cache = build.no_cache;
  image.verbose = build.verbose;
  image.output = build.output;
  return {build.service, image.tag, build_image(engine, context, image)};
}

} // namespace dockerops::images
