// RFC 2136 update processing, in-process: zone section, prerequisites (§3.2),
// prescan (§3.4.1), apply (§3.4.2), serial (§3.6), atomicity (§3.7), replies (§3.8).

#include "dns_update_support.hpp"

#include "dns/proto/serial.hpp"
#include "dns/proto/wire.hpp"

#include <gtest/gtest.h>

namespace dockerops::dns::test {
namespace {

bool has(const Zone& z, std::string_view text) {
  Record r = rr(text);
  const RRset* set = z.find(r.owner, r.type);
  return set && set->contains(r.rdata);
}

TEST(DnsUpdate, AddIsVisibleAndBumpsSerial) {
  UpdateFixture f;
  EXPECT_EQ(f.send(f.builder().add(rr("new 60 IN A 10.1.1.1"))), rcode::noerror);
  EXPECT_TRUE(has(*f.zone(), "new 60 IN A 10.1.1.1"));
  EXPECT_EQ(f.zone()->serial(), 2u);
}

TEST(DnsUpdate, ReplyEchoesIdZoneAndIsSigned) {
  UpdateFixture f;
  std::string mac;
  auto wire = f.signed_wire(f.builder().add(rr("new 60 IN A 10.1.1.1")), 0, &mac);
  auto reply = f.send_wire(wire);
  EXPECT_EQ(reply[0], wire[0]);
  EXPECT_EQ(reply[1], wire[1]);
  EXPECT_TRUE(reply[2] & 0x80);          // QR
  EXPECT_EQ((reply[2] >> 3) & 0x0f, 5);  // opcode UPDATE
  EXPECT_EQ(get16(reply.data() + 4), 1); // zone section echoed
  EXPECT_EQ(tsig_verify_response(reply, f.key, mac, f.now), TsigStatus::ok);
}

TEST(DnsUpdate, ZoneSectionChecks) {
  UpdateFixture f;
  EXPECT_EQ(f.send(f.builder().zone_type_class(rr_type::a, k_class_in)), rcode::formerr);
  EXPECT_EQ(f.send(f.builder().zone_type_class(rr_type::soa, 3 /* CH */)), rcode::notimp);
  UpdateBuilder other(name_from_text("other.zone."), 9);
  EXPECT_EQ(f.send(other), rcode::notauth);
}

TEST(DnsUpdate, UnsignedIsRefused) {
  UpdateFixture f;
  auto reply = f.send_wire(f.builder().add(rr("new 60 IN A 10.1.1.1")).wire());
  EXPECT_EQ(rcode_of(reply), rcode::refused);
  EXPECT_FALSE(has(*f.zone(), "new 60 IN A 10.1.1.1"));
}

TEST(DnsUpdate, PrerequisiteRRsetExists) {
  UpdateFixture f;
  EXPECT_EQ(f.send(f.builder().require_rrset(name("web"), rr_type::a)), rcode::noerror);
  EXPECT_EQ(f.send(f.builder().require_rrset(name("web"), rr_type::aaaa)), rcode::nxrrset);
}

TEST(DnsUpdate, PrerequisiteRRsetValueComparedAsSet) {
  UpdateFixture f;
  EXPECT_EQ(f.send(f.builder().require_rr(rr("web A 10.0.0.2")).require_rr(rr("web A 10.0.0.1"))),
            rcode::noerror);
  EXPECT_EQ(f.send(f.builder().require_rr(rr("web A 10.0.0.1"))), rcode::nxrrset); // subset is not equal
  EXPECT_EQ(f.send(f.builder().require_rr(rr("web A 10.0.0.1")).require_rr(rr("web A 10.0.0.9"))),
            rcode::nxrrset);
}

TEST(DnsUpdate, PrerequisiteRRsetDoesNotExist) {
  UpdateFixture f;
  EXPECT_EQ(f.send(f.builder().require_no_rrset(name("web"), rr_type::aaaa)), rcode::noerror);
  EXPECT_EQ(f.send(f.builder().require_no_rrset(name("web"), rr_type::a)), rcode::yxrrset);
}

TEST(DnsUpdate, PrerequisiteNameInUse) {
  UpdateFixture f;
  EXPECT_EQ(f.send(f.builder().require_name(name("web"))), rcode::noerror);
  EXPECT_EQ(f.send(f.builder().require_name(name("nothing"))), rcode::nxdomain);
}

TEST(DnsUpdate, PrerequisiteNameNotInUse) {
  UpdateFixture f;
  EXPECT_EQ(f.send(f.builder().require_no_name(name("nothing"))), rcode::noerror);
  EXPECT_EQ(f.send(f.builder().require_no_name(name("web"))), rcode::yxdomain);
}

TEST(DnsUpdate, PrerequisiteFormErrors) {
  UpdateFixture f;
  EXPECT_EQ(f.send(f.builder().raw_prerequisite({name("web"), rr_type::a, 60, {}}, k_class_any)),
            rcode::formerr);
  EXPECT_EQ(f.send(f.builder().raw_prerequisite({name("web"), rr_type::a, 0, "\x0a\0\0\x01"}, k_class_any)),
            rcode::formerr);
  EXPECT_EQ(f.send(f.builder().raw_prerequisite({name("web"), rr_type::a, 0, {}}, 3)), rcode::formerr);
  EXPECT_EQ(f.send(f.builder().require_name(name_from_text("web.elsewhere."))), rcode::notzone);
}

TEST(DnsUpdate, FailedPrerequisiteChangesNothing) {
  UpdateFixture f;
  EXPECT_EQ(f.send(f.builder().require_name(name("nothing")).add(rr("new A 10.1.1.1"))), rcode::nxdomain);
  EXPECT_FALSE(has(*f.zone(), "new A 10.1.1.1"));
  EXPECT_EQ(f.zone()->serial(), 1u);
}

TEST(DnsUpdate, PrescanErrors) {
  UpdateFixture f;
  EXPECT_EQ(f.send(f.builder().add(Record{name_from_text("x.elsewhere."), rr_type::a, 60, "\1\2\3\4"})),
            rcode::notzone);
  EXPECT_EQ(f.send(f.builder().raw_update(rr("x A 10.1.1.1"), 3)), rcode::formerr);               // class CH
  EXPECT_EQ(f.send(f.builder().add(Record{name("x"), rr_type::axfr, 60, "\1"})), rcode::formerr); // meta type
  EXPECT_EQ(f.send(f.builder().add(Record{name("x"), rr_type::a, 0x80000000u, "\1\2\3\4"})), rcode::formerr);
  EXPECT_EQ(f.send(f.builder().raw_update({name("web"), rr_type::a, 5, {}}, k_class_any)), rcode::formerr);
  EXPECT_EQ(f.send(f.builder().raw_update({name("web"), rr_type::a, 0, "\1\2\3\4"}, k_class_any)),
            rcode::formerr);
  EXPECT_EQ(f.send(f.builder().raw_update({name("web"), rr_type::a, 5, "\1\2\3\4"}, k_class_none)),
            rcode::formerr);
  EXPECT_EQ(f.send(f.builder().raw_update({name("web"), rr_type::any, 0, {}}, k_class_none)), rcode::formerr);
  // A prescan failure after a valid add leaves the zone untouched (§3.4.1: before any change).
  EXPECT_EQ(f.send(f.builder().add(rr("ok A 10.1.1.1")).raw_update(rr("x A 10.1.1.1"), 3)), rcode::formerr);
  EXPECT_FALSE(has(*f.zone(), "ok A 10.1.1.1"));
}

TEST(DnsUpdate, DuplicateRdataReplacesTtl) {
  UpdateFixture f;
  EXPECT_EQ(f.send(f.builder().add(rr("web 300 IN A 10.0.0.1"))), rcode::noerror);
  const RRset* set = f.zone()->find(name("web"), rr_type::a);
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->size(), 2u);
  EXPECT_EQ(set->ttl(), 300u);
}

TEST(DnsUpdate, CnameCoexistenceRules) {
  UpdateFixture f;
  EXPECT_EQ(f.send(f.builder().add(rr("alias A 10.9.9.9"))), rcode::noerror); // ignored: CNAME there
  EXPECT_FALSE(has(*f.zone(), "alias A 10.9.9.9"));
  EXPECT_EQ(f.send(f.builder().add(rr("web CNAME ns"))), rcode::noerror); // ignored: A there
  EXPECT_EQ(f.zone()->find(name("web"), rr_type::cname), nullptr);
  EXPECT_EQ(f.send(f.builder().add(rr("alias CNAME ns"))), rcode::noerror); // replaces the CNAME
  const RRset* cname = f.zone()->find(name("alias"), rr_type::cname);
  ASSERT_NE(cname, nullptr);
  EXPECT_EQ(cname->size(), 1u);
  EXPECT_TRUE(has(*f.zone(), "alias CNAME ns"));
}

TEST(DnsUpdate, SoaOnlyWithHigherSerialAndNoExtraBump) {
  UpdateFixture f;
  EXPECT_EQ(f.send(f.builder().add(rr("@ SOA ns hostmaster 0 3600 600 86400 60"))), rcode::noerror);
  EXPECT_EQ(f.zone()->serial(), 1u); // lower serial ignored, nothing changed, no bump
  EXPECT_EQ(f.send(f.builder().add(rr("@ SOA ns hostmaster 50 3600 600 86400 60"))), rcode::noerror);
  EXPECT_EQ(f.zone()->serial(), 50u);
  EXPECT_EQ(f.zone()->soa()->size(), 1u);
}

TEST(DnsUpdate, DeleteRRsetNameAndRR) {
  UpdateFixture f;
  EXPECT_EQ(f.send(f.builder().delete_rr(rr("web A 10.0.0.1"))), rcode::noerror);
  EXPECT_FALSE(has(*f.zone(), "web A 10.0.0.1"));
  EXPECT_TRUE(has(*f.zone(), "web A 10.0.0.2"));
  EXPECT_EQ(f.send(f.builder().delete_rrset(name("web"), rr_type::a)), rcode::noerror);
  EXPECT_EQ(f.zone()->find_node(name("web")), nullptr);
  EXPECT_EQ(f.send(f.builder().delete_name(name("alias"))), rcode::noerror);
  EXPECT_EQ(f.zone()->find_node(name("alias")), nullptr);
}

TEST(DnsUpdate, ApexSoaAndNsSurvive) {
  UpdateFixture f;
  EXPECT_EQ(f.send(f.builder().add(rr("@ TXT \"hello\""))), rcode::noerror);
  EXPECT_EQ(f.send(f.builder().delete_name(origin())), rcode::noerror);
  EXPECT_NE(f.zone()->soa(), nullptr);
  EXPECT_NE(f.zone()->find(origin(), rr_type::ns), nullptr);
  EXPECT_EQ(f.zone()->find(origin(), rr_type::txt), nullptr);
  EXPECT_EQ(f.send(f.builder().delete_rrset(origin(), rr_type::ns)), rcode::noerror);
  EXPECT_EQ(f.send(f.builder().delete_rrset(origin(), rr_type::soa)), rcode::noerror);
  EXPECT_EQ(f.send(f.builder().delete_rr(rr("@ NS ns"))), rcode::noerror); // the last NS
  EXPECT_EQ(f.send(f.builder().delete_rr(rr("@ SOA ns hostmaster 3 3600 600 86400 60"))), rcode::noerror);
  EXPECT_NE(f.zone()->soa(), nullptr);
  ASSERT_NE(f.zone()->find(origin(), rr_type::ns), nullptr);
  EXPECT_EQ(f.zone()->find(origin(), rr_type::ns)->size(), 1u);
  // With a second NS, one of them can go.
  EXPECT_EQ(f.send(f.builder().add(rr("@ NS ns2")).delete_rr(rr("@ NS ns"))), rcode::noerror);
  EXPECT_TRUE(has(*f.zone(), "@ NS ns2"));
  EXPECT_FALSE(has(*f.zone(), "@ NS ns"));
}

TEST(DnsUpdate, ReplaceIsAtomicInOneMessage) {
  UpdateFixture f;
  EXPECT_EQ(f.send(f.builder().delete_rrset(name("web"), rr_type::a).add(rr("web A 10.0.0.7"))),
            rcode::noerror);
  const RRset* set = f.zone()->find(name("web"), rr_type::a);
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->size(), 1u);
  EXPECT_TRUE(has(*f.zone(), "web A 10.0.0.7"));
}

