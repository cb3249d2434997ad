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
  engine::Labels labels;    // DOCKEROPS_EXTRA_LABELS
  LinkAddress link_address; // resolves pending link variables; empty = leave them out
};

// The POST /containers/create body for a resolved instance: env (links filled in), labels,
// hostname, binds, port bindings, DNS, the project network endpoint (pinned address, links) or
// host networking, and for interactive instances a TTY with stdin attached.
//
// Links are the endpoint's "target:alias" pairs: the alias resolves for this container only (as
// the original's --link), whether the target started in this run or long before, and two
// instances may use one alias for different targets. Network-wide aliases on the target would
// need the target recreated whenever a new instance links to it (docs/decisions.md 11: no other
// network aliases, so <service> names come from dockerops-dnsd alone).
engine::ContainerSpec container_spec(const project::ResolvedInstance& instance, const SpecExtras& extras);

} // namespace dockerops::apply
