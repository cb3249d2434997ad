#include "images/builtin.hpp"

#include "base/error.hpp"
#include "base/log.hpp"
#include "base/paths.hpp"
#include "base/strings.hpp"
#include "images/builder.hpp"
#include "images/dockerfile.hpp"

#include <mutex>

namespace dockerops::images {
namespace {

// Builds of built-ins are serialized: two service builds that both need dockerops/base wait for one build.
std::mutex g_builtin_mutex;

const char* folder_of(Builtin builtin) {
  switch (builtin) {
  case Builtin::base:
    return "base-image";
  case Builtin::dns:
    return "dns-service";
  case Builtin::agent:
    return "agent-service";
  case Builtin::registry:
    return "registry-service";
  }
  return "";
}
const char* name_of(Builtin builtin) {
  switch (builtin) {
  case Builtin::base:
    return "base";
  case Builtin::dns:
    return "dns";
  case Builtin::agent:
    return "agent";
  case Builtin::registry:
    return "registry";
  }
  return "";
}

bool ensure_locked(engine::Engine& engine, Builtin builtin, const BuiltinOptions& options) {
  std::string parent_id;
  if (builtin != Builtin::base) {
    ensure_locked(engine, Builtin::base, options);
    parent_id = engine.inspect_image(builtin_image(Builtin::base)).id;
  } else {
    ensure_root_image(engine, options.root_source);
    parent_id = engine.inspect_image(k_root_image).id;
  }
  BuildContext context = builtin_context(builtin);
  std::string hash = sha256_hex(context.hash() + "\n" + parent_id);
  std::string image = builtin_image(builtin);
  std::optional<engine::ImageInfo> existing = engine.find_image(image);
  if (existing && !options.force) {
    auto label = existing->labels.find(k_context_hash_label);
    if (label != existing->labels.end() && label->second == hash) {
      log::info("{} is up to date", image);
      return false;
    }
    log::notice("{}: its build context changed; rebuilding", image);
  }
  ImageBuild build;
  build.tag = image + ":latest";
  build.display = image;
  build.dockerfile_path = (context.root() / "Dockerfile").string();
  build.labels = {{k_context_hash_label, hash}, {k_builtin_label, name_of(builtin)}};
  build.no_cache = options.no_cache;
  build.verbose = options.verbose;
  BuildResult result = build_image(engine, context, build);
  log::notice("{} built ({})", image, result.image_id.substr(0, 19));
  return true;
}

// An image built FROM a built-in inherits its labels, so they alone do not tell the built-in from
// a user's image built on it. The built-in's own build sets dockerops.builtin and
// dockerops.context-hash, each a build step; an image built on it has a parent carrying both
// unchanged.
bool is_builtin_itself(engine::Engine& engine, const engine::ImageInfo& image) {
  if (image.parent_id.empty())
    return true;
  std::optional<engine::ImageInfo> parent = engine.find_image(image.parent_id);
  if (!parent)
    return true;
  auto same = [&](const char* label) {
    auto mine = image.labels.find(label);
    auto theirs = parent->labels.find(label);
    return mine != image.labels.end() && theirs != parent->labels.end() && mine->second == theirs->second;
  };
  return !(same(k_builtin_label) && same(k_context_hash_label));
}

// A rebuilt dockerops/base could not be removed while the old dockerops/dns was built on it; once
// that one is gone too, the old base is a dangling, unused image: remove such leftovers. Dangling
// images built on a built-in (a user's, or a project's replaced service image) are not ours to
// remove here.
void remove_dangling_builtins(engine::Engine& engine) {
  engine::Filters filters = engine::label_filter({k_builtin_label});
  filters["dangling"] = {"true"};
  for (const engine::ImageInfo& image : engine.list_images(filters))
    if (is_builtin_itself(engine, image))
      remove_image_if_unused(engine, image.id);
}

} // namespace

std::string builtin_image(Builtin builtin) {
  return std::string("dockerops/") + name_of(builtin);
}

std::optional<Builtin> builtin_for_image(std::string_view image) {
  std::string repo = image_repository(image);
  if (repo == "dockerops/base")
    return Builtin::base;
  if (repo == "dockerops/dns")
    return Builtin::dns;
  if (repo == "dockerops/agent")
    return Builtin::agent;
  if (repo == "dockerops/registry")
    return Builtin::registry;
  return std::nullopt;
}

BuildContext builtin_context(Builtin builtin) {
  BuildContext context = BuildContext::from_directory(paths::data_dir() / folder_of(builtin));
  if (builtin == Builtin::dns)
    context.add_file_from("dockerops-dnsd", paths::dnsd_binary(), 0755);
  if (builtin == Builtin::agent)
    context.add_file_from("dockerops", paths::self_executable(), 0755);
  return context;
}

bool ensure_builtin(engine::Engine& engine, Builtin builtin, const BuiltinOptions& options) {
  std::lock_guard<std::mutex> lock(g_builtin_mutex);
  bool rebuilt = ensure_locked(engine, builtin, options);
  if (rebuilt)
    remove_dangling_builtins(engine);
  return rebuilt;
}

void init(engine::Engine& engine, const BuiltinOptions& options) {
  std::lock_guard<std::mutex> lock(g_builtin_mutex);
  bool dns = ensure_locked(engine, Builtin::dns, options);
  bool agent = ensure_locked(engine, Builtin::agent, options);
  bool registry = ensure_locked(engine, Builtin::registry, options);
  if (dns || agent || registry)
    remove_dangling_builtins(engine);
}

} // namespace dockerops::images
