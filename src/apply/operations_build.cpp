// The build operations of a plan (docs/decisions.md 17): a service image from its folder, or a
// missing built-in. The plan orders them (FROM parents first); instances wait for their image.
#include "apply/operations.hpp"

#include "base/error.hpp"
#include "images/builtin.hpp"
#include "project/project.hpp"

namespace dockerops::apply::detail {

void OperationRunner::build_image(const plan::Operation& op) {
  if (project::is_builtin_service(op.service)) {
    auto builtin = images::builtin_for_image(op.target);
    if (!builtin)
      fail(ErrorKind::internal, "{}: not a built-in image", op.target);
    say(fmt::format("image {} does not exist: building it", op.target));
    images::ensure_builtin(m_engine, *builtin, m_options.builtins);
    auto image = m_engine.find_image(op.target);
    std::lock_guard lock(m_mutex);
    m_built_ids[op.target] = image ? image->id : "";
    return;
  }
  if (op.image_missing)
    say(fmt::format("image {} does not exist: building it", op.target));
  images::ServiceBuild build;
  build.project = m_plan.project;
  build.service = op.service;
  build.dir = op.context_dir;
  build.no_cache = op.nocache;
  build.verbose = m_options.verbose_builds;
  build.labels = m_options.extra_labels;
  build.builtins = m_options.builtins;
  build.output = [this](const std::string& line) { say(line); };
  images::BuiltImage built = images::build_service(m_engine, build);
  std::lock_guard lock(m_mutex);
  m_built_ids[op.target] = built.result.image_id;
  m_result.built.push_back(std::move(built));
}

std::string OperationRunner::built_id(const std::string& reference) {
  std::lock_guard lock(m_mutex);
  auto it = m_built_ids.find(reference);
  return it == m_built_ids.end() ? std::string() : it->second;
}

} // namespace dockerops::apply::detail
