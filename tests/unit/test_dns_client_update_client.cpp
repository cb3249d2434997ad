// The update client: pure helpers, and a round trip against the real server
// loop started in-process on 127.0.0.1 (port chosen by the kernel).

#include "dns_update_support.hpp"

#include "base/error.hpp"
#include "dns/client/update_client.hpp"
#include "dns/server/server.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>

namespace dockerops::dns::test {
namespace {

TEST(DnsClient, ReverseNames) {
  EXPECT_EQ(reverse_name("172.30.0.5"), "5.0.30.172.in-addr.arpa.");
  EXPECT_EQ(reverse_zone_24("172.30.0.5"), "0.30.172.in-addr.arpa.");
}

TEST(DnsClient, DesiredAddressesFollowPolicies) {
  std::vector<Registration> regs = {
      {"web-1.local.zone.", "web.local.zone.", "10.0.0.1", RegistrationPolicy::append, 60, true, ""},
      {"web-2.local.zone.", "web.local.zone.", "10.0.0.2", RegistrationPolicy::append, 60, true, ""},
      {"db-1.local.zone.", "db.local.zone.", "10.0.0.3", RegistrationPolicy::replace, 60, true, ""},
      {"db-2.local.zone.", "db.local.zone.", "10.0.0.4", RegistrationPolicy::replace, 60, true, ""},
      {"hidden-1.local.zone.", "hidden.local.zone.", "10.0.0.5", RegistrationPolicy::hide, 60, true, ""},
  };
  AddressMap want = desired_addresses(regs);
  EXPECT_EQ(want["web.local.zone."], (std::set<std::string>{"10.0.0.1", "10.0.0.2"}));
  EXPECT_EQ(want["db.local.zone."], (std::set<std::string>{"10.0.0.4"}));
  EXPECT_EQ(want["web-2.local.zone."], (std::set<std::string>{"10.0.0.2"}));
  EXPECT_FALSE(want.contains("hidden.local.zone."));
  EXPECT_FALSE(want.contains("hidden-1.local.zone."));
}

TEST(DnsClient, SyncUpdatesAreTheDifference) {
  AddressMap current = {{"web.local.zone.", {"10.0.0.1", "10.0.0.9"}}, {"old.local.zone.", {"10.0.0.8"}}};
  AddressMap desired = {{"web.local.zone.", {"10.0.0.1", "10.0.0.2"}}};
  UpdateBuilder b(origin(), 1);
  EXPECT_EQ(add_sync_updates(b, current, desired), 3u); // -old 10.0.0.8, -web 10.0.0.9, +web 10.0.0.2
  EXPECT_EQ(b.update_count(), 3u);
  UpdateBuilder none(origin(), 2);
  EXPECT_EQ(add_sync_updates(none, desired, desired), 0u);
}

TEST(DnsClient, DesiredPointersSkipHiddenIpv6AndNoPtr) {
  std::vector<Registration> regs = {
      {"web-1.local.zone.", "web.local.zone.", "10.0.0.11", RegistrationPolicy::append, 60, true, ""},
      {"web-2.local.zone.", "web.local.zone.", "10.0.0.12", RegistrationPolicy::hide, 60, true, ""},
      {"web-3.local.zone.", "web.local.zone.", "fd00::3", RegistrationPolicy::append, 60, true, ""},
      {"web-4.local.zone.", "web.local.zone.", "10.0.0.14", RegistrationPolicy::append, 60, false, ""}};
  EXPECT_EQ(desired_pointers(regs), (AddressMap{{"11.0.0.10.in-addr.arpa.", {"web-1.local.zone."}}}));
}

TEST(DnsClient, ManagedAddressesAreTheProjectSubnetAndWhatIsWanted) {
  std::vector<Record> records = {
      rr("@ 60 IN NS ns"),         rr("gone 60 IN A 10.0.0.40"),   rr("static 60 IN A 192.0.2.7"),
      rr("web 60 IN A 10.0.0.11"), rr("web 60 IN A 198.51.100.1"), rr("v6 60 IN AAAA fd00::1"),
      rr("v6 60 IN AAAA fd00::2")};
  AddressMap desired = {{"WEB.local.zone.", {"10.0.0.11"}}, {"v6.local.zone.", {"fd00::1"}}};
  // In 10.0.0.0/24, plus the wanted AAAA; 192.0.2.7, 198.51.100.1 and fd00::2 are not ours.
  EXPECT_EQ(managed_addresses(records, "10.0.0.2", desired), (AddressMap{{"gone.local.zone.", {"10.0.0.40"}},
                                                                         {"web.local.zone.", {"10.0.0.11"}},
                                                                         {"v6.local.zone.", {"fd00::1"}}}));
  EXPECT_EQ(zone_pointers({rr("@ 60 IN NS ns"), rr("x 60 IN A 10.0.0.1")}), AddressMap{});
}

// The real server loop with the update path, on 127.0.0.1 and a kernel-chosen port.
struct LoopbackServer {
  ZoneSet zones;
  std::shared_ptr<UpdateContext> context;
  std::unique_ptr<Server> server;

