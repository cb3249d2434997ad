#pragma once

#include "engine/engine.hpp"
#include "engine/http_client.hpp"

#include <nlohmann/json.hpp>

namespace dockerops::engine {

// The real Engine: the Docker Engine API over libcurl (http_client.hpp). Methods are spread over
// docker_engine_{daemon,images,containers,exec,networks,swarm}.cpp by topic.
class DockerEngine final : public Engine, public Swarm {
public:
  // Pings the daemon and negotiates the API version; `timeout` bounds each call (http_client.hpp).
  explicit DockerEngine(HostAddress address, std::chrono::seconds timeout = k_default_api_timeout);

  std::string api_version() const override { return m_api_version; }
  std::string host() const override { return m_http.address().original; }
  bool is_local() const override { return m_http.address().is_unix; }
  void ping() override;
  VersionInfo version() override;
  SystemInfo info() override;

  ImageInfo inspect_image(const std::string& name) override;
  std::vector<ImageInfo> list_images(const Filters& filters) override;
  void remove_image(const std::string& name, bool force) override;
  void tag_image(const std::string& source, const std::string& repo, const std::string& tag) override;
  std::string import_image(const ImportOptions& options, const BodyReader& tar) override;
  std::string build_image(const BuildOptions& options, const BodyReader& context_tar,
                          const ProgressCallback& progress) override;
  void pull_image(const std::string& image, const std::string& tag,
                  const ProgressCallback& progress) override;
  void push_image(const std::string& image, const std::string& tag,
                  const ProgressCallback& progress) override;

  std::string create_container(const ContainerSpec& spec) override;
  void start_container(const std::string& id) override;
  void stop_container(const std::string& id, int timeout_seconds) override;
  void kill_container(const std::string& id, const std::string& signal) override;
  void remove_container(const std::string& id, bool force, bool volumes) override;
  std::vector<ContainerSummary> list_containers(const Filters& filters, bool all) override;
  ContainerInfo inspect_container(const std::string& id) override;
  int wait_container(const std::string& id, WaitCondition condition) override;
  void logs(const std::string& id, const LogOptions& options, const OutputCallback& output) override;
  void resize_container(const std::string& id, int height, int width) override;
  int attach(const std::string& id, bool start, const InteractiveIo& io) override;

  int exec(const std::string& container, const ExecSpec& spec, const OutputCallback& output) override;
  int exec_interactive(const std::string& container, const ExecSpec& spec, const InteractiveIo& io) override;

  std::string create_network(const NetworkSpec& spec) override;
  std::vector<NetworkInfo> list_networks(const Filters& filters) override;
  NetworkInfo inspect_network(const std::string& name) override;
  void remove_network(const std::string& name) override;
  void remove_volume(const std::string& name) override;
  void connect_network(const EndpointSpec& endpoint, const std::string& container) override;
  void disconnect_network(const std::string& network, const std::string& container, bool force) override;

  void events(const EventOptions& options, const EventCallback& callback) override;
  ContainerStats stats(const std::string& id) override;

  Swarm& swarm() override { return *this; }
  SwarmInfo inspect_swarm() override;
  void update_swarm(const SwarmUpdate& update) override;
  std::vector<NodeInfo> list_nodes(const Filters& filters) override;
  NodeInfo inspect_node(const std::string& id) override;
  void update_node(const std::string& id, std::uint64_t version, const NodeSpec& spec) override;
  std::string create_service(const ServiceSpec& spec) override;
  ServiceInfo inspect_service(const std::string& id) override;
  std::vector<ServiceInfo> list_services(const Filters& filters) override;
  void update_service(const std::string& id, std::uint64_t version, const ServiceSpec& spec) override;
  void remove_service(const std::string& id) override;
  void service_logs(const std::string& id, const LogOptions& options, const OutputCallback& output) override;
  std::vector<TaskInfo> list_tasks(const Filters& filters) override;
  TaskInfo inspect_task(const std::string& id) override;
  std::string create_file(SwarmFileKind kind, const SwarmFile& file) override;
  std::vector<SwarmFile> list_files(SwarmFileKind kind, const Filters& filters) override;
  void remove_file(SwarmFileKind kind, const std::string& id) override;

private:
  // "/v1.41" + path.
  std::string versioned(const std::string& path) const { return "/v" + m_api_version + path; }
  // Performs a request and throws the mapped Error for any status >= 400 (304 is fine).
  HttpResponse call(const HttpRequest& request);
  // A call whose reply is JSON.
  nlohmann::json call_json(const HttpRequest& request);
  // Streams a JSON-lines reply; returns the first in-stream error message, if any.
  std::string call_json_lines(HttpRequest request, const std::function<bool(const nlohmann::json&)>& line);
  // Exit code of a finished exec (GET /exec/{id}/json), waiting briefly while it still reports running.
  int exec_exit_code(const std::string& exec_id);
  std::string create_exec(const std::string& container, const ExecSpec& spec, bool attach_stdin);
  // GET PATH?stdout=&stderr=&follow=&timestamps=&tail=&since= (container or service logs), demultiplexed
  // unless `tty`.
  void stream_logs(const std::string& path, bool tty, const LogOptions& options,
                   const OutputCallback& output);

  HttpClient m_http;
  std::string m_api_version;
};

} // namespace dockerops::engine
