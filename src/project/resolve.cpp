#include "project/resolve.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "project/resolve_parts.hpp"
#include "project/subnet.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace dockerops::project {

using detail::Declared;
using detail::Origin;

std::pair<std::string, std::string> split_service_instance(const std::string& text) {
  auto dash = text.rfind('-');
  if (dash == std::string::npos)
    return {text, ""};
  return {text.substr(0, dash), text.substr(dash + 1)};
}

bool matches_filter(const std::string& pattern, const std::string& instance_filter,
                    const std::string& service, const std::string& instance) {
  bool service_ok = pattern.empty() || pattern == "all" ||
                    (!pattern.empty() && pattern.back() == '*'
                         ? service.rfind(pattern.substr(0, pattern.size() - 1), 0) == 0
                         : service == pattern);
  return service_ok && (instance_filter.empty() || instance_filter == instance);
}

namespace {

constexpr std::string_view k_dns_service = "dockerops-dns";

// One instance to resolve, before resolution.
struct Wanted {
  std::string service;
  std::string instance;
  Origin origin;
};

struct TypeDefaults {
  bool linked, publish_ports, persistent_data, persistent_opt, persistent_log, safemode, interactive;
};

// The defaults table of the original README (inventory 4.1).
TypeDefaults defaults_for(InstanceType type) {
  switch (type) {
  case InstanceType::standard:
    return {true, false, false, false, false, false, false};
  case InstanceType::published:
    return {true, true, false, false, false, false, false};
  case InstanceType::persistent:
    return {true, false, true, false, true, false, false};
  case InstanceType::master:
    return {true, true, true, false, true, false, false};
  case InstanceType::debug:
    return {false, false, false, false, false, true, true};
  }
  return {true, false, false, false, false, false, false};
}

const char* bool_text(bool value) {
  return value ? "True" : "False";
} // decisions.md 7

void check_service(const std::string& service, const Project& project, const std::string& where) {
  // Built-in services run from dockerops/<name> images (decisions.md 12): the
  // DNS and the plain base (the original demo runs "dockerops-base" instances).
  if (service == k_dns_service || service == "dockerops-base")
    return;
  if (is_builtin_service(service)) {
    if (service.rfind("dockerops-dns", 0) == 0)
      fail(ErrorKind::config,
           "{}: \"{}\" is the old DockerOps DNS; use \"service\": \"dockerops-dns\" (image dockerops/dns)",
           where, service);
    fail(ErrorKind::config,
         "{}: \"{}\" is not a built-in service (dockerops-dns, dockerops-base); the base image is now "
         "dockerops/base",
         where, service);
  }
  if (project.services.count(service))
    return;
  std::vector<std::string> names;
  for (const auto& [name, unused] : project.services)
    names.push_back(name);
  names.emplace_back(k_dns_service);
  fail(ErrorKind::config, "{}: service \"{}\" has no folder services/{} with a Dockerfile{}", where, service,
       service, strings::did_you_mean(service, names));
}

// Docker's container name rule [a-zA-Z0-9][a-zA-Z0-9_.-]*, checked on each part of the name.
void check_name(const std::string& what, const std::string& name, const std::string& where) {
  bool ok = !name.empty() && std::isalnum(static_cast<unsigned char>(name[0]));
  for (char c : name)
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-');
  if (!ok)
    fail(ErrorKind::config,
         "{}: {} \"{}\" must start with a letter or digit and contain only letters, digits, "
         "'_', '.' and '-'",
         where, what, name);
}

// Which instances the command acts on, in run.conf order.
std::vector<Wanted> select(const ResolveInput& input, Notices& notices) {
  const auto& conf = *input.conf;
  const auto& sel = input.selection;
  std::vector<Wanted> out;
  auto take = [&](const ConfEntry& e) {
    Wanted w{
        e.service.value, e.instance ? e.instance->value : input.host->random_name(), {&e, conf.filename}};
    out.push_back(std::move(w));
  };
  if (sel.service == "all") {
    if (input.overrides.interactive.value_or(false) || input.overrides.safemode.value_or(false))
      fail(ErrorKind::usage,
           "interactive and safemode runs take one service: run:SERVICE,instance=NAME,{}=true",
           input.overrides.interactive.value_or(false) ? "interactive" : "safemode");
    if (conf.entries.empty())
      fail(ErrorKind::config, "{}: no instances to run; add entries to {} or name a service (run:SERVICE)",
           conf.filename, conf.filename);
    for (const auto& e : conf.entries) {
      if (!sel.group.empty() && (!e.group || e.group->value != sel.group))
        continue;
      if (e.autorun && !e.autorun->value) {
        notices.notices.push_back(fmt::format("{}/{}: skipped by run:all (autorun is false)", e.service.value,
                                              e.instance ? e.instance->value : "(random)"));
        continue;
      }
      take(e);
    }
    if (out.empty() && !sel.group.empty()) {
      std::set<std::string> groups;
      for (const auto& e : conf.entries)
        if (e.group)
          groups.insert(e.group->value);
      fail(ErrorKind::config, "{}: no instances in group \"{}\"{}", conf.filename, sel.group,
           strings::did_you_mean(sel.group, {groups.begin(), groups.end()}));
    }
    return out;
  }
  check_service(sel.service, *input.project, "command line");
  for (const auto& e : conf.entries) {
    if (e.service.value != sel.service)
      continue;
    if (sel.instance && (!e.instance || e.instance->value != *sel.instance))
      continue;
    if (!sel.group.empty() && (!e.group || e.group->value != sel.group))
      continue;
    take(e);
  }
  if (out.empty()) {
    // decisions.md 21: no entry = the type's defaults and a one-line notice.
    std::string instance = sel.instance ? *sel.instance : input.host->random_name();
    out.push_back({sel.service, instance, {nullptr, conf.filename}});
    notices.notices.push_back(fmt::format("{}/{}: no entry in {}: using the defaults of its instance type",
                                          sel.service, instance, conf.filename));
  }
  return out;
}

InstanceType choose_type(const Wanted& w, const Overrides& overrides, const std::string& who,
                         Notices& notices) {
  auto parse = [&](const std::string& text, const std::string& where) {
    auto type = parse_instance_type(text);
    if (!type)
      fail(ErrorKind::config, "{}: unknown instance_type \"{}\"{}", where, text,
           strings::did_you_mean(text, instance_type_names()));
    return *type;
  };
  if (overrides.instance_type)
    return parse(*overrides.instance_type, "command line");
  if (w.origin.entry && w.origin.entry->instance_type)
    return parse(w.origin.entry->instance_type->value,
                 fmt::format("{}:{}", w.origin.conf_filename, w.origin.entry->instance_type->line));
  if (auto type = parse_instance_type(w.instance)) {
    if (*type != InstanceType::standard)
      notices.notices.push_back(
          fmt::format("{}: instance type {} (from the instance name)", who, to_string(*type)));
    return *type;
  }
  return InstanceType::standard;
}

bool pick(const std::optional<bool>& cli, const std::optional<Located<bool>>& conf, bool fallback) {
  if (cli)
    return *cli;
  if (conf)
    return conf->value;
  return fallback;
}

// A link target candidate: planned (selected) or observed running.
struct Candidate {
  std::string service;
  std::string instance;
  bool running = false;
  std::string ip;
};

} // namespace

