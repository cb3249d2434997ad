#pragma once

#include "engine/engine.hpp"
#include "images/build_context.hpp"

#include <functional>
#include <string>

namespace dockerops::images {

// Where build progress goes: one call per line (already prefixed); the default prints to stdout.
using OutputSink = std::function<void(const std::string& line)>;

// One `POST /build` of one image.
struct ImageBuild {
  std::string tag;             // "demo/web:latest"
  std::string display;         // the name progress lines start with, e.g. "web"
  std::string dockerfile_path; // for messages: "services/web/Dockerfile"
  engine::Labels labels;
  bool no_cache = false;
  bool verbose = false; // the daemon's full output instead of one line per step
  OutputSink output;    // empty = stdout
};

// What a finished build reports.
struct BuildResult {
  std::string image_id;
  int steps = 0;        // "Step N/M" lines seen
  int cached_steps = 0; // steps answered with "Using cache"
};

// Builds `context` as `build.tag`, streaming "<display> | Step 3/9 : RUN ..." lines (or everything when
// verbose). A failing step throws an Error naming the image, the step and the daemon's message, after
// printing the failing step's output; a Dockerfile the daemon cannot parse (HTTP 400) throws the
// daemon's message with the Dockerfile's path in front.
BuildResult build_image(engine::Engine& engine, const BuildContext& context, const ImageBuild& build);

// Removes an image (by ID) unless a container, or an image built on it, still uses it: then it stays,
// as after docker build, and the daemon's reason is logged at debug level. An interruption or an
// unreachable daemon still throws. Returns whether the image was removed.
bool remove_image_if_unused(engine::Engine& engine, const std::string& id);

// The default sink: whole lines to stdout, safe from several build threads.
void print_line(const std::string& line);

} // namespace dockerops::images