  LoopbackServer() {
    zones.add(parse_zone_text(k_zone_text, origin(), "test.zone"));
    zones.add(
        make_minimal_zone(name_from_text("0.0.10.in-addr.arpa."), name_from_text("ns.local.zone."), ""));
    context = make_update_context(UpdateConfig{}, zones);
    context->add_key(test_key());
    ServerConfig config;
    config.port = 0;
    server = std::make_unique<Server>(config, zones, context);
    server->start();
  }
  ~LoopbackServer() {
    server->stop();
    context->close();
  }
  UpdateClient client(TsigKey key = test_key()) {
    ClientOptions options;
    options.server_ip = "127.0.0.1";
    options.port = server->port();
    return UpdateClient(options, std::move(key), "local.zone.");
  }
};

// The addresses (A and AAAA) the server's zone holds at `fqdn` now.
std::set<std::string> addresses(const LoopbackServer& s, const std::string& fqdn) {
  std::set<std::string> out;
  auto zone = s.zones.find_exact(origin())->snapshot();
  for (std::uint16_t type : {rr_type::a, rr_type::aaaa})
    if (const RRset* set = zone->find(name_from_text(fqdn), type))
      for (std::size_t i = 0; i < set->size(); ++i) {
        char text[INET6_ADDRSTRLEN];
        ::inet_ntop(type == rr_type::a ? AF_INET : AF_INET6, set->rdata(i).data(), text, sizeof text);
        out.insert(text);
      }
  return out;
}

TEST(DnsClient, RegisterAppendReplaceAndDeregister) {
  LoopbackServer s;
  UpdateClient c = s.client();
  Registration one{
      "web-1.local.zone.", "web.local.zone.", "10.0.0.11", RegistrationPolicy::append, 60, true, ""};
  Registration two{
      "web-2.local.zone.", "web.local.zone.", "10.0.0.12", RegistrationPolicy::append, 60, true, ""};
  c.register_instance(one);
  c.register_instance(two);
  // The zone file's web has 10.0.0.1 and 10.0.0.2 already: APPEND adds to them.
  EXPECT_EQ(addresses(s, "web.local.zone."),
            (std::set<std::string>{"10.0.0.1", "10.0.0.2", "10.0.0.11", "10.0.0.12"}));
  EXPECT_EQ(addresses(s, "web-1.local.zone."), (std::set<std::string>{"10.0.0.11"}));
  const RRset* ptr = s.zones.find_exact(name_from_text("0.0.10.in-addr.arpa."))
                         ->snapshot()
                         ->find(name_from_text("11.0.0.10.in-addr.arpa."), rr_type::ptr);
  ASSERT_NE(ptr, nullptr);
  EXPECT_EQ(ptr->rdata(0), name_from_text("web-1.local.zone."));

  // A recreated instance with a new address keeps no stale one.
  one.ip = "10.0.0.21";
  c.register_instance(one);
  EXPECT_EQ(addresses(s, "web-1.local.zone."), (std::set<std::string>{"10.0.0.21"}));

  c.deregister_instance(two);
  EXPECT_EQ(addresses(s, "web.local.zone."),
            (std::set<std::string>{"10.0.0.1", "10.0.0.2", "10.0.0.11", "10.0.0.21"}));
  EXPECT_TRUE(addresses(s, "web-2.local.zone.").empty());

  Registration db{
      "db-1.local.zone.", "web.local.zone.", "10.0.0.31", RegistrationPolicy::replace, 60, false, ""};
  c.register_instance(db);
  EXPECT_EQ(addresses(s, "web.local.zone."), (std::set<std::string>{"10.0.0.31"}));
}

TEST(DnsClient, TransferReturnsTheZone) {
  LoopbackServer s;
  UpdateClient c = s.client();
  std::vector<Record> got = c.transfer("local.zone.");
  std::vector<Record> want = s.zones.find_exact(origin())->snapshot()->records();
  EXPECT_EQ(got, want);
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got.front().type, rr_type::soa);
}

TEST(DnsClient, TransferErrorsAreClear) {
  LoopbackServer s;
  TsigKey wrong = test_key();
  wrong.secret[0] ^= 1;
  auto message = [&](TsigKey key, const std::string& zone) {
    try {
      s.client(std::move(key)).transfer(zone);
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::dns);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  std::string where = fmt::format("zone transfer of other.zone. from 127.0.0.1:{}: ", s.server->port());
  EXPECT_EQ(message(test_key(), "other.zone."),
            where + "the server is not authoritative for other.zone.; check the zone name");
  EXPECT_NE(message(wrong, "local.zone.").find("the secret differs from the server's"), std::string::npos);
}

TEST(DnsClient, SyncSendsTheDifferenceInTheSubnet) {
  LoopbackServer s;
  UpdateClient c = s.client();
  // The zone file has web = 10.0.0.1 and 10.0.0.2 in 10.0.0.0/24, ns = 127.0.0.1 outside it.
  c.send("local.zone.", [](UpdateBuilder& b) {
    b.add(rr("gone-one 60 IN A 10.0.0.77")).add(rr("static 60 IN A 192.0.2.7"));
  });
  AddressMap desired = {{"web.local.zone.", {"10.0.0.2", "10.0.0.3"}}, {"api.local.zone.", {"10.0.0.4"}}};
  EXPECT_EQ(c.sync(desired, "10.0.0.2"), 4u); // -web 10.0.0.1, +web 10.0.0.3, +api, -gone-one
  EXPECT_EQ(addresses(s, "web.local.zone."), (std::set<std::string>{"10.0.0.2", "10.0.0.3"}));
  EXPECT_TRUE(addresses(s, "gone-one.local.zone.").empty());
  EXPECT_EQ(addresses(s, "static.local.zone."), std::set<std::string>{"192.0.2.7"});
  EXPECT_EQ(addresses(s, "ns.local.zone."), std::set<std::string>{"127.0.0.1"});
  EXPECT_EQ(c.sync(desired, "10.0.0.2"), 0u);
}

TEST(DnsClient, SyncPointersFixesStaleAndMissingPtrs) {
  LoopbackServer s;
  UpdateClient c = s.client();
  Registration gone{
      "old-1.local.zone.", "old.local.zone.", "10.0.0.40", RegistrationPolicy::append, 60, true, ""};
  c.register_instance(gone); // then it went away while nobody deregistered it
  std::string zone = "0.0.10.in-addr.arpa.";
  auto pointers = [&] { return zone_pointers(c.transfer(zone)); };
  EXPECT_EQ(pointers(), (AddressMap{{"40.0.0.10.in-addr.arpa.", {"old-1.local.zone."}}}));
  AddressMap desired = {{"11.0.0.10.in-addr.arpa.", {"web-1.local.zone."}}};
  EXPECT_EQ(c.sync_pointers(zone, desired), 2u); // -40 -> old-1, +11 -> web-1
  EXPECT_EQ(pointers(), desired);
  EXPECT_EQ(c.sync_pointers(zone, desired), 0u);
}

TEST(DnsClient, WrongSecretAndUnknownKeyAreClearErrors) {
  LoopbackServer s;
  TsigKey wrong = test_key();
  wrong.secret[3] ^= 0x20;
  Registration r{
      "web-1.local.zone.", "web.local.zone.", "10.0.0.11", RegistrationPolicy::append, 60, false, ""};
  try {
    s.client(wrong).register_instance(r);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::dns);
    EXPECT_NE(std::string(e.what()).find("the secret differs from the server's"), std::string::npos)
        << e.what();
  }
  TsigKey stranger = test_key();
  stranger.name = "stranger.";
  try {
    s.client(stranger).register_instance(r);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("does not know TSIG key stranger."), std::string::npos) << e.what();
  }
}

TEST(DnsClient, NoServerIsABoundedFailure) {
  ClientOptions options;
  options.server_ip = "127.0.0.1";
  options.port = 1; // nothing listens there: connection refused, retried, then an error
  options.attempts = 2;
  options.retry_delay = std::chrono::milliseconds(0); // unit tests never sleep
  UpdateClient c(options, test_key(), "local.zone.");
  try {
    c.send("local.zone.", [](UpdateBuilder&) {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no answer after 2 attempts"), std::string::npos) << e.what();
  }
}

} // namespace
} // namespace dockerops::dns::test
