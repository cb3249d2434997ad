#pragma once

// A recording, in-memory engine::Engine for unit tests of apply/images/cli (as ninja's
// VirtualFileSystem stands in for the disk). Header-only: tests/support is not globbed.
//
// Every mutating call appends one line to calls(), e.g. "create demo-web-one", "start demo-web-one",
// "network-create demo_net", "connect demo_net demo-web-one", "build dockerops/base:latest".
// Reads (inspect, list, logs, wait, events, ping, version) are not recorded. Containers are addressed
// by name or by their fake ID "id-<name>". create fails with not_found when the image is unknown
// (as the daemon, which never pulls): register images with add_image() first.
// Use fail_on("start demo-web-one", ErrorKind::engine, "boom") to inject a failure for a call line.
// swarm() is a FakeSwarm (fake_swarm.hpp) with its own calls(); info().swarm says what swarm_state holds.

#include "base/error.hpp"
#include "call_log.hpp"
#include "engine/engine.hpp"
#include "fake_swarm.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace dockerops::engine::testing {

class FakeEngine : public Engine, public CallLog {
public:
  struct Container {
    ContainerSpec spec;
    ContainerInfo info;
  };

  // --- set-up and inspection for tests ---
  void add_image(const std::string& name, ImageInfo image = {}) {
    std::lock_guard lock(m_mutex);
    if (image.id.empty())
      image.id = "sha256:" + name;
    if (image.repo_tags.empty())
      image.repo_tags.push_back(name);
    m_images[normalize(name)] = image;
  }
  // Text returned by logs() (as stdout) and by exec() for a container, and exec's exit code.
  void set_logs(const std::string& container, const std::string& text) {
    std::lock_guard lock(m_mutex);
    m_logs[container] = text;
  }
  void set_exec_result(const std::string& container, int exit_code, const std::string& output = "") {
    std::lock_guard lock(m_mutex);
    m_exec[container] = {exit_code, output};
  }
  // What stats() returns for a container ID (others are not found).
  void set_stats(const std::string& id, const ContainerStats& stats) {
    std::lock_guard lock(m_mutex);
    m_stats[id] = stats;
  }
  // Events delivered by the next events() call.
  void queue_event(const Event& event) {
    std::lock_guard lock(m_mutex);
    m_events.push_back(event);
  }
  std::map<std::string, Container> containers() const {
    std::lock_guard lock(m_mutex);
    return m_containers;
  }
  std::map<std::string, NetworkInfo> networks() const {
    std::lock_guard lock(m_mutex);
    return m_networks;
  }
  bool local = true;
  SwarmState swarm_state{};

  // --- Engine ---
  std::string api_version() const override { return "1.41"; }
  std::string host() const override { return local ? "unix:///fake/docker.sock" : "tcp://fake:2375"; }
  bool is_local() const override { return local; }
  void ping() override {}
  VersionInfo version() override { return {"20.10.24-fake", "1.41", "1.12", "linux", "amd64", "fake"}; }
  SystemInfo info() override { return {"fake", "overlay2", "/var/lib/docker", "2", 2, 1 << 30, swarm_state}; }

