#pragma once

// A resolver test world shared by the project tests.

#include "../support/error_of.hpp"
#include "project/resolve.hpp"

#include <optional>
#include <string>

namespace dockerops::testing {

using namespace dockerops::project;

// A project "demo" with services web (EXPOSE 80 443, #UDP_EXPOSE 5353, #EXPOSE_AS 9000,19000)
// and base, a host with eth0 and br_lan0, and a counting random-name source.
struct World {
  Project project = make_project({"/p/demo", "", "", ""});
  HostInfo host;
  HostConf host_conf;
  RunConf conf;
  ResolveInput input;
  int counter = 0;

  explicit World(const std::string& conf_text) {
    add_service(project, "web",
                "FROM dockerops/base\nEXPOSE 80 443 9000\n#UDP_EXPOSE 5353\n#EXPOSE_AS 9000,19000\n", "");
    add_service(project, "base", "FROM dockerops/base\n", "");
    host.interfaces = {{"eth0", "192.0.2.10"}, {"br_lan0", "198.51.100.7"}};
    host.hostname = "testhost";
    host.random_name = [this] { return "rnd" + std::to_string(10000 + ++counter); };
    conf = parse_run_conf(conf_text, "run.conf");
    input.project = &project;
    input.conf = &conf;
    input.host_conf = &host_conf;
    input.host = &host;
    input.subnet = "172.30.4.0/24";
  }

  ResolvedProject run(const std::string& service = "all", std::optional<std::string> instance = std::nullopt,
                      const std::string& group = "") {
    input.selection = {service, instance, group, std::nullopt};
    return resolve(input);
  }
  std::string error(const std::string& service = "all", std::optional<std::string> instance = std::nullopt) {
    return error_of([&] { run(service, instance); });
  }
};

inline std::string env_line(const ResolvedInstance& r, const std::string& name) {
  auto it = r.env.find(name);
  if (it == r.env.end())
    return "(unset)";
  return it->second.value + " (" + std::string(to_string(it->second.source)) +
         (it->second.detail.empty() ? "" : " " + it->second.detail) + ")";
}

} // namespace dockerops::testing
