#pragma once

#include "base/strings.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace dockerops::dns {

// A TSIG shared secret (RFC 8945 §4): key name and algorithm are domain names
// in lowercase presentation form with a trailing dot ("dockerops-demo.",
// "hmac-sha256."); the secret is raw bytes (base64 only in files).
struct TsigKey {
  std::string name;
  std::string algorithm = "hmac-sha256.";
  std::string secret;
};

// Size of a generated secret: the HMAC-SHA256 output length (RFC 8945 §6).
inline constexpr std::size_t k_generated_secret_size = 32;

// Parses BIND key-file syntax (`key "name." { algorithm hmac-sha256; secret "b64"; };`,
// comments `#`, `//`, `/* */`), the format `nsupdate -k` and `tsig-keygen` use
// (docs/decisions.md 13). Errors name `filename:line`.
std::vector<TsigKey> parse_key_file(std::string_view text, const std::string& filename);

// Formats one key in the same syntax, as tsig-keygen prints it.
std::string format_key_file(const TsigKey& key);

// Reads a key file; it must hold at least one key.
std::vector<TsigKey> read_key_file(const std::filesystem::path& path);

// Writes a key file atomically with mode 0600 (it is a secret).
void write_key_file(const std::filesystem::path& path, const TsigKey& key);

// A new hmac-sha256 key with a random 32-byte secret from getrandom(2).
TsigKey generate_key(std::string_view name);

// Normalises a key or algorithm name: lowercase, one trailing dot.
std::string normalize_key_name(std::string_view name);

// RFC 4648 base64 (base/strings.hpp), as key files write secrets.
using strings::base64_decode;
using strings::base64_encode;

} // namespace dockerops::dns
