#pragma once

// What dockerops reads from a service's Dockerfile (pure, from text): the FROM
// line for build ordering and the port annotations of the original.

#include <string>
#include <string_view>
#include <vector>

namespace dockerops::project {

// "#EXPOSE_AS CONTAINER,HOST": publish a TCP container port on another host port.
struct ExposeAs {
  int container_port = 0;
  int host_port = 0;
};

// The parsed Dockerfile.
struct Dockerfile {
  std::string from;                // image of the last FROM line ("dockerops/base", "proj/parent")
  std::vector<std::string> expose; // "80/tcp" from EXPOSE lines (used when the image is not built)
  std::vector<int> udp_expose;     // "#UDP_EXPOSE 53 5353"
  std::vector<ExposeAs> expose_as;
};

// Parses a Dockerfile; throws a config Error "FILE:LINE: ..." for a missing
// FROM, bad port numbers, or the old base image (names dockerops/base).
Dockerfile parse_dockerfile(std::string_view text, const std::string& filename);

// The project-local parent service of a FROM image ("<project>/<svc>[:tag]"), or empty.
std::string local_parent(const Dockerfile& dockerfile, std::string_view project);

// Parses required_env_vars.json: a JSON list of names, '#' comment lines allowed.
std::vector<std::string> parse_required_vars(std::string_view text, const std::string& filename);

} // namespace dockerops::project
