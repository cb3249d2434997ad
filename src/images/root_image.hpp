#pragma once

#include "engine/engine.hpp"

#include <filesystem>
#include <string_view>

struct archive;

namespace dockerops::images {

// The root image every built-in derives from, whatever its source (docs/decisions.md 3).
inline constexpr const char* k_root_repo = "dockerops/debian";
inline constexpr const char* k_root_tag = "bookworm";
inline constexpr const char* k_root_image = "dockerops/debian:bookworm";

// Where the root image comes from: `dockerops init --root-from=pull|debootstrap|auto`.
enum class RootSource { automatic, pull, debootstrap };

// Parses "auto", "pull" or "debootstrap"; anything else is a usage Error with "did you mean".
RootSource parse_root_source(std::string_view text);

// Makes dockerops/debian:bookworm when it is missing: pull tries debian:bookworm once and tags it;
// debootstrap bootstraps a minbase bookworm (Debian's default mirror) into a temporary folder and
// imports it through the Engine API; auto tries a pull, then debootstrap. Returns true when it made
// the image, false when it already existed.
bool ensure_root_image(engine::Engine& engine, RootSource source);

// Writes the tree under `root` into `writer` with numeric owners, modes, symlinks and hard links,
// leaving out device nodes, sockets, the contents of dev/ proc/ sys/ and apt's caches.
void write_rootfs_tar(const std::filesystem::path& root, struct archive* writer);

} // namespace dockerops::images
