#pragma once

// Observed state: what the Engine API reported, as plain values. engine/ or
// the CLI fills it (containers listed by the dockerops.project label); plan/
// only reads it.

#include <map>
#include <string>
#include <vector>

namespace dockerops::plan {

// A container of the project (GET /containers/json?all=1&filters=label=dockerops.project=P).
struct ObservedContainer {
  std::string id;
  std::string name; // without the leading '/'
  std::map<std::string, std::string> labels;
  std::string state;    // Engine API State: created, running, paused, restarting, exited, dead
  std::string image_id; // "sha256:..."
  std::string ip;       // address on the project network, may be empty
};

// A network (GET /networks).
struct ObservedNetwork {
  std::string id;
  std::string name;
  std::string subnet; // IPAM.Config[0].Subnet
  std::map<std::string, std::string> labels;
};

// Everything observed before planning.
struct ObservedState {
  std::vector<ObservedContainer> containers;
  std::vector<ObservedNetwork> networks;
};

} // namespace dockerops::plan
