#include "dns/server/dnsd.hpp"

#include "base/error.hpp"
#include "base/fs.hpp"
#include "base/log.hpp"
#include "dns/server/dnsd_options.hpp"
#include "dns/server/server.hpp"
#include "dns/zone/zone_file.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <signal.h>

#include <cstring>
#include <filesystem>

namespace dockerops::dns {

namespace {

WireName absolute_name(const std::string& text, const char* option) {
  try {
    return name_from_text(text.ends_with('.') ? text : text + ".");
  } catch (const Error& e) {
    fail(ErrorKind::usage, "{}: {}", option, e.what());
  }
}

// The reverse-zone owner of an IPv4 address: d.c.b.a.in-addr.arpa. (RFC 1035 §3.5).
WireName reverse_name(const std::string& address) {
  in_addr a{};
  if (inet_pton(AF_INET, address.c_str(), &a) != 1)
    return {};
  auto* b = reinterpret_cast<const std::uint8_t*>(&a);
  return name_from_text(fmt::format("{}.{}.{}.{}.in-addr.arpa.", b[3], b[2], b[1], b[0]));
}

Zone load_or_make(const std::string& file, const WireName& origin, const WireName& self,
                  const std::string& address, std::uint32_t ttl) {
  if (!file.empty())
    return load_zone_file(file, origin);
  return make_minimal_zone(origin, self, address, ttl);
}

// Default forwarding clients: loopback plus the subnets of the interfaces we listen on.
std::vector<Network> default_forward_allow(const std::vector<std::string>& listen) {
  std::vector<Network> out{Network::parse("127.0.0.0/8"), Network::parse("::1/128")};
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0)
    return out;
  for (ifaddrs* i = list; i; i = i->ifa_next) {
    if (!i->ifa_addr || !i->ifa_netmask || i->ifa_addr->sa_family != AF_INET)
      continue;
    char text[INET_ADDRSTRLEN];
    auto* a = reinterpret_cast<sockaddr_in*>(i->ifa_addr);
    inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
    bool listened = false;
    for (const auto& l : listen)
      listened = listened || l == text || l == "0.0.0.0";
    if (!listened)
      continue;
    std::uint32_t mask = ntohl(reinterpret_cast<sockaddr_in*>(i->ifa_netmask)->sin_addr.s_addr);
    int prefix = __builtin_popcount(mask);
    in_addr net{htonl(ntohl(a->sin_addr.s_addr) & mask)};
    char net_text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &net, net_text, sizeof net_text);
    out.push_back(Network::parse(fmt::format("{}/{}", net_text, prefix)));
  }
  freeifaddrs(list);
  return out;
}

// Clients that never get forwarding: --forward-deny, or by default the default routes' gateways.
// Behind Docker's userland proxy or masquerade, a query through a published port arrives from the
// project network's gateway, inside the network --forward-allow names: without this the server
// would resolve for anyone who reaches the port (an open resolver). --forward-published opts out.
std::vector<std::string> forward_deny(const DnsdOptions& o) {
  if (!o.forward_deny.empty() || o.forward_published)
    return o.forward_deny;
  auto read = [](const char* path) {
    try {
      return fs::read_file(path);
    } catch (const Error&) {
      return std::string();
    }
  };
  return default_gateways(read("/proc/net/route"), read("/proc/net/ipv6_route"));
}

std::vector<Upstream> upstreams_from(const DnsdOptions& o) {
  std::vector<Upstream> out;
  if (o.no_forward)
    return out;
  if (!o.forward.empty()) {
    for (const auto& f : o.forward)
      out.push_back(parse_upstream(f));
    return out;
  }
  std::string text;
  try {
    text = fs::read_file("/etc/resolv.conf");
  } catch (const Error&) {
    return out;
  }
  for (const auto& ns : resolv_conf_nameservers(text)) {
    // Never forward to ourselves: that would loop until the timeouts.
    bool self = o.port == 53 && std::find(o.listen.begin(), o.listen.end(), ns) != o.listen.end();
    if (self)
      continue;
    try {
      out.push_back(parse_upstream(ns));
    } catch (const Error&) {
      log::warning("/etc/resolv.conf: ignoring nameserver \"{}\"", ns);
    }
  }
  return out;
}

