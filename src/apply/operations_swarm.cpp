// The swarm operations of a plan (docs/decisions.md 33; see operations.hpp): pushing an image to the
// registry the nodes pull from, swarm secrets and configs from project files, and creating,
// updating, scaling, removing and waiting for the services of instances.
#include "apply/operations.hpp"

#include "apply/project_files.hpp"
#include "apply/service_spec.hpp"
#include "base/error.hpp"
#include "base/fs.hpp"
#include "base/interrupt.hpp"
#include "base/log.hpp"
#include "base/strings.hpp"
#include "project/swarm_names.hpp"

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

namespace dockerops::apply::detail {

namespace {

// "10.0.0.5:5000/demo/web" and "latest" of ("demo/web:latest", "10.0.0.5:5000").
std::pair<std::string, std::string> remote_name(const std::string& image, const std::string& registry) {
  auto colon = image.rfind(':');
  bool has_tag = colon != std::string::npos && image.find('/', colon) == std::string::npos;
  return {registry + "/" + (has_tag ? image.substr(0, colon) : image),
          has_tag ? image.substr(colon + 1) : "latest"};
}

// True for a task error that says the node could not get the image.
bool is_image_error(const std::string& error) {
  for (const char* words :
       {"No such image", "pull access denied", "manifest unknown", "not found: manifest",
        "server gave HTTP response to HTTPS client", "connection refused", "no such host"})
    if (error.find(words) != std::string::npos)
      return true;
  return false;
}

} // namespace

void OperationRunner::push_image(const plan::Operation& op) {
  // An image this run built is pushed by its ID: its tag may move meanwhile.
  auto [repository, tag] = remote_name(op.target, op.registry);
  std::string source = built_id(op.target);
  m_engine.tag_image(source.empty() ? op.target : source, repository, tag);
  std::string digest;
  // A registry whose task just started may not listen yet: retried for a while (bounded).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (std::chrono::milliseconds pause(200);; pause = std::min(pause * 2, std::chrono::milliseconds(2000))) {
    try {
      m_engine.push_image(repository, tag, [&](const nlohmann::json& line) {
        if (auto aux = line.find("aux"); aux != line.end() && aux->is_object() && aux->contains("Digest"))
          digest = aux->value("Digest", "");
      });
      break;
    } catch (const Error& e) {
      std::string text = e.what();
      bool unreachable = text.find("connection refused") != std::string::npos ||
                         text.find("connection reset") != std::string::npos ||
                         text.find("EOF") != std::string::npos;
      if (!unreachable || std::chrono::steady_clock::now() >= deadline)
        throw;
      interrupt::check();
      std::this_thread::sleep_for(pause);
    }
  }
  count();
  if (digest.empty())
    fail(ErrorKind::engine, "push of {} to {}: the registry returned no digest", op.target, op.registry);
  {
    std::lock_guard lock(m_mutex);
    m_pushed[op.target] = repository + "@" + digest;
  }
  say(fmt::format("{}: pushed to {} ({})", op.target, op.registry, digest.substr(0, 19)));
}

void OperationRunner::create_secret(const plan::Operation& op) {
  auto kind = op.config_file ? engine::SwarmFileKind::config : engine::SwarmFileKind::secret;
  engine::SwarmFile file;
  file.name = op.target;
  file.labels = m_options.extra_labels;
  file.labels[std::string(project::k_label_project)] = m_plan.project;
  file.data = fs::read_file(std::filesystem::path(op.context_dir) / op.files.at(0));
  try {
    std::string id = m_engine.swarm().create_file(kind, file);
    std::lock_guard lock(m_mutex);
    if (!id.empty())
      m_file_ids[op.target] = id;
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::conflict)
      fail(e.kind(), "{} {}: {}", op.config_file ? "config" : "secret", op.target, e.what());
    // Made by an earlier, interrupted run: idempotent (file_ids lists it).
  }
  count();
  log::info("{} {}: created from {}", op.config_file ? "config" : "secret", op.target, op.files.at(0));
}

void OperationRunner::remove_secret(const plan::Operation& op) {
  auto kind = op.config_file ? engine::SwarmFileKind::config : engine::SwarmFileKind::secret;
  for (const auto& file : m_engine.swarm().list_files(kind, {{"name", {op.target}}}))
    if (file.name == op.target) {
      try {
        m_engine.swarm().remove_file(kind, file.id);
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::not_found)
          throw;
      }
      count();
    }
}

