// In-process cost of the query hot path (validate + lookup + answer from
// pre-built fragments), without sockets: the number to compare with the
// 4.6 µs per query of the ldns-based path in dns-server-notes.md §7.
// Built and run by bench/dns/query_path.sh.

#include "dns/server/query.hpp"
#include "dns/zone/zone_file.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace dockerops::dns;

int main() {
  std::string text = "$TTL 60\n@ IN SOA ns hostmaster 1 3600 600 86400 60\n@ IN NS ns\nns IN A 127.0.0.1\n";
  for (int i = 0; i < 1000; ++i)
    text += "name" + std::to_string(i) + " IN A 10.0." + std::to_string(i / 256) + "." +
            std::to_string(i % 256) + "\n";
  ZoneSet zones;
  zones.add(parse_zone_text(text, name_from_text("local.zone."), "bench"));

  // 200k queries like dnsperf's: random existing names, 10 % with EDNS.
  std::mt19937 rng(42);
  std::vector<std::vector<std::uint8_t>> queries;
  for (int i = 0; i < 200000; ++i) {
    std::string n = "name" + std::to_string(rng() % 1000);
    bool edns = i % 10 == 0;
    std::vector<std::uint8_t> q{
        static_cast<std::uint8_t>(i >> 8),      static_cast<std::uint8_t>(i), 1, 0, 0, 1, 0, 0, 0, 0, 0,
        static_cast<std::uint8_t>(edns ? 1 : 0)};
    q.push_back(static_cast<std::uint8_t>(n.size()));
    q.insert(q.end(), n.begin(), n.end());
    for (const char* l : {"local", "zone"}) {
      q.push_back(static_cast<std::uint8_t>(std::strlen(l)));
      q.insert(q.end(), l, l + std::strlen(l));
    }
    q.insert(q.end(), {0, 0, 1, 0, 1});
    if (edns)
      q.insert(q.end(), {0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0});
    queries.push_back(std::move(q));
  }

  QueryEngine engine(zones);
  std::vector<std::uint8_t> reply(k_edns_payload);
  Packet packet;
  std::size_t bytes = 0;
  const int rounds = 10;
  auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r)
    for (const auto& q : queries) {
      std::size_t size = 0;
      engine.handle(q, false, false, packet, reply, size);
      bytes += size;
    }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double n = static_cast<double>(queries.size()) * rounds;
  std::printf("%.0f queries in %.3f s: %.0f ns per query, %.2f M queries/s on one core (%zu reply bytes)\n",
              n, seconds, seconds / n * 1e9, n / seconds / 1e6, bytes);
  return 0;
}