int run(const DnsdOptions& o) {
  ZoneSet zones;
  const WireName origin = absolute_name(o.zone, "--zone");
  const WireName self = name_from_text(o.self_name, origin);
  Zone zone = load_or_make(o.zone_file, origin, self, o.self_address, o.ttl);
  if (!o.zone_file.empty() && !o.self_address.empty() && zone.in_zone(self) && !zone.find(self, rr_type::a) &&
      !zone.find(self, rr_type::aaaa))
    zone.add(parse_record(fmt::format("{} {} IN {} {}", name_to_text(self), o.ttl,
                                      o.self_address.find(':') == std::string::npos ? "A" : "AAAA",
                                      o.self_address),
                          origin));
  log::info("zone {}: {} records, serial {}", name_to_text(origin), zone.record_count(), zone.serial());
  zones.add(std::move(zone), o.zone_file);
  if (!o.reverse_zone.empty()) {
    const WireName reverse = absolute_name(o.reverse_zone, "--reverse-zone");
    Zone rz = load_or_make(o.reverse_zone_file, reverse, self, "", o.ttl);
    WireName ptr = reverse_name(o.self_address);
    if (!ptr.empty() && rz.in_zone(ptr) && !rz.find(ptr, rr_type::ptr))
      rz.add(Record{ptr, rr_type::ptr, o.ttl, self});
    log::info("zone {}: {} records, serial {}", name_to_text(reverse), rz.record_count(), rz.serial());
    zones.add(std::move(rz), o.reverse_zone_file);
  }

  UpdateConfig update_config{o.key_file, o.journal, o.max_records_per_name, o.journal_compact_after};
  std::shared_ptr<UpdateContext> update = make_update_context(update_config, zones);

  ServerConfig config;
  config.listen = o.listen;
  config.port = o.port;
  config.upstreams = upstreams_from(o);
  config.max_connections = o.tcp_max_connections;
  config.classic_answer_limit = o.classic_answer_limit;
  config.idle_timeout = std::chrono::milliseconds(static_cast<long long>(o.tcp_idle_timeout * 1000));
  if (o.forward_allow.empty())
    config.forward_allow = default_forward_allow(o.listen);
  else
    for (const auto& n : o.forward_allow)
      config.forward_allow.push_back(Network::parse(n));
  const std::vector<std::string> deny = forward_deny(o);
  for (const auto& n : deny)
    config.forward_deny.push_back(Network::parse(n));

  // Signals are taken synchronously by this thread only (the server threads
  // inherit the blocked mask), so no handler ever runs inside the loops.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGTERM, SIGINT, SIGHUP, SIGPIPE})
    sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Server server(config, zones, update);
  server.start();
  std::string forwarders;
  for (const auto& u : config.upstreams)
    forwarders += (forwarders.empty() ? "" : ", ") + u.text;
  log::notice("dockerops-dnsd serving {} on {} port {} (udp, tcp); forwarding to {}", name_to_text(origin),
              fmt::join(o.listen, ", "), server.port(), forwarders.empty() ? "nobody" : forwarders);
  if (!forwarders.empty() && !config.forward_deny.empty())
    log::info("no forwarding for {} (queries through a published port come from there; "
              "--forward-published to allow)",
              fmt::join(deny, ", "));
  for (;;) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0)
      continue;
    if (sig == SIGHUP || sig == SIGPIPE) {
      if (sig == SIGHUP)
        log::notice("SIGHUP: nothing to reload (the zone changes through updates)");
      continue;
    }
    log::notice("signal {}: stopping", sig == SIGTERM ? "TERM" : "INT");
    break;
  }
  server.stop();
  if (update)
    close_update_context(*update);
  return k_exit_ok;
}

} // namespace

int dnsd_main(int argc, char** argv) {
  try {
    auto options = parse_dnsd_options(argc, argv);
    if (!options)
      return k_exit_ok;
    if (options->verbose)
      log::set_level(log::Level::debug);
    else if (options->quiet)
      log::set_level(log::Level::error);
    return run(*options);
  } catch (const Error& e) {
    print_error("dockerops-dnsd", e.what());
    return exit_code_for(e.kind());
  } catch (const std::exception& e) {
    print_error("dockerops-dnsd", fmt::format("internal error: {}", e.what()));
    return k_exit_failure;
  }
}

} // namespace dockerops::dns
