#include "engine/docker_engine.hpp"

#include "base/error.hpp"
#include "base/log.hpp"
#include "engine/hijack.hpp"
#include "engine/json_mapping.hpp"
#include "engine/log_frames.hpp"

#include <chrono>
#include <thread>

namespace dockerops::engine {

std::string DockerEngine::create_exec(const std::string& container, const ExecSpec& spec, bool attach_stdin) {
  auto reply = call_json({.method = "POST",
                          .path = versioned("/containers/" + container + "/exec"),
                          .json_body = exec_create_body(spec, attach_stdin).dump()});
  return reply.value("Id", "");
}

int DockerEngine::exec_exit_code(const std::string& exec_id) {
  // The stream ends when the process exits; the daemon may record the exit code a moment later.
  for (int attempt = 0;; ++attempt) {
    auto reply = call_json({.path = versioned("/exec/" + exec_id + "/json")});
    if (!reply.value("Running", false) || attempt >= 100)
      return reply.value("ExitCode", -1);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

int DockerEngine::exec(const std::string& container, const ExecSpec& spec, const OutputCallback& output) {
  std::string exec_id = create_exec(container, spec, false);
  LogFrameDemuxer demuxer(spec.tty, output);
  // Without the upgrade headers /start answers 200 with the same stream: fine without stdin.
  nlohmann::json body = {{"Detach", false}, {"Tty", spec.tty}};
  call({.method = "POST",
        .path = versioned("/exec/" + exec_id + "/start"),
        .json_body = body.dump(),
        .on_data = [&](std::string_view chunk) { return demuxer.feed(chunk); }});
  return exec_exit_code(exec_id);
}

int DockerEngine::exec_interactive(const std::string& container, const ExecSpec& spec,
                                   const InteractiveIo& io) {
  std::string exec_id = create_exec(container, spec, io.input_fd >= 0);
  nlohmann::json body = {{"Detach", false}, {"Tty", spec.tty}};
  HijackedStream stream(m_http.address(), m_http.timeout(), "POST", versioned("/exec/" + exec_id + "/start"),
                        body.dump());
  pump_stream(stream, io, spec.tty, [&](int height, int width) {
    Query query;
    query.add("h", static_cast<long long>(height)).add("w", static_cast<long long>(width));
    try {
      call({.method = "POST", .path = versioned("/exec/" + exec_id + "/resize" + query.str())});
    } catch (const Error& error) {
      log::debug("engine: exec resize failed: {}", error.what());
    }
  });
  return exec_exit_code(exec_id);
}

} // namespace dockerops::engine
