#pragma once

#include "engine/types.hpp"
#include "project/model.hpp"

#include <functional>
#include <string>
#include <vector>

namespace dockerops::apply {

// Returns the IP of a project container on the project network (for link variables whose
// target started in this run); throws when the target has no address.
using LinkAddress = std::function<std::string(const std::string& container_name)>;

// What create needs besides the resolved instance.
struct SpecExtras {
  engine::Labels labels;            // DOCKEROPS_EXTRA_LABELS
  std::vector<std::string> aliases; // network aliases of links that point at this instance
  LinkAddress link_address;         // resolves pending link variables; empty = leave them out
};

// The POST /containers/create body for a resolved instance: env (links filled in), labels,
// hostname, binds, port bindings, DNS, the project network endpoint (pinned address, link
// aliases) or host networking, and for interactive instances a TTY with stdin attached.
engine::ContainerSpec container_spec(const project::ResolvedInstance& instance, const SpecExtras& extras);

// The network aliases each container gets: for every link of every instance, the alias goes on
// the link target's endpoint (decisions.md 11: link aliases only, never the service name).
std::map<std::string, std::vector<std::string>>
link_aliases(const std::vector<project::ResolvedInstance>& instances);

} // namespace dockerops::apply
