// The permission layer (RFC 2136 §3.3): per-name cap and per-message cap.

#include "dns_update_support.hpp"

#include "dns/proto/wire.hpp"

#include <gtest/gtest.h>

namespace dockerops::dns::test {
namespace {

TEST(DnsPolicy, AppendCannotExplodeAName) {
  UpdateFixture f("", 3);
  EXPECT_EQ(f.send(f.builder().add(rr("web A 10.0.0.3"))), rcode::noerror); // 3 records: at the cap
  EXPECT_EQ(f.send(f.builder().add(rr("web A 10.0.0.4"))), rcode::refused);
  EXPECT_EQ(f.zone()->find(name("web"), rr_type::a)->size(), 3u);
  EXPECT_EQ(f.send(f.builder().add(rr("web A 10.0.0.3"))), rcode::noerror); // idempotent re-add is fine
}

TEST(DnsPolicy, RefusedUpdateIsRolledBackAloneInABatch) {
  UpdateFixture f("", 3);
  std::vector<UpdateRequest> batch(2);
  batch[0].wire = f.signed_wire(f.builder().add(rr("other A 10.5.0.1")));
  batch[1].wire =
      f.signed_wire(f.builder().add(rr("x A 10.5.0.9")).add(rr("web A 10.0.0.3")).add(rr("web A 10.0.0.4")));
  auto replies = f.context->process_batch(batch);
  EXPECT_EQ(rcode_of(*replies[0]), rcode::noerror);
  EXPECT_EQ(rcode_of(*replies[1]), rcode::refused);
  EXPECT_NE(f.zone()->find(name("other"), rr_type::a), nullptr);
  EXPECT_EQ(f.zone()->find(name("x"), rr_type::a), nullptr);
  EXPECT_EQ(f.zone()->find(name("web"), rr_type::a)->size(), 2u);
}

TEST(DnsPolicy, TooManyRecordsInOneMessage) {
  UpdateFixture f;
  f.context->policy().max_records_per_update = 4;
  UpdateBuilder b = f.builder();
  for (int i = 0; i < 5; ++i)
    b.add(rr(fmt::format("n{} A 10.6.0.{}", i, i + 1)));
  EXPECT_EQ(f.send(b), rcode::refused);
  EXPECT_EQ(f.zone()->find(name("n0"), rr_type::a), nullptr);
}

TEST(DnsPolicy, RollbackRestoresTtl) {
  UpdateFixture f("", 2);
  // The second update raises web's TTL, then exceeds the cap: once the batch
  // commits (the first update), web's TTL must still be 60.
  std::vector<UpdateRequest> batch(2);
  batch[0].wire = f.signed_wire(f.builder().add(rr("other A 10.5.0.1")));
  batch[1].wire = f.signed_wire(f.builder().add(rr("web 600 A 10.0.0.1")).add(rr("web 600 A 10.0.0.5")));
  auto replies = f.context->process_batch(batch);
  EXPECT_EQ(rcode_of(*replies[1]), rcode::refused);
  EXPECT_NE(f.zone()->find(name("other"), rr_type::a), nullptr);
  EXPECT_EQ(f.zone()->find(name("web"), rr_type::a)->ttl(), 60u);
  EXPECT_EQ(f.zone()->find(name("web"), rr_type::a)->size(), 2u);
}

// DNAME is not served, so an update may not add one (a zone file may not hold one either).
TEST(DnsPolicy, DnameAddsAreRefused) {
  UpdateFixture f;
  EXPECT_EQ(f.send(f.builder().add(rr("old 60 IN DNAME new.example."))), rcode::refused);
  EXPECT_EQ(f.zone()->find(name("old"), rr_type::dname), nullptr);
  EXPECT_EQ(f.send(f.builder().delete_rrset(name("old"), rr_type::dname)),
            rcode::noerror); // deleting is harmless
}

} // namespace
} // namespace dockerops::dns::test
