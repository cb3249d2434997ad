#include "base/error.hpp"
#include "base/strings.hpp"
#include "project/resolve_parts.hpp"

#include <algorithm>

namespace dockerops::project::detail {

std::vector<LinkCandidate> link_candidates(const std::vector<Wanted>& wanted,
                                           const std::vector<RunningInstance>& running) {
  std::vector<LinkCandidate> candidates;
  candidates.reserve(wanted.size() + running.size());
  for (const auto& w : wanted)
    candidates.push_back({w.service, w.instance, true, false, ""});
  for (const auto& r : running) {
    auto same = [&](const LinkCandidate& c) { return c.service == r.service && c.instance == r.instance; };
    auto it = std::find_if(candidates.begin(), candidates.end(), same);
    if (it == candidates.end()) {
      candidates.push_back({r.service, r.instance, false, true, r.ip});
    } else {
      it->running = true;
      it->ip = r.ip;
    }
  }
  return candidates;
}

namespace {

// The candidates a link can use, running ones first, then by instance name.
std::vector<const LinkCandidate*> targets_of(const ConfLink& link, const ResolvedInstance& from,
                                             const std::vector<LinkCandidate>& candidates) {
  bool to_dns = link.service == k_dns_service;
  std::vector<const LinkCandidate*> found;
  for (const auto& c : candidates) {
    if (c.service == from.service && c.instance == from.instance)
      continue;
    bool service_ok = !link.service.empty() && link.service.back() == '*'
                          ? c.service.rfind(link.service.substr(0, link.service.size() - 1), 0) == 0
                          : c.service == link.service;
    // The legacy "dockerops-dns-master:dns" finds the project's DNS whatever its instance name.
    bool instance_ok = !link.instance || to_dns || c.instance == *link.instance;
    if (service_ok && instance_ok)
      found.push_back(&c);
  }
  std::stable_sort(found.begin(), found.end(), [](const LinkCandidate* a, const LinkCandidate* b) {
    return a->running != b->running ? a->running : a->instance < b->instance;
  });
  return found;
}

} // namespace

void resolve_links(ResolvedInstance& r, const ConfEntry& entry, const LinkScope& scope,
                   std::map<std::string, Declared>& declared, Notices& notices) {
  const ResolveInput& input = scope.input;
  const std::string who = r.who();
  for (const auto& link : entry.links) {
    std::string var = strings::to_upper(link.alias) + "_SERVICE_IP";
    std::string where = fmt::format("{}:{}", input.conf->filename, link.line);
    std::vector<const LinkCandidate*> found = targets_of(link, r, scope.candidates);
    if (found.empty()) {
      // A remote service: its address comes from the environment or host.conf.
      bool supplied = input.host->getenv(var) || input.host_conf->values.count(var);
      if (!supplied)
        fail(ErrorKind::config,
             "{}: {}: link \"{}\" finds no instance of {}{}; run one, or set {} (export or host.conf) "
             "for a remote service",
             where, who, link.alias, link.service, link.instance ? "/" + *link.instance : std::string(), var);
      r.links.push_back({link.alias, link.service, "", ""});
      declared[var] = {std::nullopt, EnvSource::link, where, "", ""};
      continue;
    }
    const LinkCandidate* target = found.front();
    if ((!link.instance || link.service.back() == '*') && found.size() > 1)
      notices.notices.push_back(fmt::format("{}: link \"{}\" uses {}/{} ({} candidates, {} first)", who,
                                            link.alias, target->service, target->instance, found.size(),
                                            target->running ? "running" : "sorted by name"));
    std::string container = input.project->name + "-" + target->service + "-" + target->instance;
    r.links.push_back({link.alias, target->service, target->instance, container});
    // apply/ reads the target's address just before the create (the value
    // here is only a preview from the observed state).
    Declared value{std::nullopt, EnvSource::link, container, container, ""};
    if (!target->planned && !target->ip.empty())
      value.value = target->ip;
    declared[var] = value;
    if (link.service == k_dns_service && !scope.dns_ip.empty()) // a run.conf value stays, to be warned about
      declared.emplace("DNS_SERVICE_IP", Declared{scope.dns_ip, EnvSource::link, container, "", ""});
  }
}

} // namespace dockerops::project::detail
