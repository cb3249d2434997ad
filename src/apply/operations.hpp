#pragma once

// Internal to apply/: the execution of one plan operation (operations.cpp), shared state
// guarded by a mutex since operations run on several threads.

#include "apply/executor.hpp"
#include "apply/replaced_images.hpp"
#include "engine/http_error.hpp"

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

namespace dockerops::apply::detail {

class OperationRunner {
public:
  OperationRunner(engine::Engine& engine, const plan::Plan& plan, const ApplyOptions& options);
  ~OperationRunner();
  OperationRunner(const OperationRunner&) = delete;
  OperationRunner& operator=(const OperationRunner&) = delete;

  // Executes one operation; throws dockerops::Error naming the instance on failure.
  void run(const plan::Operation& op);

  // "demo/one" for an operation (display_names for observed containers).
  std::string who(const plan::Operation& op) const;

  // Prints one progress line.
  void say(const std::string& line);

  // Removes the containers this run created (reverse order), then the network it created;
  // returns what it could not remove.
  std::vector<std::string> roll_back();

  void cancel() { m_cancelled = true; }
  bool cancelled() const { return m_cancelled.load(); }

  ApplyResult result();

private:
  void create_network(const plan::Operation& op);
  void build_image(const plan::Operation& op);
  // The ID of an image this run built, or "".
  std::string built_id(const std::string& reference);
  void start_instance(const plan::Operation& op);
  // The operation's instance, with the ID of an image this run built bound into its config hash
  // (then kept in `bound`).
  const project::ResolvedInstance& bound_instance(const plan::Operation& op,
                                                  project::ResolvedInstance& bound);
  // Swarm (operations_swarm.cpp).
  void push_image(const plan::Operation& op);
  void create_secret(const plan::Operation& op);
  void remove_secret(const plan::Operation& op);
  void remove_volume(const plan::Operation& op);
  void create_service(const plan::Operation& op);
  void update_service(const plan::Operation& op);
  void scale_service(const plan::Operation& op);
  void remove_service(const plan::Operation& op);
  void wait_running(const plan::Operation& op);
  // The project's swarm secrets and configs, name -> ID: those this run made, and the listed ones,
  // listed again whenever one that `r` needs is not known yet.
  std::map<std::string, std::string> file_ids(const project::ResolvedInstance& r);
  engine::ServiceSpec spec_of(const plan::Operation& op, const project::ResolvedInstance& r);
  std::string create_container(const engine::ContainerSpec& spec, const std::string& who);
  void start_container(const std::string& id, const std::string& who, const project::ResolvedInstance& r,
                       const std::string& address);
  // "name (service/instance ...)" of the container other than `self` that holds `address` on the
  // project network, or "".
  std::string holder_of(const std::string& address, const std::string& self);
  void register_dns(const plan::Operation& op, bool add);
  void sync_dns(const plan::Operation& op);
  void sync_swarm_dns(const plan::Operation& op);
  void make_project_files(const plan::Operation& op);
  void network_warning(const plan::Operation& op, const engine::DaemonError& e);
  void remove_network(const plan::Operation& op);
  void wait_ready(const plan::Operation& op);
  void sleep(const plan::Operation& op);
  void notify_watcher(const plan::Operation& op);
  std::string address_of(const std::string& container, const std::string& network);
  std::string why_recreated(const plan::Operation& op);
  void count(); // one engine write done (fault injection)
  // DELETE /containers/{id}?force=1; a container that is gone already is fine.
  void remove_if_present(const std::string& id);

  engine::Engine& m_engine;
  const plan::Plan& m_plan;
  const ApplyOptions& m_options;
  std::map<std::string, const project::ResolvedInstance*> m_instances; // by container name
  std::string m_network;                                               // <project>_net
  std::mutex m_mutex;
  // Instances ready / total of this plan (issue 7: an updating line on a terminal).
  int m_ready_total = 0;
  std::atomic<int> m_ready_done{0};
  Reporter& m_reporter;
  std::vector<std::pair<std::string, std::string>> m_created; // (name, id)
  std::string m_created_network; // the network this run created, removed by roll_back()
  std::map<std::string, std::optional<engine::ImageInfo>> m_images;
  ReplacedImages m_replaced_images;
  ApplyResult m_result;
  std::map<std::string, std::string> m_built_ids; // image reference -> ID, built by this run
  std::atomic<bool> m_cancelled{false};
  // Swarm: services this run created (name, ID), images pushed (local reference -> pinned remote
  // reference), the project's secrets and configs, the tasks a service had before its update.
  std::vector<std::pair<std::string, std::string>> m_created_services;
  std::map<std::string, std::string> m_pushed;
  std::map<std::string, std::string> m_file_ids; // secret or config name -> ID
  std::map<std::string, std::set<std::string>> m_task_baseline;
};

// "demo/one" for an operation, else its target.
std::string who_of(const plan::Operation& op);

} // namespace dockerops::apply::detail
