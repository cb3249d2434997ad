// One batch of UPDATEs on the committer thread (RFC 2136 §3): each message is validated, its TSIG
// checked, prescanned and its prerequisites tested against the batch's private copies of the
// zones, then applied to them; the batch's changes reach the journal with one fdatasync before the
// copies are published and the replies built (group commit, §3.6).

#include "dns/update/context.hpp"

#include "base/error.hpp"
#include "base/log.hpp"
#include "dns/proto/serial.hpp"
#include "dns/proto/tsig.hpp"
#include "dns/update/apply.hpp"
#include "dns/update/message.hpp"
#include "dns/update/prereq.hpp"
#include "dns/update/prescan.hpp"
#include "dns/zone/zone_store.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

namespace dockerops::dns {

namespace {

std::string client_text(const ClientInfo& client) {
  char buf[INET6_ADDRSTRLEN] = "?";
  if (client.address.ss_family == AF_INET)
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&client.address)->sin_addr, buf, sizeof buf);
  else if (client.address.ss_family == AF_INET6)
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&client.address)->sin6_addr, buf,
                sizeof buf);
  return buf;
}

UpdateStatus tsig_status(TsigStatus s) {
  switch (s) {
  case TsigStatus::ok:
    return UpdateStatus::ok;
  case TsigStatus::unsigned_message:
    return UpdateStatus::not_signed;
  case TsigStatus::formerr:
    return UpdateStatus::malformed;
  case TsigStatus::badkey:
    return UpdateStatus::tsig_badkey;
  case TsigStatus::badsig:
    return UpdateStatus::tsig_badsig;
  case TsigStatus::badtime:
    return UpdateStatus::tsig_badtime;
  case TsigStatus::badtrunc:
    return UpdateStatus::tsig_badtrunc;
  case TsigStatus::replay:
    // A replay carries a valid MAC: the request is authentic, re-executing it
    // is what policy refuses, so REFUSED (signed) rather than a false BADSIG.
    return UpdateStatus::replay;
  }
  return UpdateStatus::malformed;
}

} // namespace

// What process_one decided for one message; the reply is built after the commit.
struct UpdateContext::Outcome {
  bool drop = false;
  UpdateStatus status = UpdateStatus::ok;
  std::uint16_t id = 0;
  std::vector<std::uint8_t> zone_echo; // the zone section bytes, echoed (§3.8)
  TsigCheck tsig;
  bool changed = false;
};

// The private copy of one zone during a batch.
struct UpdateContext::ZoneWork {
  ZoneStore* store = nullptr;
  std::optional<ZoneStore::Transaction> txn;
  std::unique_ptr<ZoneEditor> editor;
  std::uint32_t base_serial = 0;
};

UpdateContext::Outcome UpdateContext::process_one(const UpdateRequest& request, std::uint64_t now,
                                                  std::vector<ZoneWork>& work) {
  Outcome out;
  std::span<const std::uint8_t> wire(request.wire);
  Packet packet;
  Validation v = validate(wire, packet);
  if (v.verdict == Verdict::drop) {
    out.drop = true;
    return out;
  }
  out.id = packet.header.id;
  if (!v.ok() || packet.header.counts[0] != 1 || !packet.has_question) {
    out.status = UpdateStatus::malformed; // §3.1.1: ZOCOUNT must be 1
    return out;
  }
  out.zone_echo.assign(wire.begin() + k_header_size, wire.begin() + packet.question_end);
  if (packet.qname_compressed)
    out.zone_echo.clear();

  // RFC 8945 §5.2, verified first so that every later error reply can be signed.
  out.tsig = tsig_verify_request(wire, m_keys, now, &m_replay);

  // §3.1.1: the zone section.
  std::size_t pos = k_header_size;
  WireName zone_name = wire_reader::read_name(wire, pos);
  if (packet.qtype != rr_type::soa) {
    out.status = UpdateStatus::malformed;
    return out;
  }
  if (packet.qclass != k_class_in) {
    out.status = UpdateStatus::zone_class;
    return out;
  }
  ZoneStore* store = m_zones.find_exact(zone_name);
  if (!store) {
    out.status = UpdateStatus::zone_not_ours;
    return out;
  }
  // RFC 3007 §4 / RFC 8945: authentication before anything that reads the zone.
  if (out.tsig.status != TsigStatus::ok) {
    out.status = tsig_status(out.tsig.status);
    return out;
  }
  UpdateMessage message;
  try {
    message = parse_update(wire, packet);
  } catch (const Error&) {
    out.status = UpdateStatus::malformed;
    return out;
  }

  ZoneWork* zw = nullptr;
  for (ZoneWork& w : work)
    if (w.store == store)
      zw = &w;
  if (!zw) {
    ZoneWork& w = work.emplace_back();
    w.store = store;
    w.txn.emplace(store->begin());
    w.editor = std::make_unique<ZoneEditor>(w.txn->zone());
    w.base_serial = w.txn->zone().serial();
    zw = &w;
  }
  ZoneEditor& editor = *zw->editor;

  if ((out.status = check_prerequisites(editor.zone(), message.prerequisites)) != UpdateStatus::ok) // §3.2
    return out;
  if ((out.status = m_policy.check_message(message)) != UpdateStatus::ok) // §3.3
    return out;
  if ((out.status = prescan_updates(editor.zone(), message.updates)) != UpdateStatus::ok) // §3.4.1
    return out;
  std::size_t mark = editor.mark();
  apply_updates(editor, message.updates); // §3.4.2
  if ((out.status = m_policy.check_result(editor.zone(), message.updates)) != UpdateStatus::ok) {
    editor.rollback(mark); // this update only; earlier ones in the batch stay
    return out;
  }
  out.changed = editor.mark() > mark;
  return out;
}

