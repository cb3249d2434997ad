#include "dns/zone/journal.hpp"

#include "base/error.hpp"
#include "base/fs.hpp"
#include "base/log.hpp"
#include "dns/proto/serial.hpp"
#include "dns/proto/wire_reader.hpp"
#include "dns/zone/zone_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace dockerops::dns {

namespace {

constexpr std::uint32_t k_magic = 0x444f4a31; // "DOJ1"
constexpr std::size_t k_record_header = 12;
constexpr std::uint8_t k_kind_changes = 1;
constexpr std::uint8_t k_kind_snapshot = 2;

void put_record(std::string& out, const Record& rr) {
  out.push_back(static_cast<char>(rr.owner.size()));
  out += rr.owner;
  append16(out, rr.type);
  append32(out, rr.ttl);
  append16(out, static_cast<std::uint16_t>(rr.rdata.size()));
  out += rr.rdata;
}

// Bounds-checked reader over a payload whose CRC matched; a failure here means
// a bug or a foreign file, not a torn write.
class Reader {
public:
  explicit Reader(std::string_view data) : m_data(data) {}
  std::string_view take(std::size_t n) {
    if (m_pos + n > m_data.size())
      fail(ErrorKind::io, "journal: record shorter than its contents");
    std::string_view out = m_data.substr(m_pos, n);
    m_pos += n;
    return out;
  }
  std::uint8_t u8() { return static_cast<std::uint8_t>(take(1)[0]); }
  std::uint16_t u16() { return get16(take(2), 0); }
  std::uint32_t u32() { return get32(take(4), 0); }
  Record record() {
    Record rr;
    rr.owner = std::string(take(u8()));
    rr.type = u16();
    rr.ttl = u32();
    rr.rdata = std::string(take(u16()));
    return rr;
  }

private:
  std::string_view m_data;
  std::size_t m_pos = 0;
};

std::string frame(const std::string& payload) {
  std::string out;
  append32(out, k_magic);
  append32(out, static_cast<std::uint32_t>(payload.size()));
  append32(out, crc32(payload));
  return out + payload;
}

std::string encode_snapshot(const Zone& zone) {
  std::string p;
  p.push_back(static_cast<char>(k_kind_snapshot));
  p.push_back(static_cast<char>(zone.origin().size()));
  p += zone.origin();
  std::vector<Record> records = zone.records();
  append32(p, zone.serial());
  append32(p, zone.serial());
  append32(p, static_cast<std::uint32_t>(records.size()));
  for (const Record& rr : records)
    put_record(p, rr);
  return frame(p);
}

void write_all(int fd, const std::string& data, const std::string& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      fail(ErrorKind::io, "{}: cannot write journal: {}", path, std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
}

// Rewrites a zone's master file as BIND and Knot flush a dynamic zone: a temporary file beside it,
// fsynced, renamed over it, the folder fsynced, so a crash leaves the old or the new file, never a
// mix. The file keeps its mode. False, with a warning, when it cannot be written (a read-only
// mount, say): the journal then keeps a snapshot of the zone instead.
bool write_zone_file(const Zone& zone, const std::string& path) {
  std::string text = fmt::format("; {}: written by dockerops-dnsd from its journal, serial {}.\n"
                                 "; To edit it, stop the server, edit, and raise the SOA serial.\n",
                                 name_to_text(zone.origin()), zone.serial()) +
                     zone_to_text(zone);
  try {
    fs::write_file_atomic(path, text, fs::file_mode_or(path, 0644));
    return true;
  } catch (const Error& e) {
    log::warning("journal: {}; the journal keeps the zone", e.what());
    return false;
  }
}

// Applies one decoded record; returns +1 applied, 0 skipped.
int replay_one(std::string_view payload, ZoneSet& zones, JournalReplay& result) {
  Reader r(payload);
  std::uint8_t kind = r.u8();
  WireName origin(r.take(r.u8()));
  std::uint32_t before = r.u32();
  std::uint32_t after = r.u32();
  std::uint32_t count = r.u32();
  ZoneStore* store = zones.find_exact(origin);
  if (!store) {
    log::warning("journal: skipping changes for zone {} which is no longer served", name_to_text(origin));
    return 0;
  }
  std::uint32_t current = store->snapshot()->serial();
  if (kind == k_kind_snapshot) {
    if (serial_gt(current, after)) {
      log::warning(
          "journal: zone file of {} (serial {}) is newer than the journal snapshot ({}); keeping the file",
          name_to_text(origin), current, after);
      return 0;
    }
    Zone zone(origin);
    for (std::uint32_t i = 0; i < count; ++i)
      zone.add(r.record());
    zone.check();
    store->replace(std::move(zone));
    ++result.snapshots;
    return 1;
  }
  if (kind != k_kind_changes)
    fail(ErrorKind::io, "journal: unknown record kind {}", kind);
  if (current != before) {
    if (!serial_gt(after, current))
      return 0; // already contained in the loaded zone
    log::warning("journal: changes for {} start at serial {} but the zone has {}; ignoring the rest",
                 name_to_text(origin), before, current);
    return -1;
  }
  auto txn = store->begin();
  for (std::uint32_t i = 0; i < count; ++i) {
    ZoneChange change;
    change.kind = static_cast<ZoneChange::Kind>(r.u8());
    if (change.kind == ZoneChange::Kind::serial)
      change.serial = r.u32();
    else if (change.kind == ZoneChange::Kind::add || change.kind == ZoneChange::Kind::remove)
      change.rr = r.record();
    else
      fail(ErrorKind::io, "journal: unknown change kind");
    apply_change(txn.zone(), change);
  }
  txn.commit();
  return 1;
}

} // namespace

std::uint32_t crc32(std::string_view data) {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k)
        c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xffffffffu;
  for (char ch : data)
    c = table[(c ^ static_cast<unsigned char>(ch)) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

std::string encode_journal_entry(const JournalEntry& entry) {
  std::string p;
  p.push_back(static_cast<char>(k_kind_changes));
  p.push_back(static_cast<char>(entry.origin.size()));
  p += entry.origin;
  append32(p, entry.serial_before);
  append32(p, entry.serial_after);
  append32(p, static_cast<std::uint32_t>(entry.changes.size()));
  for (const ZoneChange& c : entry.changes) {
    p.push_back(static_cast<char>(c.kind));
    if (c.kind == ZoneChange::Kind::serial)
      append32(p, c.serial);
    else
      put_record(p, c.rr);
  }
  return frame(p);
}

Journal::Journal(std::string path) : m_path(std::move(path)) {
  m_fd = ::open(m_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (m_fd < 0)
    fail(ErrorKind::io, "{}: cannot open journal: {}", m_path, std::strerror(errno));
  struct stat st {};
  ::fstat(m_fd, &st);
  m_size = static_cast<std::uint64_t>(st.st_size);
}

Journal::~Journal() {
  if (m_fd >= 0)
    ::close(m_fd);
}

JournalReplay Journal::replay(ZoneSet& zones) {
  JournalReplay result;
  std::string data(m_size, '\0');
  std::size_t got = 0;
  while (got < data.size()) {
    ssize_t n = ::pread(m_fd, data.data() + got, data.size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      fail(ErrorKind::io, "{}: cannot read journal: {}", m_path, n < 0 ? std::strerror(errno) : "short read");
    got += static_cast<std::size_t>(n);
  }
  std::size_t pos = 0;
  bool stop = false;
  while (pos < data.size() && !stop) {
    Reader header(std::string_view(data).substr(pos));
    if (data.size() - pos < k_record_header) {
      result.torn_tail = true;
      break;
    }
    std::uint32_t magic = header.u32();
    std::uint32_t length = header.u32();
    std::uint32_t crc = header.u32();
    if (magic != k_magic || data.size() - pos - k_record_header < length ||
        crc32(std::string_view(data).substr(pos + k_record_header, length)) != crc) {
      result.torn_tail = true;
      break;
    }
    int r = replay_one(std::string_view(data).substr(pos + k_record_header, length), zones, result);
    if (r > 0)
      ++result.applied;
    else if (r == 0)
      ++result.skipped;
    else
      stop = true;
    pos += k_record_header + length;
    ++m_records;
  }
  if (result.torn_tail) {
    log::warning("{}: cutting a torn journal tail at offset {} ({} bytes)", m_path, pos, data.size() - pos);
    if (::ftruncate(m_fd, static_cast<off_t>(pos)) != 0 || ::fdatasync(m_fd) != 0)
      fail(ErrorKind::io, "{}: cannot truncate journal: {}", m_path, std::strerror(errno));
    m_size = pos;
  }
  return result;
}

void Journal::append(const std::vector<JournalEntry>& entries) {
  std::string data;
  for (const JournalEntry& e : entries)
    data += encode_journal_entry(e);
  if (data.empty())
    return;
  try {
    if (::lseek(m_fd, static_cast<off_t>(m_size), SEEK_SET) < 0)
      fail(ErrorKind::io, "{}: cannot seek journal: {}", m_path, std::strerror(errno));
    write_all(m_fd, data, m_path);
    if (::fdatasync(m_fd) != 0)
      fail(ErrorKind::io, "{}: cannot sync journal: {}", m_path, std::strerror(errno));
  } catch (const Error&) {
    if (::ftruncate(m_fd, static_cast<off_t>(m_size)) != 0)
      log::warning("{}: cannot cut back a failed append", m_path);
    throw;
  }
  m_size += data.size();
  m_records += entries.size();
}

void Journal::compact(const ZoneSet& zones) {
  std::string data;
  for (const auto& store : zones.zones()) {
    std::shared_ptr<const Zone> zone = store->snapshot();
    // The master file is durable before the journal that led to it is dropped: a crash in between
    // replays records the file already holds, which replay skips by serial.
    if (!store->file().empty() && write_zone_file(*zone, store->file()))
      continue;
    data += encode_snapshot(*zone);
  }
  fs::write_file_atomic(m_path, data, 0600);
  ::close(m_fd);
  m_fd = ::open(m_path.c_str(), O_RDWR | O_CLOEXEC);
  if (m_fd < 0)
    fail(ErrorKind::io, "{}: cannot reopen journal: {}", m_path, std::strerror(errno));
  m_size = data.size();
  m_records = 0;
}

} // namespace dockerops::dns