  ImageInfo inspect_image(const std::string& name) override {
    std::lock_guard lock(m_mutex);
    return image_locked(name);
  }
  std::vector<ImageInfo> list_images(const Filters& filters) override {
    std::lock_guard lock(m_mutex);
    std::vector<ImageInfo> found;
    for (const auto& [name, image] : m_images)
      if (matches(image.labels, filters) &&
          std::none_of(found.begin(), found.end(), [&](const ImageInfo& i) { return i.id == image.id; }))
        found.push_back(image);
    return found;
  }
  void remove_image(const std::string& name, bool) override {
    std::lock_guard lock(m_mutex);
    record("remove-image " + name);
    image_locked(name);
    m_images.erase(normalize(name));
  }
  void tag_image(const std::string& source, const std::string& repo, const std::string& tag) override {
    std::lock_guard lock(m_mutex);
    std::string target = repo + ":" + (tag.empty() ? "latest" : tag);
    record("tag " + source + " " + target);
    ImageInfo image = image_locked(source);
    image.repo_tags.push_back(target);
    m_images[target] = image;
  }
  std::string import_image(const ImportOptions& options, const BodyReader& tar) override {
    char buffer[4096];
    std::size_t bytes = 0;
    while (std::size_t n = tar(buffer, sizeof(buffer)))
      bytes += n;
    std::lock_guard lock(m_mutex);
    std::string name = options.repo + ":" + (options.tag.empty() ? "latest" : options.tag);
    record("import " + name);
    ImageInfo image;
    image.id = "sha256:import-" + name + "-" + std::to_string(bytes);
    image.repo_tags = {name};
    m_images[name] = image;
    return image.id;
  }
  std::string build_image(const BuildOptions& options, const BodyReader& context_tar,
                          const ProgressCallback& progress) override {
    char buffer[4096];
    while (context_tar(buffer, sizeof(buffer)) != 0) {
    }
    std::lock_guard lock(m_mutex);
    std::string first = options.tags.empty() ? std::string("<none>") : normalize(options.tags.front());
    record("build " + first);
    ImageInfo image;
    image.id = "sha256:build-" + first + "-" + std::to_string(++m_serial);
    image.labels = options.labels;
    for (const auto& tag : options.tags) {
      image.repo_tags.push_back(normalize(tag));
      m_images[normalize(tag)] = image;
    }
    if (progress)
      progress(nlohmann::json{{"aux", {{"ID", image.id}}}});
    return image.id;
  }
  void pull_image(const std::string& image, const std::string& tag, const ProgressCallback&) override {
    std::lock_guard lock(m_mutex);
    record("pull " + image + ":" + (tag.empty() ? "latest" : tag));
    fail(ErrorKind::engine, "pull of {}:{} failed: the fake engine has no registry", image, tag);
  }
  void push_image(const std::string& image, const std::string& tag, const ProgressCallback&) override {
    std::lock_guard lock(m_mutex);
    std::string name = image + ":" + (tag.empty() ? "latest" : tag);
    record("push " + name);
    image_locked(name);
  }