std::map<std::string, std::string> OperationRunner::file_ids(const project::ResolvedInstance& r) {
  std::lock_guard lock(m_mutex);
  // Listed again when a file the service needs is not known yet: a service created before the
  // project's secrets (the registry, which has none) must not leave a list without them.
  auto files = project::swarm_files(r);
  bool missing =
      std::any_of(files.begin(), files.end(), [&](const auto& f) { return !m_file_ids.count(f.name); });
  if (missing) {
    auto filters = engine::label_filter({std::string(project::k_label_project) + "=" + m_plan.project});
    for (auto kind : {engine::SwarmFileKind::secret, engine::SwarmFileKind::config})
      for (const auto& file : m_engine.swarm().list_files(kind, filters))
        m_file_ids[file.name] = file.id;
  }
  return m_file_ids;
}

engine::ServiceSpec OperationRunner::spec_of(const plan::Operation& op, const project::ResolvedInstance& r) {
  ServiceExtras extras;
  extras.labels = m_options.extra_labels;
  extras.node = op.node;
  extras.replicas = op.replicas;
  extras.file_ids = file_ids(r);
  {
    std::lock_guard lock(m_mutex);
    if (auto it = m_pushed.find(r.image); it != m_pushed.end())
      extras.image = it->second;
  }
  return service_spec(r, extras);
}

void OperationRunner::create_service(const plan::Operation& op) {
  project::ResolvedInstance bound;
  const project::ResolvedInstance& r = bound_instance(op, bound);
  engine::ServiceSpec spec = spec_of(op, r);
  std::string who = who_of(op);
  std::string id;
  try {
    id = m_engine.swarm().create_service(spec);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::conflict)
      fail(e.kind(), "{}: cannot create service {}: {}", who, spec.name, e.what());
    // Left by an interrupted run: ours (same identity labels) is updated, anything else is a conflict.
    auto existing = m_engine.swarm().inspect_service(spec.name);
    auto label = [&](std::string_view key) {
      auto it = existing.spec.labels.find(std::string(key));
      return it == existing.spec.labels.end() ? std::string() : it->second;
    };
    bool same_instance = project::is_counted_service(r.labels)
                             ? project::is_counted_service(existing.spec.labels) &&
                                   label(project::k_label_instance_prefix) == r.prefix
                             : label(project::k_label_instance) == r.instance;
    if (label(project::k_label_project) != r.project || label(project::k_label_service) != r.service ||
        !same_instance)
      fail(ErrorKind::conflict,
           "{}: the service name {} is taken by a service dockerops does not manage; remove or "
           "rename it",
           who, spec.name);
    m_engine.swarm().update_service(existing.id, existing.version, spec);
    id = existing.id;
  }
  {
    std::lock_guard lock(m_mutex);
    m_created_services.emplace_back(spec.name, id);
  }
  count();
  say(fmt::format("{}: service created{}", who, op.node.empty() ? "" : " (pinned to node " + op.node + ")"));
}

void OperationRunner::update_service(const plan::Operation& op) {
  project::ResolvedInstance bound;
  const project::ResolvedInstance& r = bound_instance(op, bound);
  engine::ServiceSpec spec = spec_of(op, r);
  std::set<std::string> old_tasks;
  for (const auto& t : m_engine.swarm().list_tasks({{"service", {op.container_id}}}))
    old_tasks.insert(t.id);
  {
    std::lock_guard lock(m_mutex);
    m_task_baseline[spec.name] = old_tasks;
  }
  // A stale version (someone updated the service meanwhile) is read again once.
  for (int attempt = 0;; ++attempt) {
    auto current = m_engine.swarm().inspect_service(op.container_id);
    try {
      m_engine.swarm().update_service(current.id, current.version, spec);
      break;
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::conflict || attempt > 0)
        fail(e.kind(), "{}: cannot update service {}: {}", who_of(op), spec.name, e.what());
    }
  }
  count();
  say(fmt::format("{}: service updated ({})", who_of(op), op.cause));
}

void OperationRunner::scale_service(const plan::Operation& op) {
  for (int attempt = 0;; ++attempt) {
    auto current = m_engine.swarm().inspect_service(op.container_id);
    engine::ServiceSpec spec = current.spec;
    std::string stopped_key(project::k_label_stopped);
    std::erase(spec.constraints, "node.labels.dockerops.stopped==true");
    if (op.replicas == 0) {
      spec.labels[stopped_key] = "true";
      if (spec.global)
        spec.constraints.push_back("node.labels.dockerops.stopped==true");
      else
        spec.replicas = 0;
    } else {
      spec.labels.erase(stopped_key);
      if (!spec.global) {
        spec.replicas = op.replicas;
        spec.labels[std::string(project::k_label_replicas)] = std::to_string(op.replicas);
      }
    }
    try {
      m_engine.swarm().update_service(current.id, current.version, spec);
      break;
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::conflict || attempt > 0)
        throw;
    }
  }
  count();
  say(fmt::format("{}: {}", who(op),
                  op.replicas == 0        ? std::string("stopped (0 replicas)")
                  : op.cause == "stopped" ? std::string("started")
                                          : fmt::format("{} replica{} ({})", op.replicas,
                                                        op.replicas == 1 ? "" : "s", op.cause)));
}