TEST(DnsUpdate, BatchSharesOneSerialAndSeesEarlierUpdates) {
  UpdateFixture f;
  std::vector<UpdateRequest> batch(3);
  batch[0].wire = f.signed_wire(f.builder().add(rr("a1 A 10.2.0.1")));
  batch[1].wire = f.signed_wire(f.builder().require_name(name("a1")).add(rr("a2 A 10.2.0.2")));
  batch[2].wire = f.signed_wire(f.builder().require_no_name(name("a1")).add(rr("a3 A 10.2.0.3")));
  auto replies = f.context->process_batch(batch);
  EXPECT_EQ(rcode_of(*replies[0]), rcode::noerror);
  EXPECT_EQ(rcode_of(*replies[1]), rcode::noerror);
  EXPECT_EQ(rcode_of(*replies[2]), rcode::yxdomain);
  EXPECT_TRUE(has(*f.zone(), "a2 A 10.2.0.2"));
  EXPECT_FALSE(has(*f.zone(), "a3 A 10.2.0.3"));
  EXPECT_EQ(f.zone()->serial(), 2u); // one bump for the batch (§3.6)
}

// Names in rdata compare without regard to case (RFC 2136 §1.1, RFC 4343). Zone files and updates
// store them lowercase; data in another case (a journal of an older version) still matches.
TEST(DnsUpdate, RdataNamesCompareWithoutCase) {
  UpdateFixture f;
  {
    auto txn = f.zones.find_exact(origin())->begin();
    txn.zone().add(Record{name("5"), rr_type::ptr, 60, std::string("\3Web\5Local\4Zone\0", 16)});
    txn.zone().add(Record{name("mail"), rr_type::mx, 60, std::string("\0\12\3MX1\5Local\4Zone\0", 18)});
    txn.commit();
  }
  // §2.4.2 value-dependent prerequisite, spelt in another case.
  EXPECT_EQ(f.send(f.builder().require_rr(rr("5 0 IN PTR web.local.zone."))), rcode::noerror);
  EXPECT_EQ(f.send(f.builder()
                       .require_rr(rr("5 0 IN PTR WEB.local.zone."))
                       .require_rr(rr("5 0 IN PTR web.LOCAL.zone."))),
            rcode::noerror); // the same RR twice is one RR
  EXPECT_EQ(f.send(f.builder().require_rr(rr("mail 0 IN MX 10 mx1.local.zone."))), rcode::noerror);
  EXPECT_EQ(f.send(f.builder().require_rr(rr("mail 0 IN MX 20 mx1.local.zone."))), rcode::nxrrset);
  // Re-adding it in another case adds no duplicate.
  EXPECT_EQ(f.send(f.builder().add(rr("5 60 IN PTR web.local.zone."))), rcode::noerror);
  EXPECT_EQ(f.zone()->find(name("5"), rr_type::ptr)->size(), 1u);
  // §2.5.4 deleting it in another case deletes it.
  EXPECT_EQ(f.send(f.builder().delete_rr(rr("5 0 IN PTR WEB.local.zone."))), rcode::noerror);
  EXPECT_EQ(f.zone()->find(name("5"), rr_type::ptr), nullptr);
  EXPECT_EQ(f.send(f.builder().delete_rr(rr("mail 0 IN MX 10 mx1.LOCAL.zone."))), rcode::noerror);
  EXPECT_EQ(f.zone()->find(name("mail"), rr_type::mx), nullptr);
}

