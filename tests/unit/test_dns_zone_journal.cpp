// The journal: durable appends, replay after a restart, torn tails, compaction.

#include "dns_update_support.hpp"

#include "base/fs.hpp"
#include "dns/proto/wire.hpp"
#include "dns/zone/journal.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

namespace dockerops::dns::test {
namespace {

class DnsJournal : public ::testing::Test {
protected:
  void SetUp() override {
    m_dir = std::filesystem::temp_directory_path() /
            fmt::format("dnsupdate-journal-{}-{}", ::getpid(),
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(m_dir);
    std::filesystem::create_directories(m_dir);
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }
  std::string path() const { return (m_dir / "zones.jnl").string(); }

  std::filesystem::path m_dir;
};

std::vector<Record> records_after_restart(const std::string& journal) {
  UpdateFixture g(journal);
  return g.zone()->records();
}

TEST_F(DnsJournal, ReplayRestoresEveryCommit) {
  std::vector<Record> expected;
  {
    UpdateFixture f(path());
    ASSERT_EQ(f.send(f.builder().add(rr("a A 10.3.0.1"))), rcode::noerror);
    ASSERT_EQ(f.send(f.builder().delete_rrset(name("web"), rr_type::a).add(rr("web 120 A 10.3.0.2"))),
              rcode::noerror);
    ASSERT_EQ(f.send(f.builder().add(rr("@ SOA ns hostmaster 40 3600 600 86400 60"))), rcode::noerror);
    ASSERT_EQ(f.send(f.builder().delete_name(name("alias"))), rcode::noerror);
    expected = f.zone()->records();
    f.context->set_compact_after(0);
    // Simulate a crash: no close(), so no compaction; the destructor would compact, so release the journal
    // first.
    f.context.release(); // leaked on purpose: a crashed process runs no destructors
  }
  EXPECT_EQ(records_after_restart(path()), expected);
}

TEST_F(DnsJournal, TornTailIsCutAndEarlierRecordsSurvive) {
  std::vector<Record> after_first;
  {
    UpdateFixture f(path());
    ASSERT_EQ(f.send(f.builder().add(rr("a A 10.3.0.1"))), rcode::noerror);
    after_first = f.zone()->records();
    ASSERT_EQ(f.send(f.builder().add(rr("b A 10.3.0.2"))), rcode::noerror);
    f.context.release();
  }
  auto size = std::filesystem::file_size(path());
  std::filesystem::resize_file(path(), size - 3); // the second record lost its last bytes
  EXPECT_EQ(records_after_restart(path()), after_first);
  // The cut file takes new appends after the good record.
  {
    UpdateFixture f(path());
    ASSERT_EQ(f.send(f.builder().add(rr("c A 10.3.0.3"))), rcode::noerror);
    after_first = f.zone()->records();
    f.context.release();
  }
  EXPECT_EQ(records_after_restart(path()), after_first);
}

TEST_F(DnsJournal, CorruptRecordStopsReplay) {
  std::vector<Record> after_first;
  {
    UpdateFixture f(path());
    ASSERT_EQ(f.send(f.builder().add(rr("a A 10.3.0.1"))), rcode::noerror);
    after_first = f.zone()->records();
    ASSERT_EQ(f.send(f.builder().add(rr("b A 10.3.0.2"))), rcode::noerror);
    f.context.release();
  }
  std::string data = fs::read_file(path());
  data[data.size() - 5] ^= 0x55;
  fs::write_file_atomic(path(), data, 0600);
  EXPECT_EQ(records_after_restart(path()), after_first);
}

TEST_F(DnsJournal, CompactionKeepsTheZone) {
  std::vector<Record> expected;
  {
    UpdateFixture f(path());
    f.context->set_compact_after(2);
    for (int i = 0; i < 5; ++i)
      ASSERT_EQ(f.send(f.builder().add(rr(fmt::format("n{} A 10.4.0.{}", i, i + 1)))), rcode::noerror);
    expected = f.zone()->records();
    f.context.release();
  }
  EXPECT_EQ(records_after_restart(path()), expected);
  {
    UpdateFixture f(path());
    ASSERT_EQ(f.send(f.builder().add(rr("after A 10.4.1.1"))), rcode::noerror);
    expected = f.zone()->records();
    f.context->close(); // clean shutdown compacts
    f.context.reset();
  }
  EXPECT_EQ(records_after_restart(path()), expected);
}

// A zone without a (writable) file is compacted into a snapshot in the journal. A zone file edited
// while the server was down, with its serial raised as for any master file, wins over that
// snapshot; one with the old serial does not (the updates stay).
TEST_F(DnsJournal, ZoneFileWithHigherSerialWinsOverTheSnapshot) {
  {
    UpdateFixture f(path());
    ASSERT_EQ(f.send(f.builder().add(rr("dynamic A 10.5.0.1"))), rcode::noerror);
    f.context->close(); // clean stop: the journal becomes one snapshot (serial 2)
    f.context.reset();
  }
  auto has = [](const std::vector<Record>& records, std::string_view owner) {
    return std::any_of(records.begin(), records.end(),
                       [&](const Record& r) { return r.owner == name(owner); });
  };
  {
    UpdateFixture old_file(path());
    EXPECT_TRUE(has(old_file.zone()->records(), "dynamic"));
    EXPECT_EQ(old_file.zone()->serial(), 2u);
    old_file.context.release(); // no second compaction
  }
  std::string edited = k_zone_text;
  edited.replace(edited.find("hostmaster 1 "), 13, "hostmaster 10 ");
  edited += "static IN A 10.5.0.9\n";
  UpdateFixture new_file(path(), 64, edited.c_str());
  EXPECT_TRUE(has(new_file.zone()->records(), "static"));
  EXPECT_FALSE(has(new_file.zone()->records(), "dynamic"));
  EXPECT_EQ(new_file.zone()->serial(), 10u);
  new_file.context.release();
}

// A zone loaded from a master file is compacted into that file, as BIND and Knot do: the journal
// is left empty, the file keeps its mode, and a restart from the file alone has every update.
TEST_F(DnsJournal, CompactionWritesTheZoneBackToItsFile) {
  std::string file = (m_dir / "test.zone").string();
  fs::write_file_atomic(file, k_zone_text, 0640);
  std::vector<Record> expected;
  {
    UpdateFixture f(path(), 64, k_zone_text, file);
    for (int i = 0; i < 3; ++i)
      ASSERT_EQ(f.send(f.builder().add(rr(fmt::format("n{} A 10.6.0.{}", i, i + 1)))), rcode::noerror);
    expected = f.zone()->records();
    f.context->close();
    f.context.reset();
  }
  EXPECT_EQ(std::filesystem::file_size(path()), 0u);
  EXPECT_EQ(load_zone_file(file, origin()).records(), expected);
  EXPECT_EQ(load_zone_file(file, origin()).serial(), 4u);
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                std::filesystem::perms::group_read);
  UpdateFixture restarted(path(), 64, k_zone_text, file);
  EXPECT_EQ(restarted.zone()->records(), expected);
  restarted.context.release();
}

// A crash after the file was renamed into place but before the journal was replaced: replay finds
// records the file already holds and skips them by serial.
TEST_F(DnsJournal, CrashBetweenZoneFileAndJournalLosesNothing) {
  std::string file = (m_dir / "test.zone").string();
  fs::write_file_atomic(file, k_zone_text, 0644);
  std::string before_compaction = path() + ".copy";
  std::vector<Record> expected;
  {
    UpdateFixture f(path(), 64, k_zone_text, file);
    ASSERT_EQ(f.send(f.builder().add(rr("a A 10.7.0.1"))), rcode::noerror);
    ASSERT_EQ(f.send(f.builder().delete_rr(rr("a A 10.7.0.1")).add(rr("b A 10.7.0.2"))), rcode::noerror);
    expected = f.zone()->records();
    std::filesystem::copy_file(path(), before_compaction);
    f.context->close();
    f.context.reset();
  }
  std::filesystem::rename(before_compaction, path());
  UpdateFixture restarted(path(), 64, k_zone_text, file);
  EXPECT_EQ(restarted.zone()->records(), expected);
  restarted.context.release();
}

// A file that cannot be rewritten (its folder is gone here; a read-only mount in practice) leaves
// the zone in the journal as a snapshot instead: nothing is lost.
TEST_F(DnsJournal, UnwritableZoneFileFallsBackToASnapshot) {
  std::filesystem::create_directories(m_dir / "gone");
  std::string file = (m_dir / "gone" / "test.zone").string();
  fs::write_file_atomic(file, k_zone_text, 0644);
  std::vector<Record> expected;
  {
    UpdateFixture f(path(), 64, k_zone_text, file);
    ASSERT_EQ(f.send(f.builder().add(rr("kept A 10.8.0.1"))), rcode::noerror);
    expected = f.zone()->records();
    std::filesystem::remove_all(m_dir / "gone");
    f.context->close();
    f.context.reset();
  }
  EXPECT_GT(std::filesystem::file_size(path()), 0u);
  EXPECT_EQ(records_after_restart(path()), expected); // the original text plus the journal's snapshot
}

TEST_F(DnsJournal, EncodedEntryHasMagicAndCrc) {
  JournalEntry e{
      origin(), 1, 2, {{ZoneChange::Kind::add, rr("a A 10.3.0.1"), 0}, {ZoneChange::Kind::serial, {}, 2}}};
  std::string bytes = encode_journal_entry(e);
  EXPECT_EQ(bytes.substr(0, 4), "DOJ1");
  std::uint32_t crc = get32(reinterpret_cast<const std::uint8_t*>(bytes.data()) + 8);
  EXPECT_EQ(crc, crc32(std::string_view(bytes).substr(12)));
  EXPECT_EQ(crc32("123456789"), 0xcbf43926u); // the CRC-32 check value
}

} // namespace
} // namespace dockerops::dns::test
