#pragma once

#include "engine/swarm.hpp"
#include "engine/types.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dockerops::engine {

// The narrow interface to the Docker daemon (as ninja's DiskInterface is to the disk): the libcurl
// implementation talks to the Engine API; tests/support/fake_engine.hpp records calls in memory.
// Every method is safe to call from several threads at once. Failures throw dockerops::Error:
// not_found (404), conflict (409), engine (other daemon errors, with the daemon's message),
// engine_unreachable (no daemon), interrupted (Ctrl-C during a call).
class Engine {
public:
  virtual ~Engine() = default;

  // --- daemon ---
  // The negotiated API version used in every path ("1.41").
  virtual std::string api_version() const = 0;
  // DOCKER_HOST as used ("unix:///var/run/docker.sock"), for messages.
  virtual std::string host() const = 0;
  // True over a unix socket; features that need the daemon's filesystem say "needs a local daemon" otherwise.
  virtual bool is_local() const = 0;
  // GET /_ping; throws engine_unreachable when nothing answers.
  virtual void ping() = 0;
  virtual VersionInfo version() = 0;
  virtual SystemInfo info() = 0;

  // --- images ---
  virtual ImageInfo inspect_image(const std::string& name) = 0;
  virtual std::vector<ImageInfo> list_images(const Filters& filters) = 0;
  virtual void remove_image(const std::string& name, bool force) = 0;
  // POST /images/{source}/tag?repo=&tag=
  virtual void tag_image(const std::string& source, const std::string& repo, const std::string& tag) = 0;
  // POST /images/create?fromSrc=- with a rootfs tar as the body; returns the new image ID.
  virtual std::string import_image(const ImportOptions& options, const BodyReader& tar) = 0;
  // POST /build with a context tar as the body; each JSON line goes to `progress` (may be empty).
  // A Dockerfile or RUN failure throws an engine Error naming the daemon's message. Returns the image ID.
  virtual std::string build_image(const BuildOptions& options, const BodyReader& context_tar,
                                  const ProgressCallback& progress) = 0;
  // POST /images/create?fromImage=&tag=; fails cleanly when no registry is reachable.
  virtual void pull_image(const std::string& image, const std::string& tag,
                          const ProgressCallback& progress) = 0;
  // POST /images/{image}/push?tag= to the registry the name starts with ("10.0.0.2:5000/demo/web"),
  // anonymously. A registry the daemon does not trust (plain HTTP, not 127.0.0.0/8 nor in its
  // insecure-registries) or cannot reach fails with the daemon's message.
  virtual void push_image(const std::string& image, const std::string& tag,
                          const ProgressCallback& progress) = 0;

  // --- containers ---
  // Returns the new container's ID; the daemon's warnings are logged.
  virtual std::string create_container(const ContainerSpec& spec) = 0;
  // 304 (already running) is not an error.
  virtual void start_container(const std::string& id) = 0;
  // 304 (already stopped) is not an error.
  virtual void stop_container(const std::string& id, int timeout_seconds) = 0;
  virtual void kill_container(const std::string& id, const std::string& signal) = 0;
  virtual void remove_container(const std::string& id, bool force, bool volumes) = 0;
  virtual std::vector<ContainerSummary> list_containers(const Filters& filters, bool all) = 0;
  virtual ContainerInfo inspect_container(const std::string& id) = 0;
  // Blocks until the condition holds; returns the exit code.
  virtual int wait_container(const std::string& id, WaitCondition condition) = 0;
  // Demultiplexed output (raw when the container has a TTY) until the end or the callback returns false.
  virtual void logs(const std::string& id, const LogOptions& options, const OutputCallback& output) = 0;
  // One sample of the container's counters (GET /containers/{id}/stats, one-shot). The agent
  // reads cgroup files instead when it can (agent/cgroup_stats.hpp): this is its fallback.
  virtual ContainerStats stats(const std::string& id) = 0;
  // POST /containers/{id}/resize?h=&w=
  virtual void resize_container(const std::string& id, int height, int width) = 0;
  // Interactive: attach to stdin/stdout/stderr (hijacked), then start the container when `start`
  // (attach before start loses no output), pump until the stream ends; returns the exit code (wait).
  // Puts the local terminal in raw mode when the container has a TTY and input_fd is a terminal,
  // and forwards SIGWINCH as a resize.
  virtual int attach(const std::string& id, bool start, const InteractiveIo& io) = 0;

  // --- exec ---
  // Non-interactive: create + start, output to the callback; returns the exit code (GET /exec/{id}/json).
  virtual int exec(const std::string& container, const ExecSpec& spec, const OutputCallback& output) = 0;
  // Interactive (hijacked) exec with the local terminal; returns the exit code.
  virtual int exec_interactive(const std::string& container, const ExecSpec& spec,
                               const InteractiveIo& io) = 0;

  // --- networks ---
  // Returns the new network's ID; a duplicate name is a conflict.
  virtual std::string create_network(const NetworkSpec& spec) = 0;
  virtual std::vector<NetworkInfo> list_networks(const Filters& filters) = 0;
  virtual NetworkInfo inspect_network(const std::string& name) = 0;
  virtual void remove_network(const std::string& name) = 0;
  // DELETE /volumes/{name}: conflict while a container uses it, not_found when there is none.
  virtual void remove_volume(const std::string& name) = 0;
  // endpoint.network names the network; aliases and ipv4_address are optional.
  virtual void connect_network(const EndpointSpec& endpoint, const std::string& container) = 0;
  virtual void disconnect_network(const std::string& network, const std::string& container, bool force) = 0;

  // --- swarm mode ---
  // Services, tasks, nodes and the swarm itself (a manager's engine only; see engine/swarm.hpp).
  virtual Swarm& swarm() = 0;

  // --- events ---
  // Streams events until the callback returns false, until `options.until`, or Ctrl-C (interrupted Error).
  virtual void events(const EventOptions& options, const EventCallback& callback) = 0;

  // --- conveniences built on the calls above ---
  // inspect_image, or nullopt when the image does not exist.
  std::optional<ImageInfo> find_image(const std::string& name);
  // inspect_container, or nullopt when the container does not exist.
  std::optional<ContainerInfo> find_container(const std::string& id);
  // exec with stdout and stderr collected into one string; returns the exit code.
  int exec_capture(const std::string& container, const ExecSpec& spec, std::string& output);
};

// Connects to DOCKER_HOST (unix://PATH, default /var/run/docker.sock; tcp://HOST:PORT), pings and
// negotiates the API version (min(1.43, server), at least 1.41); DOCKEROPS_API_TIMEOUT bounds each call.
// Throws engine_unreachable when no daemon answers (in time), usage for a bad DOCKER_HOST or
// DOCKEROPS_API_TIMEOUT, engine for a daemon older than API 1.41.
std::unique_ptr<Engine> connect();

// The same for an explicit DOCKER_HOST value (empty = the default socket).
std::unique_ptr<Engine> connect(const std::string& docker_host);

// Label filter helper: {"label": {"k=v", ...}}.
Filters label_filter(const std::vector<std::string>& labels);

} // namespace dockerops::engine