TEST(DnsUpdate, SerialArithmetic) {
  EXPECT_TRUE(serial_gt(2, 1));
  EXPECT_FALSE(serial_gt(1, 2));
  EXPECT_TRUE(serial_gt(0, 0xffffffffu)); // wrap (RFC 1982 §3.2)
  EXPECT_FALSE(serial_gt(5, 5));
  EXPECT_EQ(serial_add(0xffffffffu, 1), 0u);
  EXPECT_FALSE(serial_gt(0x80000000u, 0)); // undefined pair: not greater
}

TEST(DnsUpdate, SerialBumpWraps) {
  UpdateFixture f;
  // 4294967295 is not "greater" than 1 (RFC 1982): it takes two steps of < 2^31.
  EXPECT_EQ(f.send(f.builder().add(rr("@ SOA ns hostmaster 4294967295 3600 600 86400 60"))), rcode::noerror);
  EXPECT_EQ(f.zone()->serial(), 1u);
  EXPECT_EQ(f.send(f.builder().add(rr("@ SOA ns hostmaster 2147483648 3600 600 86400 60"))), rcode::noerror);
  EXPECT_EQ(f.send(f.builder().add(rr("@ SOA ns hostmaster 4294967295 3600 600 86400 60"))), rcode::noerror);
  EXPECT_EQ(f.zone()->serial(), 4294967295u);
  EXPECT_EQ(f.send(f.builder().add(rr("x A 10.1.1.1"))), rcode::noerror);
  EXPECT_EQ(f.zone()->serial(), 0u);
}

} // namespace
} // namespace dockerops::dns::test

