#include "dns/zone/zone_file.hpp"

#include "base/error.hpp"
#include "base/fs.hpp"
#include "dns/proto/bytes.hpp"
#include "dns/proto/rdata.hpp"
#include "dns/proto/record_text.hpp"
#include "dns/zone/ldns.hpp"

#include <arpa/inet.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <vector>

namespace dockerops::dns {

namespace {

struct RdfFree {
  void operator()(ldns_rdf* p) const { ldns_rdf_deep_free(p); }
};
struct RrFree {
  void operator()(ldns_rr* p) const { ldns_rr_free(p); }
};
struct BufferFree {
  void operator()(ldns_buffer* p) const { ldns_buffer_free(p); }
};
using RdfPtr = std::unique_ptr<ldns_rdf, RdfFree>;
using RrPtr = std::unique_ptr<ldns_rr, RrFree>;

RdfPtr origin_rdf(const WireName& origin) {
  return RdfPtr(ldns_dname_new_frm_data(static_cast<std::uint16_t>(origin.size()), origin.data()));
}

// Converts one ldns RR into a Record (owner and names in rdata canonicalised, rdata uncompressed).
Record to_record(const ldns_rr* rr, std::string_view where) {
  if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN)
    fail(ErrorKind::dns, "{}: only class IN records are served", where);
  const ldns_rdf* owner = ldns_rr_owner(rr);
  Record out;
  out.owner =
      canonical(std::string_view(reinterpret_cast<const char*>(ldns_rdf_data(owner)), ldns_rdf_size(owner)));
  out.type = static_cast<std::uint16_t>(ldns_rr_get_type(rr));
  out.ttl = ldns_rr_ttl(rr);
  std::unique_ptr<ldns_buffer, BufferFree> buffer(ldns_buffer_new(256));
  if (ldns_rr_rdata2buffer_wire(buffer.get(), rr) != LDNS_STATUS_OK)
    fail(ErrorKind::dns, "{}: cannot convert record to wire form", where);
  out.rdata.assign(reinterpret_cast<const char*>(ldns_buffer_begin(buffer.get())),
                   ldns_buffer_position(buffer.get()));
  canonicalize_rdata(out.type, out.rdata); // as the update path stores them, and as Knot does
  return out;
}

} // namespace

Zone parse_zone_text(std::string_view text, const WireName& origin, std::string_view filename,
                     std::uint32_t default_ttl) {
  std::string copy(text);
  if (copy.empty())
    copy = "\n";
  std::unique_ptr<FILE, int (*)(FILE*)> file(fmemopen(copy.data(), copy.size(), "r"), &std::fclose);
  if (!file)
    fail(ErrorKind::io, "{}: cannot read zone text", filename);
  // Record by record rather than ldns_zone_new_frm_fp_l: on a syntax error that function frees the
  // zone shallowly and leaks every record parsed before the bad line.
  RdfPtr current_origin = origin_rdf(origin);
  RdfPtr previous_owner = origin_rdf(origin);
  std::uint32_t ttl = default_ttl;
  int line = 0;
  std::vector<RrPtr> records;
  RrPtr soa;
  while (!std::feof(file.get())) {
    ldns_rr* raw = nullptr;
    ldns_rdf* origin_out = current_origin.release();
    ldns_rdf* previous_out = previous_owner.release();
    ldns_status status = ldns_rr_new_frm_fp_l(&raw, file.get(), &ttl, &origin_out, &previous_out, &line);
    // ldns replaces (and frees) what these point to on $ORIGIN and on a new owner name.
    current_origin.reset(origin_out);
    previous_owner.reset(previous_out);
    RrPtr rr(raw);
    if (status == LDNS_STATUS_SYNTAX_EMPTY || status == LDNS_STATUS_SYNTAX_TTL ||
        status == LDNS_STATUS_SYNTAX_ORIGIN)
      continue;
    if (status != LDNS_STATUS_OK)
      fail(ErrorKind::dns, "{}:{}: bad record: {}", filename, line, ldns_get_errorstr_by_id(status));
    if (ldns_rr_get_type(rr.get()) != LDNS_RR_TYPE_SOA)
      records.push_back(std::move(rr));
    else if (soa)
      fail(ErrorKind::dns, "{}:{}: a second SOA record", filename, line);
    else
      soa = std::move(rr);
  }
  Zone zone(origin);
  auto add = [&](const ldns_rr* rr) {
    auto where = fmt::format("{}", filename);
    Record rec = to_record(rr, where);
    if (!zone.in_zone(rec.owner))
      fail(ErrorKind::dns, "{}: record {} is outside zone {}", filename, name_to_text(rec.owner),
           name_to_text(origin));
    zone.add(rec);
  };
  if (soa)
    add(soa.get());
  for (const auto& rr : records)
    add(rr.get());
  try {
    zone.check();
    zone.check_names();
  } catch (const Error& e) {
    fail(ErrorKind::dns, "{}: {}", filename, e.what());
  }
  return zone;
}

