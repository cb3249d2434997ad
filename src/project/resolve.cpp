#include "project/resolve.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "project/resolve_parts.hpp"
#include "project/subnet.hpp"

#include <algorithm>
#include <set>

namespace dockerops::project {

using detail::Declared;
using detail::k_dns_service;
using detail::LinkCandidate;
using detail::Wanted;

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

struct TypeDefaults {
  bool linked, publish_ports, persistent_data, persistent_opt, persistent_log, safemode, interactive;
};

// The defaults table of the original README (docs/compatibility.md §types).
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
} // docs/decisions.md 7

bool pick(const std::optional<bool>& cli, const std::optional<Located<bool>>& conf, bool fallback) {
  if (cli)
    return *cli;
  if (conf)
    return conf->value;
  return fallback;
}

// At most one DNS per project (docs/decisions.md 12); it is "in the project" when
// run.conf declares it or it already runs. Checks every entry's service on the way.
const ConfEntry* find_dns_entry(const RunConf& conf, const Project& project) {
  const ConfEntry* dns_entry = nullptr;
  for (const auto& e : conf.entries) {
    detail::check_service(e.service.value, project, fmt::format("{}:{}", conf.filename, e.service.line));
    if (e.service.value == k_dns_service) {
      if (dns_entry)
        fail(ErrorKind::config,
             "{}:{}: a second dockerops-dns instance (first at line {}); a project has at most one",
             conf.filename, e.line, dns_entry->line);
      dns_entry = &e;
    }
  }
  return dns_entry;
}

// The DNS serves the others when it runs or is started by this command; one
// that is only declared would leave them with a dead resolver.
bool dns_serves(const ResolveInput& input, const std::vector<Wanted>& wanted) {
  auto is_dns = [](const auto& i) { return i.service == k_dns_service; };
  return std::any_of(input.running.begin(), input.running.end(), is_dns) ||
         std::any_of(wanted.begin(), wanted.end(), is_dns);
}

// What every instance of this resolution shares.
struct ProjectScope {
  const ResolveInput& input;
  std::string network;
  std::string dns_ip; // empty: no DNS serves the project (yet)
  std::vector<LinkCandidate> candidates;
};

// The instance type, its defaults and the switches (command line > run.conf >
// the type's default, docs/compatibility.md §precedence), and the seed command.
void resolve_options(ResolvedInstance& r, const Wanted& w, const Overrides& o, Notices& notices) {
  const ConfEntry* e = w.origin.entry;
  r.type = detail::choose_type(w, o, r.who(), notices);
  TypeDefaults d = defaults_for(r.type);
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
  // An interactive container is removed when its shell exits: nothing to bring back.
  if (e && e->restart && !r.interactive)
    r.restart = parse_restart_policy(e->restart->value).value_or(RestartPolicy::no);
  r.sleep = e && e->sleep && !r.interactive ? e->sleep->value : 0;
  if (e) {
    const ConfResources& limits = e->scale.resources;
    r.resources.cpus = limits.cpus ? limits.cpus->value : 0;
    r.resources.memory = limits.memory ? limits.memory->value : 0;
    r.resources.memory_reservation = limits.memory_reservation ? limits.memory_reservation->value : 0;
    r.resources.pids = limits.pids ? limits.pids->value : 0;
    r.drain = e->scale.drain ? e->scale.drain->value : k_record_ttl;
  }
  std::string seed = o.seed_command         ? *o.seed_command
                     : e && e->seed_command ? e->seed_command->value
                     : r.interactive        ? "bash"
                                            : "";
  for (const auto& word : strings::split(seed, ' '))
    if (!word.empty())
      r.command.push_back(word);
}

// Variables the instance declares: required_env_vars.json, run.conf env_vars,
// and SERVICE_IP, which a master instance needs.
std::map<std::string, Declared> declared_vars(const ResolvedInstance& r, const Service* service,
                                              const detail::Origin& origin) {
  std::map<std::string, Declared> declared;
  if (service)
    for (const auto& name : service->required_vars)
      declared[name] = {std::nullopt, EnvSource::run_conf,
                        "services/" + r.service + "/required_env_vars.json", "", ""};
  if (origin.entry)
    for (const auto& var : origin.entry->env_vars)
      declared[var.name] = {var.value, EnvSource::run_conf, fmt::format("{}:{}", r.conf, var.line), "", ""};
  if (r.type == InstanceType::master && !r.is_dns && !declared.count("SERVICE_IP"))
    declared["SERVICE_IP"] = {std::nullopt, EnvSource::run_conf, origin.where(), "",
                              " for a master instance"};
  return declared;
}

