#include "dns/proto/record_text.hpp"

#include "dns/proto/bytes.hpp"
#include "dns/proto/rdata.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <fmt/format.h>

namespace dockerops::dns {

namespace {

// The uncompressed name of rdata at `pos` (advancing it) in presentation form.
std::optional<std::string> name_at(std::string_view rdata, std::size_t& pos) {
  const std::size_t length = name_length(rdata, pos);
  if (length == 0)
    return std::nullopt;
  pos += length;
  return name_to_text(rdata.substr(pos - length, length));
}

std::optional<std::string> address_text(int family, std::string_view rdata) {
  char text[INET6_ADDRSTRLEN];
  if (rdata.size() != (family == AF_INET ? 4u : 16u) || !::inet_ntop(family, rdata.data(), text, sizeof text))
    return std::nullopt;
  return std::string(text);
}

// Fixed 16-bit fields, then names: MX (1 field, 1 name), SRV (3 fields, 1 name).
std::optional<std::string> fields_then_name(std::string_view rdata, std::size_t fields) {
  if (rdata.size() < 2 * fields)
    return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < fields; ++i)
    out += fmt::format("{} ", get16(rdata, 2 * i));
  std::size_t pos = 2 * fields;
  std::optional<std::string> name = name_at(rdata, pos);
  if (!name || pos != rdata.size())
    return std::nullopt;
  return out + *name;
}

std::optional<std::string> soa_text(std::string_view rdata) {
  std::size_t pos = 0;
  std::optional<std::string> mname = name_at(rdata, pos);
  std::optional<std::string> rname = mname ? name_at(rdata, pos) : std::nullopt;
  if (!rname || pos + 20 != rdata.size())
    return std::nullopt;
  std::string out = *mname + " " + *rname;
  for (std::size_t i = 0; i < 5; ++i)
    out += fmt::format(" {}", get32(rdata, pos + 4 * i));
  return out;
}

// Character strings (RFC 1035 §3.3.14), quoted; '"' and '\' escaped, other
// non-printable bytes as \DDD.
std::optional<std::string> txt_text(std::string_view rdata) {
  std::string out;
  std::size_t pos = 0;
  if (rdata.empty())
    return std::nullopt;
  while (pos < rdata.size()) {
    std::size_t length = static_cast<unsigned char>(rdata[pos++]);
    if (pos + length > rdata.size())
      return std::nullopt;
    if (!out.empty())
      out += ' ';
    out += '"';
    for (char c : rdata.substr(pos, length)) {
      auto byte = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\')
        out += fmt::format("\\{}", c);
      else if (byte < 0x20 || byte > 0x7e)
        out += fmt::format("\\{:03}", byte);
      else
        out += c;
    }
    out += '"';
    pos += length;
  }
  return out;
}

std::optional<std::string> rdata_text(const Record& rr) {
  switch (rr.type) {
  case rr_type::a:
    return address_text(AF_INET, rr.rdata);
  case rr_type::aaaa:
    return address_text(AF_INET6, rr.rdata);
  case rr_type::ns:
  case rr_type::cname:
  case rr_type::ptr:
  case rr_type::dname:
    return fields_then_name(rr.rdata, 0);
  case rr_type::mx:
    return fields_then_name(rr.rdata, 1);
  case rr_type::srv:
    return fields_then_name(rr.rdata, 3);
  case rr_type::soa:
    return soa_text(rr.rdata);
  case rr_type::txt:
    return txt_text(rr.rdata);
  default:
    return std::nullopt;
  }
}

} // namespace

std::string type_to_text(std::uint16_t type) {
  switch (type) {
  case rr_type::a:
    return "A";
  case rr_type::ns:
    return "NS";
  case rr_type::cname:
    return "CNAME";
  case rr_type::soa:
    return "SOA";
  case rr_type::ptr:
    return "PTR";
  case rr_type::mx:
    return "MX";
  case rr_type::txt:
    return "TXT";
  case rr_type::aaaa:
    return "AAAA";
  case rr_type::srv:
    return "SRV";
  case rr_type::dname:
    return "DNAME";
  default:
    return fmt::format("TYPE{}", type);
  }
}

std::optional<std::string> known_record_to_text(const Record& rr) {
  std::optional<std::string> rdata = rdata_text(rr);
  if (!rdata)
    return std::nullopt;
  return fmt::format("{}\t{}\tIN\t{}\t{}", name_to_text(rr.owner), rr.ttl, type_to_text(rr.type), *rdata);
}

std::string record_to_text(const Record& rr) {
  if (std::optional<std::string> text = known_record_to_text(rr))
    return *text;
  std::string hex;
  for (char c : rr.rdata)
    hex += fmt::format("{:02x}", static_cast<unsigned char>(c));
  return fmt::format("{}\t{}\tIN\tTYPE{}\t\\# {}{}{}", name_to_text(rr.owner), rr.ttl, rr.type,
                     rr.rdata.size(), hex.empty() ? "" : " ", hex);
}

} // namespace dockerops::dns
