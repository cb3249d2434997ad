#include "project/orchestrator.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"

#include <vector>

namespace dockerops::project {

std::string_view to_string(Orchestrator orchestrator) {
  return orchestrator == Orchestrator::swarm ? "swarm" : "docker";
}

namespace {

Orchestrator parse(const std::string& value, const std::string& where) {
  if (value == "docker")
    return Orchestrator::docker;
  if (value == "swarm")
    return Orchestrator::swarm;
  std::string hint = strings::did_you_mean(value, std::vector<std::string>{"docker", "swarm"});
  fail(ErrorKind::config, "{}: unknown orchestrator \"{}\"{}", where, value,
       hint.empty() ? std::string("; use \"docker\" or \"swarm\"") : hint);
}

void check_registry(const HostSetting& registry) {
  const std::string& v = registry.value;
  bool bad = v.empty() || v.find("://") != std::string::npos || v.find('/') != std::string::npos ||
             v.find_first_of(" \t") != std::string::npos;
  if (auto colon = v.rfind(':'); !bad && colon != std::string::npos) {
    std::string port = v.substr(colon + 1);
    bad = port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos;
  }
  if (bad)
    fail(ErrorKind::config, "host.conf:{}: \"registry\": \"{}\" is not HOST:PORT (e.g. \"10.0.0.5:5000\")",
         registry.line, v);
}

} // namespace

Orchestrator choose_orchestrator(const HostConf& conf, const std::optional<std::string>& env) {
  if (conf.registry)
    check_registry(*conf.registry);
  if (env && !env->empty())
    return parse(*env, "DOCKEROPS_ORCHESTRATOR");
  if (conf.orchestrator)
    return parse(conf.orchestrator->value,
                 fmt::format("host.conf:{}: \"orchestrator\"", conf.orchestrator->line));
  return Orchestrator::docker;
}

} // namespace dockerops::project
