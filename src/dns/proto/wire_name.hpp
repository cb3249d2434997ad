#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace dockerops::dns {

// A domain name in uncompressed wire form (length-prefixed labels ending with
// the root label 0x00), held in a std::string so it hashes and compares cheaply.
// "Canonical" means every ASCII letter is lowercase (RFC 4034 §6.2); the zone
// store keys all owners by canonical wire names.
using WireName = std::string;

// Largest name (RFC 1035 §2.3.4) and label.
inline constexpr std::size_t k_max_name_length = 255;
inline constexpr std::size_t k_max_label_length = 63;

// Lowercases ASCII letters of a wire name in place (labels' length bytes are
// < 64 and never letters, so the whole buffer can be mapped byte by byte).
void canonicalize(WireName& name);

// Lowercase copy of a wire name.
WireName canonical(std::string_view wire);

// Parses presentation form ("www.Local.Zone." or relative "www" with origin)
// into canonical wire form. "@" is the origin. Escapes \. and \DDD are
// accepted. Throws a dns Error with the name in the message when invalid.
WireName name_from_text(std::string_view text, const WireName& origin = {});

// Presentation form with a trailing dot ("www.local.zone."); the root is ".".
std::string name_to_text(std::string_view wire);

// True when `name` equals `ancestor` or lies below it (both canonical).
bool is_subdomain(std::string_view name, std::string_view ancestor);

// The name without its first label ("a.b." -> "b."); the root stays the root.
std::string_view parent_name(std::string_view wire);

} // namespace dockerops::dns
