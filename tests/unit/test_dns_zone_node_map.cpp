// NodeMap: versions share shards copy-on-write; a write to a copy never shows in the original.
#include "dns/zone/node_map.hpp"
#include "dns/zone/zone.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace dockerops::dns {
namespace {

std::set<std::string> names_of(const NodeMap& map) {
  std::set<std::string> out;
  map.for_each([&](std::string_view name, const Node&) { out.emplace(name); });
  return out;
}

TEST(DnsNodeMap, CopiesShareUntilWritten) {
  NodeMap first;
  for (int i = 0; i < 1000; ++i)
    first.insert("name" + std::to_string(i), std::make_shared<Node>());
  NodeMap second = first;
  const std::shared_ptr<Node>* shared = second.find("name7");
  ASSERT_NE(shared, nullptr);
  EXPECT_EQ(shared, first.find("name7")); // the same shard, not a copy

  second.insert("new", std::make_shared<Node>());
  second.erase("name1");
  std::shared_ptr<Node>* writable = second.find_writable("name7");
  ASSERT_NE(writable, nullptr);
  EXPECT_NE(writable, first.find("name7"));               // its shard was cloned for the write
  EXPECT_EQ(writable->get(), first.find("name7")->get()); // the Node itself is still shared

  EXPECT_EQ(first.find("new"), nullptr);
  EXPECT_NE(first.find("name1"), nullptr);
  EXPECT_EQ(second.find("name1"), nullptr);
  EXPECT_EQ(names_of(first).size(), 1000u);
  EXPECT_EQ(names_of(second).size(), 1000u);
  EXPECT_EQ(second.find_writable("absent"), nullptr);
}

TEST(DnsNodeMap, ZoneVersionsStayIndependent) {
  Zone v1(name_from_text("local.zone."));
  v1.add({name_from_text("a.local.zone."), rr_type::a, 60, std::string("\x0a\x00\x00\x01", 4)});
  Zone v2 = v1;
  v2.add({name_from_text("a.local.zone."), rr_type::a, 60, std::string("\x0a\x00\x00\x02", 4)});
  v2.add({name_from_text("b.x.local.zone."), rr_type::a, 60, std::string("\x0a\x00\x00\x03", 4)});
  EXPECT_EQ(v1.record_count(name_from_text("a.local.zone.")), 1u);
  EXPECT_EQ(v2.record_count(name_from_text("a.local.zone.")), 2u);
  EXPECT_EQ(v1.find_node(name_from_text("x.local.zone.")), nullptr);
  EXPECT_NE(v2.find_node(name_from_text("x.local.zone.")), nullptr); // empty non-terminal
  v2.remove_name(name_from_text("b.x.local.zone."));
  EXPECT_EQ(v2.find_node(name_from_text("x.local.zone.")), nullptr);
  EXPECT_EQ(v1.name_count(), 1u);
}

} // namespace
} // namespace dockerops::dns
