#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dockerops::images {

// One FROM instruction of a Dockerfile.
struct FromLine {
  int line = 0;                 // 1-based line number
  std::string image;            // as written, e.g. "dockerops/base" or "demo/web:latest"
  std::string stage;            // the "AS name", empty when none
  bool refers_to_stage = false; // FROM an earlier stage of the same file, not an image
};

// The FROM instructions of a Dockerfile (continuation lines joined, comments and parser
// directives skipped, flags such as --platform ignored). `filename` only names the file in errors:
// a Dockerfile without FROM is a config Error.
std::vector<FromLine> parse_from_lines(std::string_view text, const std::string& filename);

// Warnings for start-up scripts a Dockerfile puts where the original DockerOps ran them (COPY or ADD
// to /prestartup/, or a prestartup_*.sh file copied anywhere but /entrypoints/): dockerops runs
// /entrypoints/NN-name.sh only, so such a script would silently never run.
std::vector<std::string> legacy_script_warnings(std::string_view text, const std::string& filename);

// The images a Dockerfile builds on (stage references left out), in order, without duplicates.
std::vector<std::string> base_images(const std::vector<FromLine>& lines);

// Drops a ":tag" (not a registry port) and a "@digest": "demo/web:1" -> "demo/web".
std::string image_repository(std::string_view image);

// Throws a config Error for base images of the original DockerOps (dockerops/dockerops-*-ubuntu14.04)
// naming the replacement, e.g. `Dockerfile:1: "dockerops/dockerops-base-ubuntu14.04" is gone; use
// "FROM dockerops/base"`.
void check_legacy_base(const std::vector<FromLine>& lines, const std::string& filename);

} // namespace dockerops::images
