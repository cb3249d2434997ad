// What the status page reads besides state and stats: GET /api/v1 (the routes this agent offers)
// and GET /api/v1/instances/{service}/{instance} (the detail, secrets masked as `info` masks them).

#include "agent/api.hpp"
#include "agent/instance_detail.hpp"

#include <gtest/gtest.h>

namespace dockerops::agent {
namespace {

InstanceView web_one() {
  InstanceView view;
  ObservedInstance& o = view.observed;
  o.service = "web";
  o.instance = "one";
  o.type = "persistent";
  o.state = "running";
  o.ip = "172.30.0.3";
  o.container_id = "abc123";
  o.container_name = "demo-web-one";
  o.env = {"GREETING=hello",       "DB_PASSWORD=hunter2", "API_TOKEN=", "PERSISTENT_DATA=True",
           "PERSISTENT_LOG=False", "PERSISTENT_OPT=true", "EMPTY"};
  o.ports = {{"tcp", 80, "127.0.0.1", 8080}, {"tcp", 22, "", 0}};
  o.mounts = {{"bind", "/p/data_demo/web-one", "/persistent", true},
              {"bind", "/p/.dockerops/id_ed25519.pub", "/run/dockerops/authorized_keys", false}};
  o.networks["demo_net"] = {
      "n1", "172.30.0.3", "172.30.0.1", {"one"}, {"demo-db-main:db", "/gone:/demo-web-one/old"}};
  view.restart = "always";
  return view;
}

Snapshot snapshot_with(const InstanceView& view) {
  Snapshot snapshot;
  snapshot.project = "demo";
  snapshot.instances.push_back(view);
  InstanceView db;
  db.observed.service = "db";
  db.observed.instance = "main";
  db.observed.container_name = "demo-db-main";
  snapshot.instances.push_back(db);
  snapshot.dns.records = {
      {"local.zone.", 60, "SOA", "dns.local.zone. hostmaster.local.zone. 3 3600 600 86400 60"},
      {"web-one.local.zone.", 60, "A", "172.30.0.3"},
      {"web.local.zone.", 60, "A", "172.30.0.3"},
      {"web.local.zone.", 60, "A", "172.30.0.4"},
      {"3.0.30.172.in-addr.arpa.", 60, "PTR", "web-one.local.zone."}};
  return snapshot;
}

TEST(InstanceDetail, MasksSecretsAsInfoDoes) {
  auto snapshot = snapshot_with(web_one());
  auto detail = instance_detail_json(snapshot, snapshot.instances[0]);
  EXPECT_EQ(detail["env"]["GREETING"], "hello");
  EXPECT_EQ(detail["env"]["DB_PASSWORD"], "********");
  EXPECT_EQ(detail["env"]["API_TOKEN"], ""); // an empty secret shows as empty, as in `info`
  EXPECT_EQ(detail["env"]["EMPTY"], "");
  EXPECT_EQ(detail.dump().find("hunter2"), std::string::npos);
  EXPECT_EQ(detail["service"], "web");
  EXPECT_EQ(detail["restart"], "always");
}

TEST(InstanceDetail, LinksPortsPersistentFoldersAndDnsNames) {
  auto snapshot = snapshot_with(web_one());
  auto detail = instance_detail_json(snapshot, snapshot.instances[0]);
  EXPECT_EQ(detail["links"], nlohmann::json::parse(R"([
    {"alias": "db", "container": "demo-db-main", "network": "demo_net", "service": "db", "instance": "main"},
    {"alias": "old", "container": "gone", "network": "demo_net"}])"));
  EXPECT_EQ(detail["ports"], nlohmann::json::parse(R"([
    {"container_port": 80, "protocol": "tcp", "host_ip": "127.0.0.1", "host_port": 8080},
    {"container_port": 22, "protocol": "tcp", "host_ip": "", "host_port": null}])"));
  EXPECT_EQ(detail["persistent"], nlohmann::json::parse(R"([
    {"path": "/data", "host": "/p/data_demo/web-one/data"},
    {"path": "/opt", "host": "/p/data_demo/web-one/opt"}])"));
  EXPECT_EQ(detail["mounts"][1]["read_only"], true);
  EXPECT_EQ(detail["networks"]["demo_net"]["aliases"], nlohmann::json::array({"one"}));
  EXPECT_EQ(detail["dns_names"], nlohmann::json::parse(R"([
    {"name": "web-one.local.zone.", "type": "A", "record": "web-one.local.zone."},
    {"name": "web.local.zone.", "type": "A", "record": "web.local.zone."},
    {"name": "web-one.local.zone.", "type": "PTR", "record": "3.0.30.172.in-addr.arpa."}])"));
}

TEST(InstanceDetail, ReverseNames) {
  EXPECT_EQ(reverse_name("172.30.0.3"), "3.0.30.172.in-addr.arpa.");
  EXPECT_EQ(reverse_name("10.1.2.250"), "250.2.1.10.in-addr.arpa.");
  EXPECT_EQ(reverse_name("::1"), "");
  EXPECT_EQ(reverse_name(""), "");
}

class ApiTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_snapshot = std::make_shared<Snapshot>(snapshot_with(web_one()));
    m_context.snapshot = [this] { return m_snapshot; };
    m_context.figures = [] { return AgentFigures{}; };
  }
  http::Response get(const std::vector<std::string>& segments) {
    http::Request request;
    request.method = "GET";
    request.segments = segments;
    return m_router.dispatch(request);
  }
  std::shared_ptr<const Snapshot> m_snapshot;
  ApiContext m_context;
  http::Router m_router = make_api(m_context);
};

TEST_F(ApiTest, ServesTheDetailOfAnInstance) {
  auto found = get({"api", "v1", "instances", "web", "one"});
  EXPECT_EQ(found.status, 200);
  EXPECT_EQ(nlohmann::json::parse(found.body)["env"]["DB_PASSWORD"], "********");
  auto missing = get({"api", "v1", "instances", "web", "two"});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, "{\"error\":\"service web has no instance two\"}\n");
}

TEST_F(ApiTest, ListsItsRoutes) {
  auto index = get({"api", "v1"});
  ASSERT_EQ(index.status, 200);
  auto routes = nlohmann::json::parse(index.body)["routes"];
  EXPECT_EQ(routes, nlohmann::json(m_router.describe()));
  EXPECT_NE(std::find(routes.begin(), routes.end(), "POST /api/v1/instances/{service}/{instance}/restart"),
            routes.end());
  EXPECT_NE(std::find(routes.begin(), routes.end(), "GET /api/v1"), routes.end());
}

} // namespace
} // namespace dockerops::agent
