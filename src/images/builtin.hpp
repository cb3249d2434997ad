#pragma once

#include "engine/engine.hpp"
#include "images/build_context.hpp"
#include "images/root_image.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace dockerops::images {

// The images dockerops ships as build contexts (docs/decisions.md 3-5): dockerops/base from base-image/,
// dockerops/dns from dns-service/ plus the installed dockerops-dnsd binary, dockerops/agent from
// agent-service/ plus the installed dockerops binary, dockerops/registry from registry-service/ (the
// project registry of a swarm, docs/decisions.md 33).
enum class Builtin { base, dns, agent, registry };

// The label holding the hash a built-in was built from (docs/decisions.md 4).
inline constexpr const char* k_context_hash_label = "dockerops.context-hash";
// The label naming the built-in ("base", "dns"). Images built FROM a built-in inherit it, as
// every Docker label.
inline constexpr const char* k_builtin_label = "dockerops.builtin";

// "dockerops/base", "dockerops/dns" or "dockerops/agent" (tag latest).
std::string builtin_image(Builtin builtin);

// The built-in an image name refers to ("dockerops/base", "dockerops/dns:latest"), if any.
std::optional<Builtin> builtin_for_image(std::string_view image);

// The installed build context (paths::data_dir()), with dockerops-dnsd added for dns and the
// running dockerops binary for agent.
BuildContext builtin_context(Builtin builtin);

// How built-ins are built.
struct BuiltinOptions {
  bool no_cache = false;
  bool verbose = false;
  bool force = false; // rebuild even when the hash matches
  RootSource root_source = RootSource::automatic;
};

// Builds the built-in (and what it derives from: the root image, dockerops/base for dns) when it
// is missing or its dockerops.context-hash label differs from the installed context's hash, which
// also covers the parent image's ID, so a rebuilt base also rebuilds dns. Returns true when it built.
bool ensure_builtin(engine::Engine& engine, Builtin builtin, const BuiltinOptions& options = {});

// `dockerops init`: the root image, then dockerops/base, then dockerops/dns, dockerops/agent and
// dockerops/registry.
void init(engine::Engine& engine, const BuiltinOptions& options);

} // namespace dockerops::images
