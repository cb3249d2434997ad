// The agent's API without a daemon: its routes are those of docs/api/openapi.json, and the views it
// serves (state, stats, metrics) from a recorded snapshot.

#include "agent/api.hpp"
#include "agent/event_feed.hpp"
#include "agent/log_streams.hpp"
#include "base/fs.hpp"
#include "base/strings.hpp"
#include "http/target.hpp"

#include "../support/fake_engine.hpp"
#include "../support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <set>

namespace dockerops::agent {
namespace {

std::shared_ptr<Snapshot> sample_snapshot() {
  auto s = std::make_shared<Snapshot>();
  s->project = "demo";
  s->zone = "local.zone";
  s->observed_at = "2024-05-01T12:00:00.000Z";
  InstanceView one;
  one.observed.service = "web";
  one.observed.instance = "one";
  one.observed.type = "standard";
  one.observed.state = "running";
  one.observed.ip = "172.30.0.3";
  one.observed.container_id = "abc";
  one.observed.resources = {0.5, 64 << 20, 0, 100};
  one.restart = "always";
  one.restarts = 2;
  one.desired = "running";
  InstanceView gone;
  gone.observed.service = "web";
  gone.observed.instance = "two";
  gone.observed.state = "missing";
  gone.restart = "on-failure";
  gone.desired = "running";
  s->instances = {one, gone};
  s->dns.server = "172.30.0.2";
  s->dns.records = {{"web-one.local.zone.", 60, "A", "172.30.0.3"}};
  s->stats = {{"web", "one", "abc", 12.5, 1048576, std::nullopt, "cgroup"}};
  s->sampled_at = "2024-05-01T12:00:01.000Z";
  s->stats_interval_seconds = 5;
  return s;
}

TEST(AgentApi, RoutesAreThoseOfTheOpenApiDocument) {
  auto doc =
      nlohmann::json::parse(fs::read_file(std::string(DOCKEROPS_SOURCE_DIR) + "/docs/api/openapi.json"));
  std::set<std::string> documented;
  for (const auto& [path, methods] : doc.at("paths").items())
    for (const auto& [method, operation] : methods.items())
      documented.insert(strings::to_upper(method) + " " + path);
  ApiContext context;
  http::Router router = make_api(context);
  auto described = router.describe();
  EXPECT_EQ(std::set<std::string>(described.begin(), described.end()), documented);
}

TEST(AgentApi, ServesTheSnapshot) {
  dockerops::testing::TempDir dir;
  EventLog log(dir.path());
  EventFeed feed(log);
  engine::testing::FakeEngine engine;
  LogStreams logs(engine);
  std::shared_ptr<const Snapshot> snapshot = sample_snapshot();
  ApiContext context;
  context.snapshot = [&] { return snapshot; };
  context.figures = [] { return AgentFigures{12.5, 7, 1, 2, 0}; };
  context.feed = &feed;
  context.logs = &logs;
  http::Router router = make_api(context);
  auto call = [&](const std::string& method, const std::string& target) {
    http::Request r;
    r.method = method;
    r.path = target.substr(0, target.find('?'));
    r.segments = http::split_path(r.path).segments;
    if (auto q = target.find('?'); q != std::string::npos)
      for (const auto& pair : strings::split(target.substr(q + 1), '&'))
        r.query[pair.substr(0, pair.find('='))] = pair.substr(pair.find('=') + 1);
    return router.dispatch(r);
  };
  auto state = nlohmann::json::parse(call("GET", "/api/v1/state").body);
  EXPECT_EQ(state["instances_running"], 1);
  ASSERT_EQ(state["services"].size(), 1u);
  EXPECT_EQ(state["services"][0]["instances"][1]["state"], "missing");
  EXPECT_EQ(state["services"][0]["instances"][0]["restarts"], 2);
  EXPECT_EQ(state["dns"]["records"][0]["data"], "172.30.0.3");
  EXPECT_TRUE(state["dns"]["error"].is_null());
  // Declared resources next to the measured figures; an unset limit is null, an unsampled instance
  // has no usage.
  const auto& one = state["services"][0]["instances"][0];
  EXPECT_EQ(
      one["resources"],
      nlohmann::json::parse(R"({"cpus": 0.5, "memory": 67108864, "memory_reservation": null, "pids": 100})"));
  EXPECT_EQ(one["usage"]["cpu_percent"], 12.5);
  EXPECT_EQ(one["usage"]["memory_bytes"], 1048576);
  EXPECT_EQ(one["usage"]["sampled_at"], "2024-05-01T12:00:01.000Z");
  EXPECT_TRUE(state["services"][0]["instances"][1]["usage"].is_null());
  EXPECT_TRUE(state["services"][0]["instances"][1]["resources"]["cpus"].is_null());
  auto stats = nlohmann::json::parse(call("GET", "/api/v1/stats").body);
  EXPECT_EQ(stats["failures"], 1);
  EXPECT_EQ(stats["replacements"], 2);
  EXPECT_EQ(stats["relocations"], 0);
  EXPECT_EQ(stats["instances"][0]["cpu_percent"], 12.5);
  EXPECT_TRUE(stats["instances"][0]["memory_limit_bytes"].is_null());
  std::string metrics = call("GET", "/metrics").body;
  EXPECT_NE(metrics.find(
                "dockerops_instance_cpu_percent{project=\"demo\",service=\"web\",instance=\"one\"} 12.500\n"),
            std::string::npos);
  EXPECT_NE(metrics.find("dockerops_instance_up{project=\"demo\",service=\"web\",instance=\"two\"} 0\n"),
            std::string::npos);
  EXPECT_NE(metrics.find("# TYPE dockerops_instance_replacements_total counter\n"), std::string::npos);
  // Unknown instances and services are 404s saying what exists; a missing one is a 409.
  EXPECT_EQ(call("GET", "/api/v1/instances/web/nine/logs").body,
            "{\"error\":\"service web has no instance nine\"}\n");
  EXPECT_EQ(call("POST", "/api/v1/instances/db/one/restart").body,
            "{\"error\":\"project demo has no service db\"}\n");
  EXPECT_EQ(call("GET", "/api/v1/instances/web/two/logs").status, 409);
  EXPECT_EQ(call("GET", "/api/v1/instances/web/one/logs?tail=-1").status, 400);
  EXPECT_EQ(call("GET", "/api/v1/instances/web/one/logs?follow=maybe").status, 400);
  EXPECT_EQ(call("GET", "/api/v1/events?since=yesterday").status, 400);
  // Not wired to an actor: the restart says so rather than pretending.
  EXPECT_EQ(call("POST", "/api/v1/instances/web/one/restart").status, 503);
}

TEST(AgentApi, MalformedBodiesAreRefused) {
  std::shared_ptr<const Snapshot> snapshot = sample_snapshot();
  ApiContext context;
  context.snapshot = [&] { return snapshot; };
  http::Router router = make_api(context);
  http::Request r;
  r.method = "POST";
  r.path = "/api/v1/instances/web/one/restart";
  r.segments = http::split_path(r.path).segments;
  r.body = "{\"oops\": ";
  auto bad = router.dispatch(r);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body.rfind("{\"error\":\"malformed JSON body: ", 0), 0u) << bad.body;
  r.body = "[1, 2]";
  EXPECT_EQ(router.dispatch(r).body, "{\"error\":\"the request body must be a JSON object\"}\n");
}

} // namespace
} // namespace dockerops::agent
