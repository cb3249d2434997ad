#pragma once

#include "engine/engine.hpp"
#include "images/builder.hpp"
#include "images/builtin.hpp"

#include <filesystem>
#include <string>

namespace dockerops::images {

// One service image to build: `<project>/<service>:latest` from `dir`. The order of builds is the
// plan's (plan::plan_build, docs/decisions.md 17); apply/ executes one build operation with this.
struct ServiceBuild {
  std::string project;
  std::string service;
  std::filesystem::path dir; // services/<service>, holding the Dockerfile
  bool no_cache = false;
  bool verbose = false;
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

// Checks the Dockerfile (FROM lines, legacy base names, a base image that does not exist), makes the
// built-ins it names, then builds. Labels dockerops.project and dockerops.service go on the image.
BuiltImage build_service(engine::Engine& engine, const ServiceBuild& build);

// The image tag of a service: "<project>/<service>:latest".
std::string service_tag(const std::string& project, const std::string& service);

} // namespace dockerops::images
