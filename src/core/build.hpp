#pragma once

#include "core/execute.hpp"

#include <string>
#include <vector>

namespace dockerops::core {

// What build() is asked for.
struct BuildOptions {
  std::vector<std::string> services; // empty = all
  bool no_cache = false;
  ExecOptions exec; // build_jobs: builds at once (default 2)
};

// The build plan alone (--dry-run needs no daemon).
plan::Plan build_plan(const LoadedProject& loaded, const BuildOptions& options);

// build:SERVICE|all: the planner orders the services by their FROM chains (project-local parents
// first, cycles are an error, docs/decisions.md 17); the executor builds them, independent ones in
// parallel, each after making the built-ins its Dockerfile names. `applied->built` lists the images.
Outcome build(engine::Engine& engine, const LoadedProject& loaded, const BuildOptions& options,
              apply::Reporter& reporter);

} // namespace dockerops::core
