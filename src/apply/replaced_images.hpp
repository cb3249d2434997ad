#pragma once

// Images that a rebuild replaced while containers still ran them: removed with their last container.

#include "engine/engine.hpp"

#include <map>
#include <mutex>
#include <string>

namespace dockerops::apply {

// A build untags the image it replaces and removes it when nothing uses it
// (images::build_image); an image a container still runs stays as a dangling <none> image that
// nothing can name. After each container removal this removes such an image once unused. What an
// image is gets asked once, so removing 30 containers of one image inspects it once.
class ReplacedImages {
public:
  explicit ReplacedImages(engine::Engine& engine) : m_engine(engine) {}

  // Called after the container that ran `image_id` is gone. Removes the image when it has no tag,
  // was built by dockerops (labelled dockerops.project or dockerops.builtin) and no container uses
  // it; the daemon then also removes its untagged parents (a replaced dockerops/base under a
  // replaced dockerops/dns). Never fails.
  void container_removed(const std::string& image_id);

private:
  // Untagged and built by dockerops (and not removed yet), by image ID.
  bool is_replaced(const std::string& image_id);

  engine::Engine& m_engine;
  std::mutex m_mutex;
  std::map<std::string, bool> m_replaced; // is_replaced() answers by image ID
};

} // namespace dockerops::apply
