#pragma once

#include "engine/types.hpp"

#include "project/resources.hpp"

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace dockerops::engine {
class Engine;
}

namespace dockerops::agent {

// One container of the project as the agent sees it (identity from labels, docs/decisions.md
// habit 3; never from its name).
struct ObservedInstance {
  std::string service{};
  std::string instance{};
  std::string type{};        // dockerops.instance-type
  std::string conf{};        // dockerops.conf: the run conf it was started from
  std::string config_hash{}; // dockerops.config-hash
  std::string restart{};     // dockerops.restart ("no" when absent)
  std::string container_id{};
  std::string container_name{};
  std::string image{};
  std::string state{};  // Engine State.Status: created, running, paused, restarting, exited, dead
  std::string health{}; // "", "starting", "healthy", "unhealthy"
  std::string ip{};     // on <project>_net, else the first network's address
  std::string node{};   // on a swarm, the node (hostname) running it or last running it; "" on one host
  int exit_code = 0;
  std::string started_at{};
  std::string finished_at{};
  std::vector<std::string> env{}; // "K=V", for the DNS policy of a registration
  std::string hostname{};
  std::string watches{}; // dockerops.watches: the services it watches, comma-separated ("" = none)
  // For the instance's detail (GET /api/v1/instances/{service}/{instance}).
  std::vector<engine::PublishedPort> ports{};
  std::vector<engine::Mount> mounts{};
  std::map<std::string, engine::NetworkAttachment> networks{};
  // Its declared limits (the dockerops.cpus/memory/... labels): the state shows them, and the
  // autoscaler's cpu metric is a fraction of `cpus` (0 = none).
  project::Resources resources{};
};

// Observes the project's containers: one list call (by the dockerops.project label) per pass,
// and an inspect only for containers that are new, changed state, or were named by an event
// since the last pass (health, exit code and start time are not in the list). Thread-safe.
class Observer {
public:
  Observer(engine::Engine& engine, std::string project);

  // Every container of the project, sorted by service then instance.
  std::vector<ObservedInstance> observe();

  // The next pass inspects this container again (an event said it changed).
  void invalidate(const std::string& container_id);
  // The next pass inspects every container again (after the agent acted).
  void invalidate_all();

private:
  engine::Engine& m_engine;
  std::string m_project;
  std::mutex m_mutex{};
  std::map<std::string, ObservedInstance> m_cache{}; // by container id
  std::set<std::string> m_stale{};
  bool m_all_stale = false;
};

} // namespace dockerops::agent