// Built-ins (docs/compatibility.md §builtins, plus PROJECT and DNS_SERVICE_IP).
std::map<std::string, std::string> builtin_vars(const ResolvedInstance& r, const ResolveInput& input,
                                                const std::string& dns_ip) {
  const HostInfo& host = *input.host;
  std::map<std::string, std::string> builtins = {
      {"SERVICE", r.service},
      {"INSTANCE", r.instance},
      {"INSTANCE_TYPE", std::string(to_string(r.type))},
      {"PERSISTENT_DATA", bool_text(r.persistent_data)},
      {"PERSISTENT_LOG", bool_text(r.persistent_log)},
      {"PERSISTENT_OPT", bool_text(r.persistent_opt)},
      {"SAFEMODE", bool_text(r.safemode)},
      {"HOST_HOSTNAME", host.hostname},
      {"PROJECT", r.project},
  };
  if (!dns_ip.empty())
    builtins["DNS_SERVICE_IP"] = dns_ip;
  if (input.swarm) {
    // docs/decisions.md 33: Swarm expands the template per task, so the host is the task's node.
    builtins["HOST_HOSTNAME"] = "{{.Node.Hostname}}";
    if (r.is_dns) {
      // The DNS of every node is reached at the same address (dns.<zone>), and its reverse zone
      // is the project's overlay /24, not the first network it finds itself on.
      builtins["DNS_SELF_ADDRESS"] = input.nameserver;
      builtins["DNS_NETWORK"] = input.subnet;
      // The node's containers query through the published port and so come from the gateway;
      // others keep getting the zone only (dockerops-dnsd(8): not an open resolver).
      builtins["DNS_FORWARD_ALLOW"] = input.nameserver + "/32";
      builtins["DNS_FORWARD_PUBLISHED"] = "yes";
    }
  }
  return builtins;
}

// DNS_UPDATE_POLICY from the resolved environment; APPEND when unset.
void resolve_dns_policy(ResolvedInstance& r) {
  auto it = r.env.find("DNS_UPDATE_POLICY");
  if (it == r.env.end())
    return;
  const EnvValue& value = it->second;
  if (auto policy = parse_dns_policy(value.value)) {
    r.dns_policy = *policy;
    return;
  }
  std::string hint = strings::did_you_mean(strings::to_upper(value.value), {"APPEND", "REPLACE", "HIDE"});
  fail(ErrorKind::config, "{}: {}: DNS_UPDATE_POLICY is \"{}\"{}",
       value.detail.empty() ? std::string(to_string(value.source)) : value.detail, r.who(), value.value,
       hint.empty() ? std::string("; use APPEND, REPLACE or HIDE") : hint);
}

// The daemon's socket on this host: DOCKER_HOST when it is a unix socket, else the default.
std::string docker_socket_of(const HostInfo& host) {
  const std::string* docker_host = host.getenv("DOCKER_HOST");
  if (docker_host && docker_host->rfind("unix://", 0) == 0)
    return docker_host->substr(7);
  return "/var/run/docker.sock";
}

