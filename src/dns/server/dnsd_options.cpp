#include "dns/server/dnsd_options.hpp"

#include "base/build_info.hpp"
#include "base/error.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

namespace dockerops::dns {

namespace {

// CLI11 reads "-1" into an unsigned option as a huge number: refuse negative numbers, plainly.
const CLI::Validator k_not_negative(
    [](std::string& value) {
      return value.starts_with('-') ? std::string("must not be negative") : std::string();
    },
    "");

} // namespace

std::optional<DnsdOptions> parse_dnsd_options(int argc, char** argv) {
  DnsdOptions o;
  CLI::App app{"dockerops-dnsd: authoritative DNS server with RFC 2136 updates for a dockerops project"};
  app.set_version_flag(
      "--version", fmt::format("dockerops-dnsd {} ({})", build_info::k_version, build_info::k_git_revision));
  app.add_option("--listen", o.listen, "address to serve on, UDP and TCP (repeatable; default 127.0.0.1)");
  app.add_option("--port", o.port, "port (default 53)")->check(k_not_negative);
  app.add_option("--zone", o.zone, "the project zone (default local.zone)");
  app.add_option("--zone-file", o.zone_file, "master file of the zone; default: a generated apex (SOA, NS)");
  app.add_option("--reverse-zone", o.reverse_zone, "reverse zone served too, e.g. 0.30.172.in-addr.arpa");
  app.add_option("--reverse-zone-file", o.reverse_zone_file, "master file of the reverse zone");
  app.add_option("--key-file", o.key_file, "TSIG keys in BIND key-file syntax; updates need one of them");
  app.add_option("--journal", o.journal, "journal file that makes updates durable");
  app.add_option(
         "--journal-compact-after", o.journal_compact_after,
         fmt::format("compact the journal after this many records (default {}; 0 = only at a clean stop)",
                     k_default_journal_compact_after))
      ->check(k_not_negative);
  app.add_option(
      "--forward", o.forward,
      "upstream resolver IP[:PORT] for other names (repeatable; default: nameservers of /etc/resolv.conf)");
  app.add_flag("--no-forward", o.no_forward, "never forward: names outside the zones get REFUSED");
  app.add_option("--forward-allow", o.forward_allow,
                 "client network allowed to use forwarding, CIDR (repeatable; default: loopback and the "
                 "listen subnets)");
  app.add_option("--forward-deny", o.forward_deny,
                 "client network never allowed to use forwarding, CIDR, even inside --forward-allow "
                 "(repeatable; default: the gateway of the default route, where queries through a "
                 "published port come from)");
  app.add_flag("--forward-published", o.forward_published,
               "also forward for queries through a published port (no default --forward-deny)");
  app.add_option("--max-records-per-name", o.max_records_per_name,
                 "cap on RRs per owner name for updates (default 64; 0 = none)")
      ->check(k_not_negative);
  app.add_option("--classic-answer-limit", o.classic_answer_limit,
                 "A and AAAA answers to UDP queries without EDNS carry at most this many addresses of a "
                 "larger set, the next ones in round-robin order (default 0 = all; see dockerops-dnsd(8))")
      ->check(k_not_negative);
  app.add_option("--self-name", o.self_name, "name of this server in the zone (default dns)");
  app.add_option("--self-address", o.self_address, "address registered for <self-name>.<zone>");
  app.add_option("--ttl", o.ttl, "TTL of generated records (default 60)")->check(k_not_negative);
  app.add_option("--tcp-max-connections", o.tcp_max_connections, "concurrent TCP connections (default 64)")
      ->check(k_not_negative);
  app.add_option("--tcp-idle-timeout", o.tcp_idle_timeout,
                 "seconds a TCP connection may go without a complete message (default 10)")
      ->check(k_not_negative);
  app.add_flag("-v,--verbose", o.verbose, "log every start-up step and denied request");
  app.add_flag("-q,--quiet", o.quiet, "log errors only");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return std::nullopt;
  } catch (const CLI::CallForVersion&) {
    std::cout << app.version() << "\n";
    return std::nullopt;
  } catch (const CLI::ParseError& e) {
    fail(ErrorKind::usage, "{}; see dockerops-dnsd --help", e.what());
  }
  if (o.listen.empty())
    o.listen.push_back("127.0.0.1");
  return o;
}

} // namespace dockerops::dns
