#pragma once

#include "engine/engine.hpp"

#include <functional>
#include <string>
#include <string_view>

namespace dockerops::apply {

// The lines the base entrypoint prints (docs/decisions.md 8).
inline constexpr std::string_view k_ready_line = "[dockerops] ready";
inline constexpr std::string_view k_failed_prefix = "[dockerops] entrypoint ";

// What to wait for after a start.
struct ReadyCheck {
  std::string who;             // "demo/one", for messages
  std::string container;       // ID or name
  bool dockerops_image = true; // derived from dockerops/base: wait for the ready line
  bool has_healthcheck = false;
  int timeout_seconds = 120;
  std::function<bool()> cancelled; // another operation failed: stop waiting
  // The seed_command the container runs instead of supervisord, empty for the image's command. The
  // ready line comes just before it starts, so one that exits at once would pass for ready: such a
  // container must still run one poll later.
  std::string seed_command;
};

// Result of scanning a container's output for the readiness lines.
enum class LogVerdict { pending, ready, failed };

// Scans output for "[dockerops] ready" or "[dockerops] entrypoint NAME failed: exit N";
// on failure `failure` receives the line without the "[dockerops] " prefix.
LogVerdict scan_ready(std::string_view output, std::string& failure);

// Waits until the instance is ready (docs/decisions.md 8): base-derived images print the ready line;
// others count when running, or healthy when they declare a HEALTHCHECK. Throws an engine Error
// naming the instance when it fails, exits, or the timeout passes; Ctrl-C throws interrupted.
void wait_ready(engine::Engine& engine, const ReadyCheck& check);

// True when the image runs the dockerops entrypoint (built FROM dockerops/base).
bool is_dockerops_image(const engine::ImageInfo& image);

} // namespace dockerops::apply
