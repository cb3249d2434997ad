#include "apply/observe.hpp"

#include "project/model.hpp"
#include "project/subnet.hpp"

namespace dockerops::apply {

plan::ObservedState observe(engine::Engine& engine, const std::string& project) {
  plan::ObservedState state;
  std::string network = project::network_name(project);
  auto filters = engine::label_filter({std::string(project::k_label_project) + "=" + project});
  for (auto& c : engine.list_containers(filters, true)) {
    plan::ObservedContainer o;
    o.id = c.id;
    o.name = c.name;
    o.labels = c.labels;
    o.state = c.state;
    o.image_id = c.image_id;
    if (auto it = c.ip_by_network.find(network); it != c.ip_by_network.end())
      o.ip = it->second;
    state.containers.push_back(std::move(o));
  }
  for (auto& n : engine.list_networks({})) {
    plan::ObservedNetwork o;
    o.id = n.id;
    o.name = n.name;
    o.subnet = n.subnets.empty() ? "" : n.subnets.front();
    o.labels = n.labels;
    state.networks.push_back(std::move(o));
  }
  return state;
}

std::string project_subnet(const plan::ObservedState& observed, const std::string& project,
                           const std::string& pool) {
  std::vector<std::string> in_use;
  for (const auto& n : observed.networks) {
    if (n.name == project::network_name(project) && !n.subnet.empty())
      return n.subnet;
    if (!n.subnet.empty())
      in_use.push_back(n.subnet);
  }
  return project::choose_subnet(in_use, pool);
}

} // namespace dockerops::apply
