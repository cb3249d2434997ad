#include "apply/replaced_images.hpp"

#include "base/error.hpp"
#include "images/builder.hpp"
#include "project/model.hpp"

#include <algorithm>

namespace dockerops::apply {
namespace {

bool has_tag(const engine::ImageInfo& image) {
  return std::any_of(image.repo_tags.begin(), image.repo_tags.end(),
                     [](const std::string& tag) { return tag != "<none>:<none>"; });
}

} // namespace

void ReplacedImages::container_removed(const std::string& image_id) {
  if (image_id.empty())
    return;
  {
    std::lock_guard lock(m_mutex);
    if (m_kept.count(image_id))
      return;
  }
  try {
    std::optional<engine::ImageInfo> image = m_engine.find_image(image_id);
    if (!image)
      return;
    if (has_tag(*image) || !image->labels.count(std::string(project::k_label_project))) {
      std::lock_guard lock(m_mutex);
      m_kept.insert(image_id);
      return;
    }
    // Fails with a conflict while another container still runs it; its removal tries again.
    images::remove_image_if_unused(m_engine, image_id);
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::interrupted)
      throw;
    // Tidying up is best effort: the containers are what the command was about.
  }
}

} // namespace dockerops::apply
