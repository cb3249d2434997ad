// The query path for messages signed with TSIG (RFC 8945 §5.2, §5.3): verify
// with the --key-file keys, answer as the unsigned path would, sign the reply.
// Only messages whose last record validate() found to be a TSIG come here, so
// unsigned queries never pay for any of it.

#include "dns/proto/tsig.hpp"
#include "dns/server/query.hpp"

#include <cstring>

namespace dockerops::dns {

namespace {

const Keyring k_no_keys;

} // namespace

Action QueryEngine::handle_signed(std::span<const std::uint8_t> wire, bool tcp, bool may_forward,
                                  const Packet& packet, std::span<std::uint8_t> reply,
                                  std::size_t& reply_size) {
  const std::uint64_t now = m_clock ? m_clock() : tsig_wall_seconds();
  // No replay cache, unlike updates: a query changes nothing, so a replayed
  // query only gets the answer anyone may get again; the time window of
  // §5.2.3 is all the freshness a query needs.
  const TsigCheck check = tsig_verify_request(wire, m_keys ? *m_keys : k_no_keys, now, nullptr);
  std::size_t size = 0;
  Action action = Action::reply;
  switch (check.status) {
  case TsigStatus::ok:
    if (packet.header.opcode() != opcode::query) {
      size = write_error_reply(wire, packet, rcode::notimp, reply);
      break;
    }
    action = answer_query(wire, tcp, may_forward, packet, &check, reply, size);
    if (action == Action::transfer)
      return action; // every message is signed by the TransferWriter (RFC 8945 §5.3.1)
    if (action == Action::forward) {
      // Out of our zones: the upstream does not know our key and could not
      // sign its answer, so a signed query is not forwarded; REFUSED, signed
      // (the key is good: BADKEY would be false), tells the client to ask
      // its resolver unsigned.
      size = write_error_reply(wire, packet, rcode::refused, reply);
      action = Action::reply;
    }
    break;
  case TsigStatus::formerr:
    // §5.2.2.1: a MAC of an impossible length; no key can sign the reply.
    reply_size = write_error_reply(wire, packet, rcode::formerr, reply);
    return Action::reply;
  default:
    // §5.2.1-§5.2.3: BADKEY, BADSIG, BADTRUNC (unsigned) and BADTIME (signed)
    // travel in the TSIG of a NOTAUTH reply.
    size = write_error_reply(wire, packet, rcode::notauth, reply);
    break;
  }
  if (action != Action::reply)
    return action;
  std::vector<std::uint8_t> signed_reply(reply.begin(), reply.begin() + static_cast<std::ptrdiff_t>(size));
  tsig_sign_reply(signed_reply, check, now); // §5.3: over the request MAC, TSIG last
  if (signed_reply.size() > reply.size()) {
    // Cannot happen with the server's buffers (room was reserved); never write past them.
    reply_size = write_error_reply(wire, packet, rcode::servfail, reply);
    return Action::reply;
  }
  std::memcpy(reply.data(), signed_reply.data(), signed_reply.size());
  reply_size = signed_reply.size();
  return Action::reply;
}

} // namespace dockerops::dns
