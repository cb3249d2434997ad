#include "engine/docker_engine.hpp"

#include "base/error.hpp"
#include "base/log.hpp"
#include "engine/hijack.hpp"
#include "engine/json_mapping.hpp"
#include "engine/log_frames.hpp"

#include <algorithm>

namespace dockerops::engine {
namespace {

const char* condition_name(WaitCondition condition) {
  switch (condition) {
  case WaitCondition::next_exit:
    return "next-exit";
  case WaitCondition::removed:
    return "removed";
  default:
    return "not-running";
  }
}

} // namespace

std::string DockerEngine::create_container(const ContainerSpec& spec) {
  Query query;
  if (!spec.name.empty())
    query.add("name", spec.name);
  auto reply = call_json({.method = "POST",
                          .path = versioned("/containers/create" + query.str()),
                          .json_body = container_create_body(spec).dump()});
  for (const auto& warning : reply.value("Warnings", nlohmann::json::array()))
    if (warning.is_string())
      log::warning("{}: {}", spec.name.empty() ? spec.image : spec.name, warning.get<std::string>());
  return reply.value("Id", "");
}

void DockerEngine::start_container(const std::string& id) {
  call({.method = "POST", .path = versioned("/containers/" + id + "/start")}); // 304: already running
}

void DockerEngine::stop_container(const std::string& id, int timeout_seconds) {
  Query query;
  query.add("t", static_cast<long long>(timeout_seconds));
  // 304: stopped already. The daemon answers after the grace period at the latest.
  call({.method = "POST",
        .path = versioned("/containers/" + id + "/stop" + query.str()),
        .extra_seconds = std::max(0, timeout_seconds)});
}

void DockerEngine::kill_container(const std::string& id, const std::string& signal) {
  Query query;
  query.add("signal", signal.empty() ? "SIGKILL" : signal);
  call({.method = "POST", .path = versioned("/containers/" + id + "/kill" + query.str())});
}

void DockerEngine::remove_container(const std::string& id, bool force, bool volumes) {
  Query query;
  query.add("force", force).add("v", volumes);
  call({.method = "DELETE", .path = versioned("/containers/" + id + query.str())});
}

std::vector<ContainerSummary> DockerEngine::list_containers(const Filters& filters, bool all) {
  Query query;
  query.add("all", all);
  if (!filters.empty())
    query.add("filters", filters_json(filters));
  std::vector<ContainerSummary> containers;
  for (const auto& entry : call_json({.path = versioned("/containers/json" + query.str())}))
    containers.push_back(parse_container_summary(entry));
  return containers;
}

ContainerInfo DockerEngine::inspect_container(const std::string& id) {
  return parse_container_info(call_json({.path = versioned("/containers/" + id + "/json")}));
}

int DockerEngine::wait_container(const std::string& id, WaitCondition condition) {
  Query query;
  query.add("condition", condition_name(condition));
  auto reply = call_json(
      {.method = "POST", .path = versioned("/containers/" + id + "/wait" + query.str()), .open_ended = true});
  if (auto error = reply.find("Error"); error != reply.end() && error->is_object()) {
    std::string message = error->value("Message", "");
    if (!message.empty())
      fail(ErrorKind::engine, "waiting for container {}: {}", id, message);
  }
  return reply.value("StatusCode", 0);
}

void DockerEngine::logs(const std::string& id, const LogOptions& options, const OutputCallback& output) {
  // API 1.41 sends no Content-Type on /logs: the framing follows Config.Tty.
  bool tty = options.tty ? *options.tty : inspect_container(id).tty;
  stream_logs("/containers/" + id + "/logs", tty, options, output);
}

void DockerEngine::stream_logs(const std::string& path, bool tty, const LogOptions& options,
                               const OutputCallback& output) {
  Query query;
  query.add("stdout", options.include_stdout)
      .add("stderr", options.include_stderr)
      .add("follow", options.follow)
      .add("timestamps", options.timestamps)
      .add("tail", options.tail.empty() ? "all" : options.tail);
  if (options.since > 0)
    query.add("since", static_cast<long long>(options.since));
  LogFrameDemuxer demuxer(tty, output);
  call({.path = versioned(path + query.str()),
        .on_data = [&](std::string_view chunk) { return demuxer.feed(chunk); },
        .cancelled = options.cancelled});
}

ContainerStats DockerEngine::stats(const std::string& id) {
  return parse_container_stats(
      call_json({.path = versioned("/containers/" + id + "/stats?stream=false&one-shot=true")}));
}

void DockerEngine::resize_container(const std::string& id, int height, int width) {
  Query query;
  query.add("h", static_cast<long long>(height)).add("w", static_cast<long long>(width));
  call({.method = "POST", .path = versioned("/containers/" + id + "/resize" + query.str())});
}

int DockerEngine::attach(const std::string& id, bool start, const InteractiveIo& io) {
  bool tty = inspect_container(id).tty;
  Query query;
  query.add("stream", true).add("stdin", io.input_fd >= 0).add("stdout", true).add("stderr", true);
  // Attach before start so that no output is lost.
  HijackedStream stream(m_http.address(), m_http.timeout(), "POST",
                        versioned("/containers/" + id + "/attach" + query.str()), "");
  if (start)
    start_container(id);
  pump_stream(stream, io, tty, [&](int height, int width) {
    try {
      resize_container(id, height, width);
    } catch (const Error& error) {
      log::debug("engine: resize of {} failed: {}", id, error.what());
    }
  });
  return wait_container(id, WaitCondition::not_running);
}

} // namespace dockerops::engine
