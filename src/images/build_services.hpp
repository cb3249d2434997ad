#pragma once

#include "engine/engine.hpp"
#include "images/builder.hpp"
#include "images/builtin.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace dockerops::images {

// One service image to build: `<project>/<service>:latest` from `dir`.
struct ServiceBuild {
  std::string service;
  std::filesystem::path dir;      // services/<service>, holding the Dockerfile
  std::vector<std::string> after; // services of the same request to build first (from plan/)
};

// `dockerops build`: what to build and how. `services` comes in the planner's order; the executor
// also waits for any service of the request whose image a Dockerfile names in FROM.
struct BuildRequest {
  std::string project;
  std::vector<ServiceBuild> services;
  bool no_cache = false;
  bool verbose = false;
  int jobs = 2;            // independent builds at once
  engine::Labels labels;   // extra labels, e.g. dockerops.test=1
  BuiltinOptions builtins; // how missing built-ins are made
  OutputSink output;       // empty = stdout
};

// What was built.
struct BuiltImage {
  std::string service;
  std::string tag;
  BuildResult result;
};

// Checks every Dockerfile first (FROM lines, legacy base names, missing parents), makes the
// built-ins they need, then builds the services with up to `jobs` at once, each after the ones it
// depends on. The first failure stops new builds, lets running ones finish and is rethrown.
// Labels dockerops.project and dockerops.service go on every image.
std::vector<BuiltImage> build_services(engine::Engine& engine, const BuildRequest& request);

// The image tag of a service: "<project>/<service>:latest".
std::string service_tag(const std::string& project, const std::string& service);

} // namespace dockerops::images