void OperationRunner::remove_volume(const plan::Operation& op) {
  // A removed service's container goes a moment after DELETE /services returns: the volume is in
  // use until then (bounded retry).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (std::chrono::milliseconds pause(100);; pause = std::min(pause * 2, std::chrono::milliseconds(1000))) {
    try {
      m_engine.remove_volume(op.target);
      break;
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::not_found)
        break;
      if (e.kind() != ErrorKind::conflict || std::chrono::steady_clock::now() >= deadline)
        fail(e.kind(), "volume {}: {}", op.target, e.what());
      interrupt::check();
      std::this_thread::sleep_for(pause);
    }
  }
  count();
  say(fmt::format("volume {}: removed", op.target));
}

void OperationRunner::remove_service(const plan::Operation& op) {
  try {
    m_engine.swarm().remove_service(op.container_id);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::not_found)
      throw;
  }
  count();
  say(fmt::format("{}: removed", who(op)));
}

void OperationRunner::wait_running(const plan::Operation& op) {
  using clock = std::chrono::steady_clock;
  const std::string who = who_of(op);
  const auto deadline = clock::now() + std::chrono::seconds(op.seconds > 0 ? op.seconds : 120);
  engine::Swarm& swarm = m_engine.swarm();
  engine::Filters by_service = {{"service", {op.target}}};
  std::set<std::string> before; // tasks of an earlier spec: their failures are not this run's
  {
    std::lock_guard lock(m_mutex);
    if (auto it = m_task_baseline.find(op.target); it != m_task_baseline.end())
      before = it->second;
  }
  std::map<std::string, std::string> hostnames;
  for (const auto& node : swarm.list_nodes({}))
    hostnames[node.id] = node.hostname;
  auto node_name = [&](const std::string& id) {
    auto it = hostnames.find(id);
    return it == hostnames.end() ? id.substr(0, 12) : it->second;
  };
  auto service = swarm.inspect_service(op.target);
  std::string last;
  std::set<std::string> failed; // failed tasks of this spec seen so far
  for (std::chrono::milliseconds pause(50);; pause = std::min(pause * 2, std::chrono::milliseconds(500))) {
    interrupt::check();
    std::vector<engine::TaskInfo> tasks = swarm.list_tasks(by_service);
    std::size_t running = 0, current = 0;
    std::set<std::string> nodes;
    for (const auto& t : tasks) {
      if (t.desired_state == "running") {
        ++current;
        if (t.state == "running") {
          ++running;
          nodes.insert(node_name(t.node_id));
        } else if (t.state == "pending" && !t.error.empty()) {
          // No node satisfies the constraints: Swarm keeps the task pending until one does. The
          // run goes on; ps shows it pending.
          m_reporter.warning(
              fmt::format("{}: pending: {}{}", who, t.error,
                          op.instance && !op.instance->group.empty()
                              ? fmt::format(" (no ready node carries the label dockerops.group={}: "
                                            "docker node update --label-add dockerops.group={} NODE)",
                                            op.instance->group, op.instance->group)
                              : ""));
          return;
        }
        last = t.state + (t.message.empty() ? "" : ": " + t.message);
      } else if (!before.count(t.id) && (t.state == "rejected" || t.state == "failed") && !t.error.empty() &&
                 failed.insert(t.id).second) {
        std::string where = t.node_id.empty() ? "" : " on node " + node_name(t.node_id);
        if (t.state == "rejected" && is_image_error(t.error))
          fail(ErrorKind::engine,
               "{}: node{} cannot get the image {}: {}; every node must reach the registry and trust it "
               "(dockerops(1) SWARM: registry)",
               who, where.empty() ? "" : where.substr(8), service.spec.image, t.error);
        // A task that exits is restarted by Swarm (restart policy any); three in a row is a crash loop.
        if (failed.size() >= 3 || t.state == "rejected")
          fail(ErrorKind::engine, "{}: its task failed{}: {}", who, where, t.error);
      }
    }
    bool done = service.spec.global
                    ? current > 0 && running == current
                    : running >= std::max<std::uint64_t>(service.spec.replicas, 1) && running == current;
    if (service.spec.replicas == 0 && !service.spec.global)
      done = true;
    if (done) {
      say(fmt::format("{}: running on {}", who, strings::join({nodes.begin(), nodes.end()}, ", ")));
      return;
    }
    if (clock::now() >= deadline)
      fail(ErrorKind::engine, "{}: not running after {} s ({})", who, op.seconds,
           last.empty() ? "no task yet" : last);
    std::this_thread::sleep_for(pause);
  }
}

} // namespace dockerops::apply::detail