// Mounts: persistence (docs/compatibility.md §persistence), the SSH key (docs/decisions.md 10), the TSIG
// key for the DNS (docs/decisions.md 13), the agent's socket, folder and cgroups, then run.conf volumes.
void add_mounts(ResolvedInstance& r, const Project& project, const ConfEntry* e,
                const std::string& docker_socket, bool swarm) {
  if (r.persistent_data || r.persistent_opt || r.persistent_log) {
    r.persistent_dir = project.data_dir + "/" + r.service + "-" + r.instance;
    r.volumes.push_back({r.persistent_dir, "/persistent", ""});
  }
  r.volumes.push_back({project.dir + "/.dockerops/id_ed25519.pub", "/run/dockerops/authorized_keys", "ro"});
  if (r.ssh_keys)
    r.volumes.push_back({project.dir + "/.dockerops/id_ed25519", "/run/dockerops/id_ed25519", "ro"});
  if (r.is_dns)
    r.volumes.push_back({project.dir + "/.dockerops/dns.key", "/etc/dockerops/dns.key", "ro"});
  if (r.is_agent && swarm) {
    // The manager's own socket (the task runs on a manager) and the agent's folder on a named
    // volume; the TSIG key and the token come as swarm secrets (docs/decisions.md 40).
    r.volumes.push_back({"/var/run/docker.sock", "/var/run/docker.sock", ""});
    r.volumes.push_back({"", std::string(project::k_agent_swarm_dir), ""});
    r.volumes.push_back({project.dir + "/.dockerops/dns.key", "/etc/dockerops/dns.key", "ro"});
    r.volumes.push_back({project.dir + "/.dockerops/agent.token", "/run/dockerops/agent.token", "ro"});
  } else if (r.is_agent) {
    // The Docker socket (root-equivalent: the agent is trusted like dockerops itself), the project
    // folder at the same path (the core mounts its files into the instances it creates), and the
    // host's cgroups for stats.
    r.volumes.push_back({docker_socket, "/var/run/docker.sock", ""});
    r.volumes.push_back({project.dir, project.dir, ""});
    r.volumes.push_back({"/sys/fs/cgroup", std::string(project::k_agent_cgroup_root), "ro"});
  }
  if (e)
    for (auto& v : detail::resolve_volumes(*e, project, r.conf))
      r.volumes.push_back(std::move(v));
}

// run.conf "watches": each a service of the project or a built-in, sorted, each once.
std::vector<std::string> resolve_watches(const ConfEntry& e, const Project& project,
                                         const std::string& conf) {
  std::set<std::string> out;
  for (const auto& w : e.watches) {
    detail::check_service(w.value, project, fmt::format("{}:{}: \"watches\"", conf, w.line));
    out.insert(w.value);
  }
  return {out.begin(), out.end()};
}