ResolvedProject resolve(const ResolveInput& input) {
  const Project& project = *input.project;
  const RunConf& conf = *input.conf;
  ResolvedProject out;
  out.name = project.name;
  out.dir = project.dir;
  out.network = project.name + "_net";
  out.zone = input.zone;

  // At most one DNS per project (decisions.md 12); it is "in the project" when
  // run.conf declares it or it already runs.
  const ConfEntry* dns_entry = nullptr;
  for (const auto& e : conf.entries) {
    check_service(e.service.value, project, fmt::format("{}:{}", conf.filename, e.service.line));
    if (e.service.value == k_dns_service) {
      if (dns_entry)
        fail(ErrorKind::config,
             "{}:{}: a second dockerops-dns instance (first at line {}); a project has at most one",
             conf.filename, e.line, dns_entry->line);
      dns_entry = &e;
    }
  }
  std::vector<Wanted> wanted = select(input, out.messages);

  // The DNS serves the others when it runs or is started by this command; one
  // that is only declared would leave them with a dead resolver.
  bool has_dns = false;
  for (const auto& r : input.running)
    has_dns = has_dns || r.service == k_dns_service;
  for (const auto& w : wanted)
    has_dns = has_dns || w.service == k_dns_service;
  if (dns_entry && !has_dns)
    out.messages.notices.push_back(
        fmt::format("{} is in {} but not running: start it (run:{}) for name resolution", k_dns_service,
                    conf.filename, k_dns_service));
  std::string dns_ip = has_dns && !input.subnet.empty() ? subnet_host(input.subnet, 2) : "";

  // Link candidates: planned first in file order, then running ones.
  std::vector<Candidate> candidates;
  for (const auto& w : wanted)
    candidates.push_back({w.service, w.instance, false, ""});
  for (const auto& r : input.running) {
    auto same = [&](const Candidate& c) { return c.service == r.service && c.instance == r.instance; };
    auto it = std::find_if(candidates.begin(), candidates.end(), same);
    if (it == candidates.end())
      candidates.push_back({r.service, r.instance, true, r.ip});
    else {
      it->running = true;
      it->ip = r.ip;
    }
  }
  auto planned = [&](const std::string& s, const std::string& i) {
    return std::any_of(wanted.begin(), wanted.end(),
                       [&](const Wanted& w) { return w.service == s && w.instance == i; });
  };

  for (const auto& w : wanted) {
    check_name("instance", w.instance,
               w.origin.entry && w.origin.entry->instance
                   ? fmt::format("{}:{}", conf.filename, w.origin.entry->instance->line)
                   : std::string("command line"));
    ResolvedInstance r;
    std::string who = w.service + "/" + w.instance;
    const ConfEntry* e = w.origin.entry;
    const Service* service = nullptr;
    if (auto it = project.services.find(w.service); it != project.services.end())
      service = &it->second;
    r.project = project.name;
    r.service = w.service;
    r.instance = w.instance;
    r.conf = conf.filename;
    r.conf_line = e ? e->line : 0;
    r.group = e && e->group ? e->group->value : "";
    r.builtin_service = service == nullptr;
    r.is_dns = w.service == k_dns_service;
    r.type = choose_type(w, input.overrides, who, out.messages);
    TypeDefaults d = defaults_for(r.type);
    const auto& o = input.overrides;
    r.linked = pick(o.linked, e ? e->linked : std::nullopt, d.linked);
    r.publish_ports = pick(o.publish_ports, e ? e->publish_ports : std::nullopt, d.publish_ports);
    r.persistent_data = pick(o.persistent_data, e ? e->persistent_data : std::nullopt, d.persistent_data);
    r.persistent_opt = pick(o.persistent_opt, e ? e->persistent_opt : std::nullopt, d.persistent_opt);
    r.persistent_log = pick(o.persistent_log, e ? e->persistent_log : std::nullopt, d.persistent_log);
    r.safemode = pick(o.safemode, e ? e->safemode : std::nullopt, d.safemode);
    r.interactive = pick(o.interactive, e ? e->interactive : std::nullopt, d.interactive);
    r.nethost = pick(o.nethost, e ? e->nethost : std::nullopt, false);
    r.ssh_keys = e && e->ssh_keys && e->ssh_keys->value;
    r.autorun = !(e && e->autorun && !e->autorun->value);
    r.wait = !(e && e->wait && !e->wait->value) && !r.interactive;
    r.ready_timeout = e && e->ready_timeout ? e->ready_timeout->value : 120;
    r.sleep = e && e->sleep && !r.interactive ? e->sleep->value : 0;
    std::string seed = o.seed_command         ? *o.seed_command
                       : e && e->seed_command ? e->seed_command->value
                       : r.interactive        ? "bash"
                                              : "";
    for (const auto& word : strings::split(seed, ' '))
      if (!word.empty())
        r.command.push_back(word);

    // Naming (inventory 4.3) and the project network.
    r.container_name = project.name + "-" + w.service + "-" + w.instance;
    r.hostname = r.nethost ? "" : (e && e->hostname ? e->hostname->value : w.service + "-" + w.instance);
    r.image = (service ? project.name + "/" + w.service : builtin_image(w.service)) + ":latest";
    auto image = input.images.find(r.image);
    const ImageFacts* facts = image == input.images.end() ? nullptr : &image->second;
    r.image_id = facts ? facts->id : "";
    r.network = r.nethost ? "" : out.network;
    if (r.is_dns && !r.nethost)
      r.ipv4_address = dns_ip;
    if (has_dns && !r.is_dns && !dns_ip.empty()) {
      r.dns_server = dns_ip;
      r.dns_search = input.zone;
    }

    // Declared variables: required_env_vars.json, run.conf env_vars, links.
    std::map<std::string, Declared> declared;
    if (service)
      for (const auto& name : service->required_vars)
        declared[name] = {std::nullopt, EnvSource::run_conf,
                          "services/" + w.service + "/required_env_vars.json", "", ""};
    if (e)
      for (const auto& var : e->env_vars)
        declared[var.name] = {var.value, EnvSource::run_conf, fmt::format("{}:{}", conf.filename, var.line),
                              "", ""};
    if (r.type == InstanceType::master && !r.is_dns && !declared.count("SERVICE_IP"))
      declared["SERVICE_IP"] = {std::nullopt, EnvSource::run_conf, w.origin.where(), "",
                                " for a master instance"};

    if (r.linked && e) {
      for (const auto& link : e->links) {
        std::string var = strings::to_upper(link.alias) + "_SERVICE_IP";
        std::string where = fmt::format("{}:{}", conf.filename, link.line);
        bool to_dns = link.service == k_dns_service;
        std::vector<const Candidate*> found;
        for (const auto& c : candidates) {
          if (c.service == w.service && c.instance == w.instance)
            continue;
          bool service_ok = !link.service.empty() && link.service.back() == '*'
                                ? c.service.rfind(link.service.substr(0, link.service.size() - 1), 0) == 0
                                : c.service == link.service;
          // The legacy "dockerops-dns-master:dns" finds the project's DNS whatever its instance name.
          bool instance_ok = !link.instance || to_dns || c.instance == *link.instance;
          if (service_ok && instance_ok)
            found.push_back(&c);
        }
        std::stable_sort(found.begin(), found.end(), [](const Candidate* a, const Candidate* b) {
          return a->running != b->running ? a->running : a->instance < b->instance;
        });
        bool supplied = input.host->getenv(var) || input.host_conf->values.count(var);
        if (found.empty()) {
          if (!supplied)
            fail(ErrorKind::config,
                 "{}: {}: link \"{}\" finds no instance of {}{}; run one, or set {} (export or host.conf) "
                 "for a "
                 "remote service",
                 where, who, link.alias, link.service, link.instance ? "/" + *link.instance : std::string(),
                 var);
          r.links.push_back({link.alias, link.service, "", ""});
          declared[var] = {std::nullopt, EnvSource::link, where, "", ""};
          continue;
        }
        const Candidate* target = found.front();
        if ((!link.instance || link.service.back() == '*') && found.size() > 1)
          out.messages.notices.push_back(fmt::format(
              "{}: link \"{}\" uses {}/{} ({} candidates, {} first)", who, link.alias, target->service,
              target->instance, found.size(), target->running ? "running" : "sorted by name"));
        std::string container = project.name + "-" + target->service + "-" + target->instance;
        r.links.push_back({link.alias, target->service, target->instance, container});
        // apply/ reads the target's address just before the create (the value
        // here is only a preview from the observed state).
        Declared value{std::nullopt, EnvSource::link, container, container, ""};
        if (!planned(target->service, target->instance) && !target->ip.empty())
          value.value = target->ip;
        declared[var] = value;
        if (to_dns && !dns_ip.empty())
          declared["DNS_SERVICE_IP"] = {dns_ip, EnvSource::link, container, "", ""};
      }
    }

    // Built-ins (inventory 2.7 C9, plus PROJECT and DNS_SERVICE_IP).
    std::map<std::string, std::string> builtins = {
        {"SERVICE", w.service},
        {"INSTANCE", w.instance},
        {"INSTANCE_TYPE", std::string(to_string(r.type))},
        {"PERSISTENT_DATA", bool_text(r.persistent_data)},
        {"PERSISTENT_LOG", bool_text(r.persistent_log)},
        {"PERSISTENT_OPT", bool_text(r.persistent_opt)},
        {"SAFEMODE", bool_text(r.safemode)},
        {"HOST_HOSTNAME", input.host->hostname},
        {"PROJECT", project.name},
    };
    if (!dns_ip.empty()) {
      builtins["DNS_SERVICE_IP"] = dns_ip;
      declared.erase("DNS_SERVICE_IP");
    }
    r.env = detail::resolve_env(who, builtins, declared, input, out.messages);

    if (auto it = r.env.find("DNS_UPDATE_POLICY"); it != r.env.end()) {
      std::string policy = strings::to_upper(it->second.value);
      if (policy == "APPEND")
        r.dns_policy = DnsPolicy::append;
      else if (policy == "REPLACE")
        r.dns_policy = DnsPolicy::replace;
      else if (policy == "HIDE")
        r.dns_policy = DnsPolicy::hide;
      else
        fail(ErrorKind::config, "{}: {}: DNS_UPDATE_POLICY must be APPEND, REPLACE or HIDE, not \"{}\"",
             it->second.detail.empty() ? std::string(to_string(it->second.source)) : it->second.detail, who,
             it->second.value);
    }

    // Mounts: persistence (inventory 8), the SSH key (decisions.md 10), the
    // TSIG key for the DNS (decisions.md 13), then run.conf volumes.
    if (r.persistent_data || r.persistent_opt || r.persistent_log) {
      r.persistent_dir = project.data_dir + "/" + w.service + "-" + w.instance;
      r.volumes.push_back({r.persistent_dir, "/persistent", ""});
    }
    r.volumes.push_back({project.dir + "/.dockerops/id_ed25519.pub", "/run/dockerops/authorized_keys", "ro"});
    if (r.ssh_keys)
      r.volumes.push_back({project.dir + "/.dockerops/id_ed25519", "/run/dockerops/id_ed25519", "ro"});
    if (r.is_dns)
      r.volumes.push_back({project.dir + "/.dockerops/dns.key", "/etc/dockerops/dns.key", "ro"});
    if (e)
      for (auto& v : detail::resolve_volumes(*e, project, conf.filename))
        r.volumes.push_back(std::move(v));

    r.ports = detail::resolve_ports(r, service, facts, e, conf.filename);

    r.config_hash = detail::fnv1a_hex(r.canonical());
    r.labels = {{std::string(k_label_project), r.project},
                {std::string(k_label_service), r.service},
                {std::string(k_label_instance), r.instance},
                {std::string(k_label_instance_type), std::string(to_string(r.type))},
                {std::string(k_label_conf), r.conf},
                {std::string(k_label_config_hash), r.config_hash}};
    out.instances.push_back(std::move(r));
  }
  return out;
}

} // namespace dockerops::project
