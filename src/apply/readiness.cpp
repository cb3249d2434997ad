#include "apply/readiness.hpp"

#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "base/log.hpp"

#include <chrono>
#include <thread>

namespace dockerops::apply {
namespace {

constexpr auto k_poll = std::chrono::milliseconds(200);

// "; its last output: \"...\"" for a failure message (the container may be gone by the time someone
// reads its logs: a failed run removes what it created), empty when it printed nothing.
std::string last_output(std::string_view output) {
  std::size_t end = output.find_last_not_of("\r\n ");
  if (end == std::string_view::npos)
    return "";
  output = output.substr(0, end + 1);
  std::size_t newline = output.find_last_of('\n');
  std::string_view line = newline == std::string_view::npos ? output : output.substr(newline + 1);
  return fmt::format("; its last output: \"{}\"", line.substr(0, 200));
}

std::string line_at(std::string_view output, std::size_t pos) {
  auto end = output.find_first_of("\r\n", pos);
  return std::string(output.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
}

} // namespace

LogVerdict scan_ready(std::string_view output, std::string& failure) {
  std::size_t pos = 0;
  while (pos < output.size()) {
    auto end = output.find('\n', pos);
    std::string_view line =
        output.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
      line.remove_suffix(1);
    if (line == k_ready_line)
      return LogVerdict::ready;
    if (line.rfind(k_failed_prefix, 0) == 0 && line.find(" failed: exit ") != std::string_view::npos) {
      failure = line_at(output, pos + std::string_view("[dockerops] ").size());
      return LogVerdict::failed;
    }
    if (end == std::string_view::npos)
      break;
    pos = end + 1;
  }
  return LogVerdict::pending;
}

bool is_dockerops_image(const engine::ImageInfo& image) {
  return !image.entrypoint.empty() &&
         image.entrypoint.front().find("dockerops-entrypoint") != std::string::npos;
}

void wait_ready(engine::Engine& engine, const ReadyCheck& check) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(check.timeout_seconds);
  std::string hint = "see dockerops logs:" + check.who.substr(0, check.who.find('/')) +
                     ",instance=" + check.who.substr(check.who.find('/') + 1);
  while (true) {
    interrupt::check();
    if (check.cancelled && check.cancelled())
      fail(ErrorKind::interrupted, "{}: wait abandoned (another operation failed)", check.who);
    engine::ContainerInfo info = engine.inspect_container(check.container);
    std::string output;
    if (check.dockerops_image) {
      // One log stream that follows the output until the ready or failure line, rather than reading
      // the whole log every poll: two requests per instance instead of ten a second, which the
      // daemon would otherwise serve while it is still starting the other instances. The stream
      // also ends when the container stops, the wait is abandoned or the deadline passes.
      engine::LogOptions options;
      options.tty = info.tty;
      options.follow = true;
      options.cancelled = [&] {
        return interrupt::requested() || (check.cancelled && check.cancelled()) ||
               std::chrono::steady_clock::now() >= deadline;
      };
      std::string failure;
      LogVerdict verdict = LogVerdict::pending;
      engine.logs(check.container, options, [&](engine::Stream, std::string_view bytes) {
        output.append(bytes);
        verdict = scan_ready(output, failure);
        return verdict == LogVerdict::pending;
      });
      switch (verdict) {
      case LogVerdict::ready:
        if (check.seed_command.empty())
          return;
        std::this_thread::sleep_for(k_poll);
        info = engine.inspect_container(check.container);
        if (info.running)
          return;
        fail(ErrorKind::engine, "{}: seed_command \"{}\" exited with code {} right after the start{}; {}",
             check.who, check.seed_command, info.exit_code, last_output(output), hint);
      case LogVerdict::failed:
        fail(ErrorKind::engine, "{}: {}; {}", check.who, failure, hint);
      case LogVerdict::pending: // the stream ended without either line: why, the checks below say
        info = engine.inspect_container(check.container);
        break;
      }
    } else if (info.running) {
      if (!check.has_healthcheck || info.health_status == "healthy")
        return;
      if (info.health_status == "unhealthy")
        fail(ErrorKind::engine, "{}: the container is unhealthy; {}", check.who, hint);
    }
    if (!info.running && info.status != "created")
      fail(ErrorKind::engine, "{}: the container exited with code {} before it was ready{}; {}", check.who,
           info.exit_code, last_output(output), hint);
    if (std::chrono::steady_clock::now() >= deadline)
      fail(ErrorKind::engine, "{}: not ready after {} s (ready_timeout); {}", check.who,
           check.timeout_seconds, hint);
    std::this_thread::sleep_for(k_poll);
  }
}

} // namespace dockerops::apply
