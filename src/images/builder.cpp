#include "images/builder.hpp"

#include "base/log.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "images/archive_stream.hpp"

#include <cstdio>
#include <fmt/format.h>
#include <mutex>

namespace dockerops::images {
namespace {

std::mutex g_output_mutex;

// Splits the daemon's "stream" texts into lines and keeps the current step's lines for errors.
class StepTracker {
public:
  StepTracker(const ImageBuild& build, const OutputSink& sink) : m_build(build), m_sink(sink) {}

  void on_text(const std::string& text) {
    m_pending += text;
    std::size_t newline;
    while ((newline = m_pending.find('\n')) != std::string::npos) {
      on_line(m_pending.substr(0, newline));
      m_pending.erase(0, newline + 1);
    }
  }

  void flush() {
    if (!m_pending.empty())
      on_line(m_pending);
    m_pending.clear();
  }

  const std::string& step() const { return m_step; }
  const std::vector<std::string>& step_output() const { return m_step_output; }
  BuildResult& result() { return m_result; }

private:
  void on_line(std::string line) {
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    bool is_step = line.rfind("Step ", 0) == 0;
    if (is_step) {
      m_step = line;
      m_step_output.clear();
      ++m_result.steps;
    } else {
      if (strings::trim(line) == "---> Using cache")
        ++m_result.cached_steps;
      if (m_step_output.size() < 200)
        m_step_output.push_back(line);
    }
    if (is_step || m_build.verbose)
      m_sink(fmt::format("{} | {}", m_build.display, line));
  }

  const ImageBuild& m_build;
  const OutputSink& m_sink;
  std::string m_pending;
  std::string m_step;
  std::vector<std::string> m_step_output;
  BuildResult m_result;
};

} // namespace

void print_line(const std::string& line) {
  if (!log::enabled(log::Level::notice))
    return; // -q: only warnings and errors
  std::lock_guard<std::mutex> lock(g_output_mutex);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

bool remove_image_if_unused(engine::Engine& engine, const std::string& id) {
  try {
    engine.remove_image(id, false);
    return true;
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::interrupted || error.kind() == ErrorKind::engine_unreachable)
      throw;
    log::debug("kept image {}: {}", id.substr(0, 19), error.what());
    return false;
  }
}

BuildResult build_image(engine::Engine& engine, const BuildContext& context, const ImageBuild& build) {
  std::optional<engine::ImageInfo> previous = engine.find_image(build.tag);
  OutputSink sink = build.output ? build.output : OutputSink(print_line);
  engine::BuildOptions options;
  options.tags = {build.tag};
  options.labels = build.labels;
  options.no_cache = build.no_cache;
  options.remove_intermediate = true;
  options.force_remove = true; // a failed RUN leaves no stopped container behind
  StepTracker tracker(build, sink);
  ArchiveStream stream([&](struct archive* writer) { context.write_tar(writer); });
  try {
    std::string id = engine.build_image(options, stream.reader(), [&](const nlohmann::json& line) {
      if (line.contains("stream") && line["stream"].is_string())
        tracker.on_text(line["stream"].get<std::string>());
    });
    tracker.flush();
    tracker.result().image_id = id;
    // The image this build untagged would stay as a dangling <none> image.
    if (previous && !previous->id.empty() && previous->id != id)
      remove_image_if_unused(engine, previous->id);
    return tracker.result();
  } catch (const Error& error) {
    tracker.flush();
    if (error.kind() == ErrorKind::interrupted || error.kind() == ErrorKind::engine_unreachable)
      throw;
    if (tracker.step().empty())
      fail(error.kind(), "{}: {}", build.dockerfile_path, error.what());
    if (!build.verbose)
      for (const std::string& line : tracker.step_output())
        sink(fmt::format("{} | {}", build.display, line));
    fail(error.kind(), "building {} failed at {}: {}", build.tag, tracker.step(), error.what());
  }
}

} // namespace dockerops::images
