#include "agent/event_filter.hpp"
#include "agent/event_log.hpp"
#include "agent/event_tail.hpp"
#include "apply/project_files.hpp"
#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "base/log.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/project_loader.hpp"

#include <chrono>
#include <thread>

namespace dockerops::cli {
namespace {

void show(const agent::Event& event, bool json) {
  print((json ? to_json(event).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
              : agent::format_event(event)) +
        "\n");
}

void warn(const std::vector<std::string>& problems) {
  for (const auto& p : problems)
    log::warning("{}", p);
}

} // namespace

// events[:SERVICE][,since=...][,follow=true]: the project's event log (.dockerops/events.jsonl),
// read from the file, so it works with no agent running, like `docker events`.
int cmd_events(Context& context, const Arguments& args) {
  agent::EventFilter filter;
  if (auto since = args.get("since"))
    agent::parse_since(*since, filter);
  std::string service = args.get_or("service", "all");
  if (service != "all")
    filter.service = service;
  filter.instance = args.get_or("instance", "");
  bool json = context.options().json || args.flag("json");
  std::filesystem::path dir = std::filesystem::path(discovery(context).dir) / ".dockerops";
  agent::EventLog log(dir);
  // The tail starts before the history is read, so nothing appended in between is lost.
  agent::EventTail tail(log.path(), true);
  std::vector<std::string> problems;
  std::uint64_t last = 0;
  for (const auto& event : log.read_all(&problems)) {
    last = std::max(last, event.id);
    if (filter.matches(event))
      show(event, json);
  }
  warn(problems);
  if (!args.flag("follow"))
    return 0;
  while (!interrupt::requested()) {
    problems.clear();
    for (const auto& event : tail.poll(&problems)) {
      if (event.id <= last)
        continue; // already printed from the history
      last = event.id;
      if (filter.matches(event))
        show(event, json);
    }
    warn(problems);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return k_exit_interrupted; // Ctrl-C is how `events -f` ends: no error line
}

} // namespace dockerops::cli