std::vector<std::optional<std::vector<std::uint8_t>>>
UpdateContext::process_batch(const std::vector<UpdateRequest>& batch) {
  std::lock_guard lock(m_commit_mutex);
  std::uint64_t now = m_clock();
  std::vector<ZoneWork> work;
  work.reserve(m_zones.zones().size());
  std::vector<Outcome> outcomes;
  outcomes.reserve(batch.size());
  for (const UpdateRequest& request : batch) {
    try {
      outcomes.push_back(process_one(request, now, work));
    } catch (const std::exception& e) {
      log::warning("update from {}: {}", client_text(request.client), e.what());
      Outcome o;
      o.status = UpdateStatus::storage;
      outcomes.push_back(std::move(o));
    }
  }

  // §3.6: bump the serial once per zone unless the batch raised it itself.
  std::vector<JournalEntry> entries;
  for (ZoneWork& w : work) {
    if (w.editor->changes().empty())
      continue;
    if (!serial_gt(w.editor->zone().serial(), w.base_serial))
      w.editor->set_serial(serial_add(w.base_serial, 1));
    entries.push_back({w.store->origin(), w.base_serial, w.editor->zone().serial(), w.editor->changes()});
  }
  // §3.5: stable storage before any reply.
  bool stored = true;
  if (m_journal && !entries.empty()) {
    try {
      m_journal->append(entries);
    } catch (const Error& e) {
      log::warning("{}", e.what());
      stored = false;
    }
  }
  if (stored) {
    for (ZoneWork& w : work)
      if (!w.editor->changes().empty())
        w.txn->commit(); // §3.7: readers see the whole batch or nothing
    if (!entries.empty()) {
      ++m_commits;
      for (const Outcome& o : outcomes)
        m_committed_updates += o.changed;
    }
  } else {
    for (Outcome& o : outcomes)
      if (o.status == UpdateStatus::ok)
        o.status = UpdateStatus::storage; // no change may be acknowledged
  }
  work.clear(); // releases the writer locks

  std::vector<std::optional<std::vector<std::uint8_t>>> replies;
  replies.reserve(batch.size());
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const Outcome& o = outcomes[i];
    if (o.drop) {
      replies.emplace_back(std::nullopt);
      continue;
    }
    if (o.status != UpdateStatus::ok)
      log::notice("update from {} denied: {}", client_text(batch[i].client), update_status_text(o.status));
    replies.emplace_back(build_reply(o, now));
  }
  if (stored && m_journal && m_compact_after != 0 && m_journal->records() >= m_compact_after) {
    try {
      m_journal->compact(m_zones);
    } catch (const Error& e) {
      log::warning("{}", e.what());
    }
  }
  return replies;
}

std::vector<std::uint8_t> UpdateContext::build_reply(const Outcome& o, std::uint64_t now) const {
  // §3.8: same ID, QR=1, opcode UPDATE, the zone section echoed, the RCODE.
  std::vector<std::uint8_t> r(k_header_size, 0);
  std::uint16_t flags =
      static_cast<std::uint16_t>(flag::qr | (opcode::update << 11) | (update_rcode(o.status) & 0xf));
  put16(r.data(), o.id);
  put16(r.data() + 2, flags);
  if (!o.zone_echo.empty()) {
    put16(r.data() + 4, 1);
    r.insert(r.end(), o.zone_echo.begin(), o.zone_echo.end());
  }
  tsig_sign_reply(r, o.tsig, now); // RFC 8945 §5.3
  return r;
}

} // namespace dockerops::dns
