#include "apply/replaced_images.hpp"

#include "base/error.hpp"
#include "images/builder.hpp"
#include "images/builtin.hpp"
#include "project/model.hpp"

#include <algorithm>

namespace dockerops::apply {
namespace {

bool has_tag(const engine::ImageInfo& image) {
  return std::any_of(image.repo_tags.begin(), image.repo_tags.end(),
                     [](const std::string& tag) { return tag != "<none>:<none>"; });
}

} // namespace

bool ReplacedImages::is_replaced(const std::string& image_id) {
  // Held across the inspect: the removals of one image's containers run in parallel, and all but
  // the first wait for its answer instead of asking the daemon again.
  std::lock_guard lock(m_mutex);
  auto known = m_replaced.find(image_id);
  if (known != m_replaced.end())
    return known->second;
  std::optional<engine::ImageInfo> image = m_engine.find_image(image_id);
  // Built by dockerops: a project's service image, or a built-in (a rebuilt dockerops/dns whose
  // DNS container kept it alive until now).
  bool ours = image && (image->labels.count(std::string(project::k_label_project)) ||
                        image->labels.count(images::k_builtin_label));
  bool replaced = ours && !has_tag(*image);
  m_replaced.emplace(image_id, replaced);
  return replaced;
}

void ReplacedImages::container_removed(const std::string& image_id) {
  if (image_id.empty())
    return;
  try {
    // Fails with a conflict while another container still runs it; its removal tries again.
    if (is_replaced(image_id) && images::remove_image_if_unused(m_engine, image_id)) {
      std::lock_guard lock(m_mutex);
      m_replaced[image_id] = false; // gone
    }
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::interrupted)
      throw;
    // Tidying up is best effort: the containers are what the command was about.
  }
}

} // namespace dockerops::apply