namespace dockerops::dns::test {
namespace {

// Group commit: updates queued while the committer is busy (here: before it
// starts) are committed together: one journal append, one fsync, one serial.
TEST(DnsUpdateGroupCommit, QueuedUpdatesShareOneCommit) {
  UpdateFixture f;
  UpdateCompletions done;
  for (std::uint64_t i = 0; i < 50; ++i) {
    UpdateRequest request;
    request.wire = f.signed_wire(f.builder().add(rr(fmt::format("g{} A 10.7.0.{}", i, i + 1))));
    f.context->submit(std::move(request), [&done, i](auto reply) { done.push(i, std::move(reply)); });
  }
  f.context->start();
  f.context->close(); // drains the queue, then stops the committer
  auto replies = done.drain();
  ASSERT_EQ(replies.size(), 50u);
  for (auto& [token, reply] : replies)
    EXPECT_EQ(rcode_of(reply.value()), rcode::noerror) << token;
  EXPECT_EQ(f.context->commits(), 1u);
  EXPECT_EQ(f.context->committed_updates(), 50u);
  EXPECT_EQ(f.zone()->serial(), 2u);
  EXPECT_NE(f.zone()->find(name("g49"), rr_type::a), nullptr);
}

} // namespace
} // namespace dockerops::dns::test