Zone load_zone_file(const std::string& path, const WireName& origin) {
  return parse_zone_text(fs::read_file(path), origin, path);
}

namespace {

// Presentation form of a type proto's printer does not know, through ldns.
std::string ldns_record_text(const Record& rr) {
  std::string wire = rr.owner;
  append16(wire, rr.type);
  append16(wire, k_class_in);
  append32(wire, rr.ttl);
  append16(wire, static_cast<std::uint16_t>(rr.rdata.size()));
  wire += rr.rdata;
  ldns_rr* raw = nullptr;
  std::size_t pos = 0;
  if (ldns_wire2rr(&raw, reinterpret_cast<const std::uint8_t*>(wire.data()), wire.size(), &pos,
                   LDNS_SECTION_ANSWER) != LDNS_STATUS_OK)
    return record_to_text(rr); // RFC 3597 generic form, which ldns reads back
  RrPtr parsed(raw);
  char* text = ldns_rr2str(parsed.get());
  std::string out = text ? text : "";
  free(text); // NOLINT: ldns allocates with malloc
  while (!out.empty() && (out.back() == '\n' || out.back() == ' '))
    out.pop_back();
  return out;
}

} // namespace

std::string zone_to_text(const Zone& zone) {
  std::string out = fmt::format("$ORIGIN {}\n", name_to_text(zone.origin()));
  for (const auto& rr : zone.records()) {
    std::optional<std::string> text = known_record_to_text(rr);
    out += text ? *text : ldns_record_text(rr);
    out += '\n';
  }
  return out;
}

Record parse_record(std::string_view text, const WireName& origin, std::uint32_t default_ttl) {
  std::string copy(text);
  auto rdf = origin_rdf(origin);
  ldns_rr* raw = nullptr;
  ldns_status status = ldns_rr_new_frm_str(&raw, copy.c_str(), default_ttl, rdf.get(), nullptr);
  RrPtr rr(raw);
  if (status != LDNS_STATUS_OK)
    fail(ErrorKind::dns, "bad record \"{}\": {}", text, ldns_get_errorstr_by_id(status));
  return to_record(rr.get(), fmt::format("record \"{}\"", text));
}

Zone make_minimal_zone(const WireName& origin, const WireName& ns_name, std::string_view ns_address,
                       std::uint32_t ttl) {
  Zone zone(origin);
  std::string apex = name_to_text(origin);
  std::string ns = name_to_text(ns_name);
  zone.add(parse_record(fmt::format("{} {} IN SOA {} hostmaster.{} 1 3600 600 86400 60", apex, ttl, ns, apex),
                        origin));
  zone.add(parse_record(fmt::format("{} {} IN NS {}", apex, ttl, ns), origin));
  if (!ns_address.empty() && zone.in_zone(ns_name)) {
    in6_addr v6{};
    bool is_v6 = inet_pton(AF_INET6, std::string(ns_address).c_str(), &v6) == 1;
    zone.add(parse_record(fmt::format("{} {} IN {} {}", ns, ttl, is_v6 ? "AAAA" : "A", ns_address), origin));
  }
  zone.check();
  return zone;
}

} // namespace dockerops::dns
