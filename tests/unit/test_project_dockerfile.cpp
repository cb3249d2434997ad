#include "../support/error_of.hpp"
#include "base/error.hpp"
#include "project/dockerfile.hpp"
#include "project/project.hpp"
#include "project/subnet.hpp"

#include <gtest/gtest.h>

using namespace dockerops;
using namespace dockerops::project;

namespace {

using dockerops::testing::error_of;

} // namespace

TEST(Dockerfile, AnnotationsAndFrom) {
  Dockerfile d =
      parse_dockerfile("FROM dockerops/debian:bookworm AS builder\nRUN make\n"
                       "from --platform=linux/amd64 demo/parent:latest\n"
                       "EXPOSE 80 443/tcp 5353/udp $PORT\n#UDP_EXPOSE 53 5353\n#EXPOSE_AS 9000,19000\n",
                       "services/web/Dockerfile");
  EXPECT_EQ(d.from, "demo/parent:latest");
  EXPECT_EQ(d.expose, (std::vector<std::string>{"80/tcp", "443/tcp", "5353/udp"}));
  EXPECT_EQ(d.udp_expose, (std::vector<int>{53, 5353}));
  ASSERT_EQ(d.expose_as.size(), 1u);
  EXPECT_EQ(d.expose_as[0].container_port, 9000);
  EXPECT_EQ(d.expose_as[0].host_port, 19000);
  EXPECT_EQ(local_parent(d, "demo"), "parent");
  EXPECT_EQ(local_parent(d, "other"), "");
}

TEST(Dockerfile, Errors) {
  EXPECT_EQ(error_of([] { parse_dockerfile("RUN true\n", "services/a/Dockerfile"); }),
            "services/a/Dockerfile: no FROM line");
  EXPECT_EQ(error_of([] {
              parse_dockerfile("FROM dockerops/dockerops-base-ubuntu14.04\n", "services/a/Dockerfile");
            }),
            "services/a/Dockerfile:1: \"dockerops/dockerops-base-ubuntu14.04\" is an image of the old "
            "DockerOps; use "
            "\"FROM dockerops/base\"");
  EXPECT_EQ(error_of([] { parse_dockerfile("FROM x\nEXPOSE 99999\n", "services/a/Dockerfile"); }),
            "services/a/Dockerfile:2: \"99999\" is not a port number (1-65535)");
  EXPECT_EQ(
      error_of([] { parse_dockerfile("FROM x\n#EXPOSE_AS 9000\n", "services/a/Dockerfile"); }),
      "services/a/Dockerfile:2: #EXPOSE_AS needs CONTAINER_PORT,HOST_PORT (e.g. #EXPOSE_AS 9000,19000)");
}

TEST(RequiredVars, ListWithComments) {
  EXPECT_EQ(
      parse_required_vars("# needed\n[\"API_KEY\", # the key\n \"DB_URL\"]\n", "required_env_vars.json"),
      (std::vector<std::string>{"API_KEY", "DB_URL"}));
  EXPECT_EQ(error_of([] { parse_required_vars("{\"A\": 1}", "services/a/required_env_vars.json"); }),
            "services/a/required_env_vars.json:1: must be a list of variable names, not an object");
}

TEST(Discovery, NamesAndFolders) {
  Project p = make_project({"/home/u/My Project!", "", "", ""});
  EXPECT_EQ(p.name, "my_project_");
  EXPECT_EQ(p.services_dir, "/home/u/My Project!/services");
  EXPECT_EQ(p.data_dir, "/home/u/My Project!/data_my_project_");
  Project q = make_project({"/srv/x", "-Demo.Prod", "/srv/svc", "/data"});
  EXPECT_EQ(q.name, "demo.prod");
  EXPECT_EQ(q.services_dir, "/srv/svc");
  EXPECT_EQ(q.data_dir, "/data");
  EXPECT_EQ(error_of([] { sanitize_project_name("--"); }),
            "project name \"--\" has no letters or digits; set one with --project-name");
}

TEST(Discovery, ServicesFromText) {
  Project p = make_project({"/p/demo", "", "", ""});
  add_service(p, "web", "FROM dockerops/base\n", "[\"API_KEY\"]");
  EXPECT_EQ(p.services.at("web").dir, "/p/demo/services/web");
  EXPECT_EQ(p.services.at("web").required_vars, (std::vector<std::string>{"API_KEY"}));
  EXPECT_EQ(
      error_of([&] { add_service(p, "dockerops-dns-ubuntu14.04", "FROM x\n", ""); }),
      "/p/demo/services/dockerops-dns-ubuntu14.04: \"dockerops-dns-ubuntu14.04\" is a built-in service name "
      "(dockerops-dns uses image dockerops/dns); rename the folder");
  EXPECT_TRUE(is_builtin_service("dockerops-dns"));
  EXPECT_EQ(builtin_image("dockerops-dns"), "dockerops/dns");
}

TEST(Discovery, ReadsFixtureProject) {
  Project p = discover_project({DOCKEROPS_TEST_DATA "/project/demo", "", "", ""});
  EXPECT_EQ(p.name, "demo");
  ASSERT_EQ(p.services.size(), 2u); // "notaservice" has no Dockerfile
  EXPECT_EQ(p.services.at("child").dockerfile.from, "demo/parent");
  EXPECT_EQ(p.services.at("parent").required_vars, (std::vector<std::string>{"TOKEN"}));
}

TEST(Subnet, ChoosesTheFirstFreeSlash24) {
  EXPECT_EQ(choose_subnet({}), "172.30.0.0/24");
  EXPECT_EQ(choose_subnet({"172.30.0.0/24", "172.30.1.0/25", "172.17.0.0/16", "fd00::/64"}), "172.30.2.0/24");
  EXPECT_EQ(choose_subnet({"172.30.0.0/23"}, "172.30.0.0/22"), "172.30.2.0/24");
  EXPECT_EQ(
      error_of([] { choose_subnet({"10.0.0.0/8"}, "10.1.0.0/23"); }),
      "every /24 of the subnet pool 10.1.0.0/23 is in use; remove unused networks or choose another pool");
  EXPECT_EQ(subnet_host("172.30.5.0/24", 2), "172.30.5.2");
  EXPECT_EQ(reverse_zone("172.30.5.0/24"), "5.30.172.in-addr.arpa");
}
