#include "dns/server/transfer.hpp"

#include "dns/proto/rdata.hpp"
#include "dns/proto/tsig.hpp"
#include "dns/proto/wire.hpp"
#include "dns/server/reply.hpp"

namespace dockerops::dns {

TransferWriter::TransferWriter(TransferRequest request, std::size_t limit)
    : m_request(std::move(request)), m_limit(limit) {
  m_records = m_request.zone->records();
  m_total = m_records.empty() ? 0 : m_records.size() + 1; // a zone without SOA: nothing
}

void TransferWriter::write_name(std::vector<std::uint8_t>& out, std::string_view name) {
  std::size_t i = 0;
  while (i < name.size() && name[i] != 0) {
    auto known = m_names.find(std::string(name.substr(i)));
    if (known != m_names.end()) {
      append16(out, static_cast<std::uint16_t>(0xc000 | known->second));
      return;
    }
    if (out.size() < 0x4000) { // a pointer has 14 bits of offset
      auto [it, added] = m_names.emplace(std::string(name.substr(i)), static_cast<std::uint16_t>(out.size()));
      if (added)
        m_added.push_back(it->first);
    }
    std::size_t label = static_cast<std::uint8_t>(name[i]);
    out.insert(out.end(), name.begin() + static_cast<std::ptrdiff_t>(i),
               name.begin() + static_cast<std::ptrdiff_t>(i + 1 + label));
    i += 1 + label;
  }
  out.push_back(0);
}

bool TransferWriter::append_record(std::vector<std::uint8_t>& out, std::size_t index, std::size_t budget) {
  const Record& rr = m_records[index < m_records.size() ? index : 0];
  const std::size_t mark = out.size();
  m_added.clear();
  write_name(out, rr.owner);
  append16(out, rr.type);
  append16(out, k_class_in);
  append32(out, rr.ttl);
  const std::size_t rdlength_at = out.size();
  append16(out, 0);
  std::string_view rdata = rr.rdata;
  // Names in rdata are compressed for the RFC 1035 types only (RFC 3597 §4;
  // never SRV, RFC 2782, or DNAME, RFC 6672 §2.5); other rdata is copied as it is.
  const RdataLayout layout = rdata_layout(rr.type);
  const int names = layout.compress ? layout.names : 0;
  std::size_t pos = std::min(layout.prefix, rdata.size());
  out.insert(out.end(), rdata.begin(), rdata.begin() + static_cast<std::ptrdiff_t>(pos));
  for (int n = 0; n < names; ++n) {
    std::size_t length = name_length(rdata, pos);
    if (length == 0)
      break; // copied raw below
    write_name(out, rdata.substr(pos, length));
    pos += length;
  }
  out.insert(out.end(), rdata.begin() + static_cast<std::ptrdiff_t>(pos), rdata.end());
  put16(out.data() + rdlength_at, static_cast<std::uint16_t>(out.size() - rdlength_at - 2));
  if (out.size() <= budget)
    return true;
  out.resize(mark);
  for (const std::string& name : m_added) // forget names of the RR that did not fit
    m_names.erase(name);
  return false;
}

bool TransferWriter::next(std::vector<std::uint8_t>& out, std::uint64_t now) {
  if (m_next >= m_total)
    return false;
  const bool first = m_messages == 0;
  out.assign(k_header_size, 0);
  put16(out.data(), m_request.id);
  put16(out.data() + 2,
        static_cast<std::uint16_t>(flag::qr | flag::aa | (m_request.flags & (0x7800 | flag::rd))));
  if (first) {
    // RFC 5936 §2.2.1: the question in the first message only.
    out.insert(out.end(), m_request.question.begin(), m_request.question.end());
    put16(out.data() + 4, 1);
  }
  m_names.clear();
  const bool opt = first && m_request.opt;
  const std::size_t reserve = tsig_record_size(m_request.key) + (opt ? k_opt_size : 0);
  const std::size_t budget = m_limit > reserve ? m_limit - reserve : 0;
  std::uint16_t count = 0;
  while (m_next < m_total && count < 0xffff && append_record(out, m_next, budget)) {
    ++m_next;
    ++count;
  }
  if (count == 0) {
    // An RR larger than a whole message cannot be sent: end the transfer with
    // SERVFAIL (RFC 5936 §2.2: an error rcode ends it) instead of looping.
    out[3] = static_cast<std::uint8_t>((out[3] & 0xf0) | rcode::servfail);
    m_next = m_total;
  }
  put16(out.data() + 6, count);
  if (opt) {
    // RFC 6891 §6.1.1: an OPT answers an OPT; payload, version 0, DO echoed.
    const std::size_t at = out.size();
    out.resize(at + k_opt_size);
    write_opt(out.data() + at, rcode::noerror, m_request.dnssec_ok);
    put16(out.data() + 10, 1);
  }
  // RFC 8945 §5.3.1: the first MAC covers the request MAC, each later one the
  // prior MAC, the message and the timers.
  if (first)
    m_prior_mac = tsig_sign(out, m_request.key, now, k_tsig_fudge, m_request.id, TsigError::noerror, {},
                            &m_request.request_mac);
  else
    m_prior_mac = tsig_sign_next(out, m_request.key, now, k_tsig_fudge, m_request.id, m_prior_mac);
  ++m_messages;
  return true;
}

} // namespace dockerops::dns