ResolvedInstance resolve_instance(const Wanted& w, const ProjectScope& scope, Notices& notices) {
  const ResolveInput& input = scope.input;
  const Project& project = *input.project;
  const ConfEntry* e = w.origin.entry;
  detail::check_instance_name(w.service, w.instance,
                              e && e->instance ? fmt::format("{}:{}", input.conf->filename, e->instance->line)
                                               : std::string("command line"));
  const Service* service = nullptr;
  if (auto it = project.services.find(w.service); it != project.services.end())
    service = &it->second;
  ResolvedInstance r;
  r.project = project.name;
  r.service = w.service;
  r.instance = w.instance;
  r.conf = input.conf->filename;
  r.conf_line = e ? e->line : 0;
  if (w.number > 0) {
    r.prefix = counted_prefix(*e);
    r.number = w.number;
  }
  r.group = e && e->group ? e->group->value : "";
  r.builtin_service = service == nullptr;
  r.is_dns = w.service == k_dns_service;
  r.is_agent = w.service == project::k_agent_service;
  resolve_options(r, w, input.overrides, notices);
  if (r.is_agent) {
    // On the host's network, so that its API on 127.0.0.1 is the host's loopback and it reaches
    // every container; restarted by the daemon, not by itself (docs/decisions.md 29), unless a
    // user stopped it (a stop survives a daemon restart; the daemon treats docker kill as a stop).
    r.nethost = true;
    r.restart = RestartPolicy::no;
    r.daemon_restart = "unless-stopped";
  }

  // Naming (docs/compatibility.md §naming) and the project network.
  r.container_name = project.name + "-" + w.service + "-" + w.instance;
  r.hostname = r.nethost ? "" : (e && e->hostname ? e->hostname->value : w.service + "-" + w.instance);
  r.image = (service ? project.name + "/" + w.service : builtin_image(w.service)) + ":latest";
  auto image = input.images.find(r.image);
  const ImageFacts* facts = image == input.images.end() ? nullptr : &image->second;
  r.image_id = facts ? facts->id : "";
  r.network = r.nethost ? "" : scope.network;
  if (r.is_dns && !r.nethost && !input.swarm)
    r.ipv4_address = scope.dns_ip;
  if (!r.is_dns && !scope.dns_ip.empty()) {
    r.dns_server = scope.dns_ip;
    r.dns_search = input.zone;
  }

  std::map<std::string, Declared> declared = declared_vars(r, service, w.origin);
  if (r.linked && e)
    detail::resolve_links(r, *e, {input, scope.candidates, scope.dns_ip}, declared, notices);
  if (auto it = declared.find("DNS_SERVICE_IP"); it != declared.end() && it->second.source == EnvSource::link)
    declared.erase(it); // the legacy DNS link names the DNS the built-in already points at
  std::map<std::string, std::string> builtins = builtin_vars(r, input, scope.dns_ip);
  if (r.is_agent && input.swarm) {
    builtins["DOCKEROPS_PROJECT_DIR"] = std::string(project::k_agent_swarm_dir);
    builtins["DOCKEROPS_ORCHESTRATOR"] = "swarm"; // it follows the swarm through its manager's socket
  } else if (r.is_agent) {
    builtins["DOCKEROPS_PROJECT_DIR"] = project.dir;
    builtins["DOCKEROPS_CGROUP_ROOT"] = std::string(project::k_agent_cgroup_root);
  }
  r.env = detail::resolve_env(r.who(), builtins, declared, input, notices);
  resolve_dns_policy(r);
  add_mounts(r, project, e, docker_socket_of(*input.host), input.swarm);
  r.ports = detail::resolve_ports(r, service, facts, e, r.conf);
  if (input.swarm && r.is_dns) // every node's containers reach their node's DNS there (docs/decisions.md 33)
    r.ports = {{"", 53, 53, "tcp"}, {"", 53, 53, "udp"}};

  if (e)
    r.watches = resolve_watches(*e, project, r.conf);
  r.config_hash = detail::fnv1a_hex(r.canonical());
  r.labels = {{std::string(k_label_project), r.project},
              {std::string(k_label_service), r.service},
              {std::string(k_label_instance), r.instance},
              {std::string(k_label_instance_type), std::string(to_string(r.type))},
              {std::string(k_label_conf), r.conf},
              {std::string(k_label_config_hash), r.config_hash},
              {std::string(k_label_restart), std::string(to_string(r.restart))}};
  if (!r.watches.empty())
    r.labels[std::string(k_label_watches)] = strings::join(r.watches, ",");
  r.labels.merge(resource_labels(r.resources));
  r.labels[std::string(k_label_drain)] = std::to_string(r.drain);
  if (r.number > 0) {
    r.labels[std::string(k_label_instance_prefix)] = r.prefix;
    r.labels[std::string(k_label_instance_number)] = std::to_string(r.number);
  }
  return r;
}

} // namespace

// Defined with resolve(): the hash is the resolver's (docs/decisions.md 18).
void ResolvedInstance::bind_image(const std::string& id) {
  image_id = id;
  config_hash = detail::fnv1a_hex(canonical());
  labels[std::string(k_label_config_hash)] = config_hash;
}

ResolvedProject resolve(const ResolveInput& input) {
  const Project& project = *input.project;
  const RunConf& conf = *input.conf;
  ResolvedProject out;
  out.name = project.name;
  out.dir = project.dir;
  out.network = network_name(project.name);
  out.zone = input.zone;

  const ConfEntry* dns_entry = find_dns_entry(conf, project);
  std::vector<Wanted> wanted = detail::select_instances(input, out.messages, out.counted);
  detail::check_labels_unique(wanted, input);
  bool has_dns = dns_serves(input, wanted);
  if (dns_entry && !has_dns)
    out.messages.notices.push_back(
        fmt::format("{} is in {} but not running: start it (run:{}) for name resolution", k_dns_service,
                    conf.filename, k_dns_service));

  std::string dns_ip = !has_dns                ? ""
                       : input.swarm           ? input.nameserver
                       : !input.subnet.empty() ? subnet_host(input.subnet, 2)
                                               : "";
  ProjectScope scope{input, out.network, dns_ip, detail::link_candidates(wanted, input.running)};
  for (const auto& w : wanted)
    out.instances.push_back(resolve_instance(w, scope, out.messages));
  return out;
}

} // namespace dockerops::project
