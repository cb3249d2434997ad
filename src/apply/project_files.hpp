#pragma once

#include <filesystem>
#include <string>

namespace dockerops::apply {

// Project state on disk (docs/decisions.md 2): <project>/.dockerops/ holds the SSH key pair and the
// TSIG key. Each function is idempotent and hands new files back to the invoking user under sudo.

// <dir>/.dockerops/id_ed25519 (+ .pub), made with `ssh-keygen -t ed25519 -N "" -f ...` on first use
// (docs/decisions.md 10). Returns the private key's path.
std::filesystem::path ensure_ssh_key(const std::filesystem::path& project_dir);

// <dir>/.dockerops/dns.key, hmac-sha256 named "dockerops-<project>." (docs/decisions.md 13), 0600.
std::filesystem::path ensure_dns_key(const std::filesystem::path& project_dir, const std::string& project);

// <dir>/.dockerops/agent.token: the agent API's bearer token (docs/decisions.md 29), 32 random bytes in
// hex, made on first use with mode 0600 (a token file found with looser permissions is tightened,
// with a warning). Returns it. `state_dir` is the .dockerops folder.
std::string ensure_agent_token(const std::filesystem::path& state_dir);

// The token, for clients; an empty string when there is none yet.
std::string read_agent_token(const std::filesystem::path& state_dir);

// A persistent data folder (<project>/data_<project>/<service>-<instance>/), kept across clean.
void ensure_data_dir(const std::filesystem::path& dir);

// The private key path, whether or not it exists.
std::filesystem::path ssh_key_path(const std::filesystem::path& project_dir);

// The TSIG key path, whether or not it exists.
std::filesystem::path dns_key_path(const std::filesystem::path& project_dir);

} // namespace dockerops::apply