  std::string create_container(const ContainerSpec& spec) override {
    std::lock_guard lock(m_mutex);
    record("create " + spec.name);
    if (m_containers.count(spec.name) != 0)
      fail(ErrorKind::conflict, "Conflict. The container name \"/{}\" is already in use", spec.name);
    ImageInfo image = image_locked(spec.image);
    Container container{spec, {}};
    ContainerInfo& info = container.info;
    info.id = "id-" + spec.name;
    info.name = spec.name;
    info.image = spec.image;
    info.image_id = image.id;
    info.status = "created";
    info.labels = spec.labels;
    info.env = spec.env;
    info.tty = spec.tty;
    info.hostname = spec.hostname;
    if (spec.endpoint)
      attach_locked(info, *spec.endpoint);
    m_containers[spec.name] = container;
    return info.id;
  }
  void start_container(const std::string& id) override {
    std::lock_guard lock(m_mutex);
    Container& container = container_locked(id, "start");
    container.info.running = true;
    container.info.status = "running";
    container.info.pid = 1000 + static_cast<int>(++m_serial);
  }
  void stop_container(const std::string& id, int) override {
    std::lock_guard lock(m_mutex);
    Container& container = container_locked(id, "stop");
    container.info.running = false;
    container.info.status = "exited";
    container.info.exit_code = 0;
  }
  void kill_container(const std::string& id, const std::string& signal) override {
    std::lock_guard lock(m_mutex);
    Container& container = container_locked(id, "kill", " " + signal);
    if (!container.info.running)
      fail(ErrorKind::conflict, "Container {} is not running", container.info.id);
    container.info.running = false;
    container.info.status = "exited";
    container.info.exit_code = 137;
  }
  void remove_container(const std::string& id, bool force, bool) override {
    std::lock_guard lock(m_mutex);
    Container& container = container_locked(id, "remove");
    if (container.info.running && !force)
      fail(ErrorKind::conflict, "You cannot remove a running container {}", container.info.id);
    for (auto& [name, network] : m_networks)
      std::erase_if(network.members,
                    [&](const NetworkMember& m) { return m.container_id == container.info.id; });
    m_containers.erase(container.info.name);
  }
  std::vector<ContainerSummary> list_containers(const Filters& filters, bool all) override {
    std::lock_guard lock(m_mutex);
    std::vector<ContainerSummary> found;
    for (const auto& [name, container] : m_containers) {
      const ContainerInfo& info = container.info;
      if ((!all && !info.running) || !matches(info.labels, filters))
        continue;
      ContainerSummary summary{info.id,     info.name, info.image, info.image_id, info.status, "",
                               info.labels, {},        {}};
      for (const auto& [network, attachment] : info.networks)
        summary.ip_by_network[network] = attachment.ip_address;
      found.push_back(summary);
    }
    return found;
  }
  ContainerInfo inspect_container(const std::string& id) override {
    std::lock_guard lock(m_mutex);
    return find_locked(id).info;
  }
  int wait_container(const std::string& id, WaitCondition) override {
    std::lock_guard lock(m_mutex);
    Container& container = find_locked(id);
    container.info.running = false;
    container.info.status = "exited";
    return container.info.exit_code;
  }
  void logs(const std::string& id, const LogOptions&, const OutputCallback& output) override {
    std::string text;
    {
      std::lock_guard lock(m_mutex);
      text = m_logs[find_locked(id).info.name];
    }
    if (!text.empty())
      output(Stream::output, text);
  }
  void resize_container(const std::string&, int, int) override {}
  ContainerStats stats(const std::string& id) override {
    std::lock_guard lock(m_mutex);
    auto it = m_stats.find(id);
    if (it == m_stats.end())
      fail(ErrorKind::not_found, "no such container: {}", id);
    return it->second;
  }
  int attach(const std::string& id, bool start, const InteractiveIo&) override {
    {
      std::lock_guard lock(m_mutex);
      container_locked(id, "attach");
    }
    if (start)
      start_container(id);
    return wait_container(id, WaitCondition::not_running);
  }
  int exec(const std::string& container, const ExecSpec& spec, const OutputCallback& output) override {
    std::pair<int, std::string> result;
    {
      std::lock_guard lock(m_mutex);
      Container& found = container_locked(container, "exec", " " + join(spec.cmd));
      result = m_exec[found.info.name];
    }
    if (!result.second.empty())
      output(Stream::output, result.second);
    return result.first;
  }
  int exec_interactive(const std::string& container, const ExecSpec& spec, const InteractiveIo&) override {
    std::lock_guard lock(m_mutex);
    Container& found = container_locked(container, "exec-interactive", " " + join(spec.cmd));
    return m_exec[found.info.name].first;
  }

  std::string create_network(const NetworkSpec& spec) override {
    std::lock_guard lock(m_mutex);
    record("network-create " + spec.name);
    if (m_networks.count(spec.name) != 0)
      fail(ErrorKind::conflict, "network with name {} already exists", spec.name);
    NetworkInfo network{"net-" + spec.name,
                        spec.name,
                        spec.driver,
                        spec.labels,
                        {},
                        {},
                        {},
                        spec.driver == "overlay" ? "swarm" : "local"};
    if (!spec.subnet.empty())
      network.subnets.push_back(spec.subnet);
    if (!spec.gateway.empty())
      network.gateways.push_back(spec.gateway);
    m_networks[spec.name] = network;
    return network.id;
  }
  std::vector<NetworkInfo> list_networks(const Filters& filters) override {
    std::lock_guard lock(m_mutex);
    std::vector<NetworkInfo> found;
    for (const auto& [name, network] : m_networks)
      if (matches(network.labels, filters)) {
        found.push_back(network);
        found.back().members.clear(); // as the list endpoint
      }
    return found;
  }
  NetworkInfo inspect_network(const std::string& name) override {
    std::lock_guard lock(m_mutex);
    return network_locked(name);
  }
  void remove_volume(const std::string& name) override {
    std::lock_guard lock(m_mutex);
    record("volume-remove " + name);
  }
  void remove_network(const std::string& name) override {
    std::lock_guard lock(m_mutex);
    record("network-remove " + name);
    NetworkInfo& network = network_locked(name);
    if (!network.members.empty())
      fail(ErrorKind::conflict, "error while removing network: network {} has active endpoints", name);
    m_networks.erase(network.name);
  }
  void connect_network(const EndpointSpec& endpoint, const std::string& container) override {
    std::lock_guard lock(m_mutex);
    Container& found = container_locked(container, "connect", "", endpoint.network + " ");
    attach_locked(found.info, endpoint);
  }
  void disconnect_network(const std::string& network, const std::string& container, bool) override {
    std::lock_guard lock(m_mutex);
    Container& found = container_locked(container, "disconnect", "", network + " ");
    NetworkInfo& net = network_locked(network);
    std::erase_if(net.members, [&](const NetworkMember& m) { return m.container_id == found.info.id; });
    found.info.networks.erase(net.name);
  }
  FakeSwarm& swarm() override { return m_swarm; }

