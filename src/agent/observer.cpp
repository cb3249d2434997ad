#include "agent/observer.hpp"

#include "base/error.hpp"
#include "base/log.hpp"
#include "engine/engine.hpp"
#include "project/model.hpp"
#include "project/resources.hpp"

#include <algorithm>

namespace dockerops::agent {
namespace {

std::string label(const engine::Labels& labels, std::string_view key) {
  auto it = labels.find(std::string(key));
  return it == labels.end() ? std::string() : it->second;
}

} // namespace

Observer::Observer(engine::Engine& engine, std::string project)
    : m_engine(engine), m_project(std::move(project)) {}

void Observer::invalidate(const std::string& container_id) {
  std::lock_guard lock(m_mutex);
  m_stale.insert(container_id);
}

void Observer::invalidate_all() {
  std::lock_guard lock(m_mutex);
  m_all_stale = true;
}

std::vector<ObservedInstance> Observer::observe() {
  auto containers = m_engine.list_containers(
      engine::label_filter({std::string(project::k_label_project) + "=" + m_project}), true);
  std::set<std::string> stale;
  bool all_stale = false;
  {
    std::lock_guard lock(m_mutex);
    stale.swap(m_stale);
    std::swap(all_stale, m_all_stale);
  }
  std::map<std::string, ObservedInstance> fresh;
  for (const auto& c : containers) {
    ObservedInstance o;
    {
      std::lock_guard lock(m_mutex);
      auto cached = m_cache.find(c.id);
      if (cached != m_cache.end() && cached->second.state == c.state && stale.count(c.id) == 0 && !all_stale)
        o = cached->second;
    }
    if (o.container_id.empty()) {
      try {
        engine::ContainerInfo info = m_engine.inspect_container(c.id);
        o.health = info.health_status;
        o.exit_code = info.exit_code;
        o.started_at = info.started_at;
        o.finished_at = info.finished_at;
        o.env = info.env;
        o.hostname = info.hostname;
        o.ports = std::move(info.ports);
        o.mounts = std::move(info.mounts);
        o.networks = std::move(info.networks);
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::not_found)
          throw;
        continue; // removed between the list and the inspect: the next pass sees it gone
      }
      o.container_id = c.id;
    }
    o.service = label(c.labels, project::k_label_service);
    o.instance = label(c.labels, project::k_label_instance);
    o.type = label(c.labels, project::k_label_instance_type);
    o.conf = label(c.labels, project::k_label_conf);
    o.config_hash = label(c.labels, project::k_label_config_hash);
    o.restart = label(c.labels, project::k_label_restart);
    o.watches = label(c.labels, project::k_label_watches);
    o.resources = project::resources_from_labels(c.labels);
    if (o.restart.empty())
      o.restart = "no";
    o.container_name = c.name;
    o.image = c.image;
    o.state = c.state;
    auto on_net = c.ip_by_network.find(m_project + "_net");
    o.ip = on_net != c.ip_by_network.end() ? on_net->second
                                           : (c.ip_by_network.empty() ? "" : c.ip_by_network.begin()->second);
    if (o.service.empty())
      continue; // a container with the project label but no service label is not an instance
    fresh[c.id] = o;
  }
  std::vector<ObservedInstance> result;
  result.reserve(fresh.size());
  for (const auto& [id, o] : fresh)
    result.push_back(o);
  std::sort(result.begin(), result.end(), [](const auto& a, const auto& b) {
    return std::tie(a.service, a.instance, a.container_id) < std::tie(b.service, b.instance, b.container_id);
  });
  std::lock_guard lock(m_mutex);
  m_cache = std::move(fresh);
  return result;
}

} // namespace dockerops::agent
