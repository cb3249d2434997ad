#pragma once

// Images that a rebuild replaced while containers still ran them: removed with their last container.

#include "engine/engine.hpp"

#include <mutex>
#include <set>
#include <string>

namespace dockerops::apply {

// A build untags the image it replaces and removes it when nothing uses it
// (images::build_image); an image a container still runs stays as a dangling <none> image that
// nothing can name. After each container removal this removes such an image once unused. Images
// found still tagged are remembered, so removing 30 containers of one image asks the daemon once.
class ReplacedImages {
public:
  explicit ReplacedImages(engine::Engine& engine) : m_engine(engine) {}

  // Called after the container that ran `image_id` is gone. Removes the image when it has no tag,
  // carries the dockerops.project label (built by dockerops) and no container uses it; never fails.
  void container_removed(const std::string& image_id);

private:
  engine::Engine& m_engine;
  std::mutex m_mutex;
  std::set<std::string> m_kept; // tagged or not dockerops's: never removed here
};

} // namespace dockerops::apply