  void events(const EventOptions& options, const EventCallback& callback) override {
    std::vector<Event> pending;
    {
      std::lock_guard lock(m_mutex);
      pending.swap(m_events);
    }
    for (const auto& event : pending) {
      Filters labels;
      if (auto it = options.filters.find("label"); it != options.filters.end())
        labels["label"] = it->second;
      if (matches(event.attributes, labels) && !callback(event))
        return;
    }
  }

private:
  static std::string normalize(const std::string& name) {
    auto slash = name.rfind('/');
    auto colon = name.rfind(':');
    if (name.starts_with("sha256:") ||
        (colon != std::string::npos && (slash == std::string::npos || colon > slash)))
      return name;
    return name + ":latest";
  }
  static std::string join(const std::vector<std::string>& words) {
    std::string text;
    for (const auto& word : words)
      text += (text.empty() ? "" : " ") + word;
    return text;
  }
  static bool matches(const Labels& labels, const Filters& filters) { return labels_match(labels, filters); }
  ImageInfo& image_locked(const std::string& name) {
    auto it = m_images.find(normalize(name));
    if (it == m_images.end())
      for (it = m_images.begin(); it != m_images.end() && it->second.id != name; ++it) {
      }
    if (it == m_images.end())
      fail(ErrorKind::not_found, "No such image: {}", name);
    return it->second;
  }
  Container& find_locked(const std::string& id) {
    for (auto& [name, container] : m_containers)
      if (name == id || container.info.id == id)
        return container;
    fail(ErrorKind::not_found, "No such container: {}", id);
  }
  // Records "<verb> <prefix><name><suffix>" with the container's name, then finds it.
  Container& container_locked(const std::string& id, const std::string& verb, const std::string& suffix = "",
                              const std::string& prefix = "") {
    std::string name = id.starts_with("id-") ? id.substr(3) : id;
    record(verb + " " + prefix + name + suffix);
    return find_locked(id);
  }
  NetworkInfo& network_locked(const std::string& name) {
    for (auto& [key, network] : m_networks)
      if (key == name || network.id == name)
        return network;
    fail(ErrorKind::not_found, "network {} not found", name);
  }
  void attach_locked(ContainerInfo& info, const EndpointSpec& endpoint) {
    NetworkInfo& network = network_locked(endpoint.network);
    std::string address = endpoint.ipv4_address;
    if (address.empty())
      address = "172.30.0." + std::to_string(10 + network.members.size());
    info.networks[network.name] = {network.id, address, network.gateways.empty() ? "" : network.gateways[0],
                                   endpoint.aliases};
    network.members.push_back({info.id, info.name, address});
  }

  mutable std::mutex m_mutex;
  std::map<std::string, ImageInfo> m_images;
  std::map<std::string, Container> m_containers;
  std::map<std::string, NetworkInfo> m_networks;
  std::map<std::string, std::string> m_logs;
  std::map<std::string, std::pair<int, std::string>> m_exec;
  std::vector<Event> m_events;
  std::map<std::string, ContainerStats> m_stats;
  std::uint64_t m_serial = 0;
  FakeSwarm m_swarm;
};

} // namespace dockerops::engine::testing
