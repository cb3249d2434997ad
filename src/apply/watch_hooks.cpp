#include "apply/watch_hooks.hpp"

#include "base/strings.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace dockerops::apply {

namespace {

// $1 = the JSON, $2 = the timeout. `ls -A` under LC_ALL=C lists the hooks in byte order of their
// names (no locale collation); backups and package leftovers are skipped like run-parts does. The
// marker line tells the executor which hook failed.
constexpr const char* k_runner = R"(dir=/etc/dockerops/watch.d
[ -d "$dir" ] || exit 0
LC_ALL=C ls -A "$dir" | {
  while IFS= read -r name; do
    case $name in .*|*~|*.dpkg-*|*.disabled) continue ;; esac
    hook=$dir/$name
    [ -f "$hook" ] && [ -x "$hook" ] || continue
    printf '%s\n' "$1" | timeout -k 5 "$2" "$hook"
    status=$?
    if [ "$status" -ne 0 ]; then
      printf '\ndockerops-watch-failed: %s %s\n' "$status" "$name"
      exit "$status"
    fi
  done
}
)";

constexpr std::string_view k_marker = "dockerops-watch-failed: ";

} // namespace

std::string watch_json(const WatchCall& call) {
  nlohmann::json j;
  j["watcher"] = call.watcher;
  j["service"] = call.service;
  j["event"] = call.event;
  nlohmann::json members = nlohmann::json::array();
  nlohmann::json instances = nlohmann::json::object();
  for (const auto& [instance, address] : call.members) {
    members.push_back(address);
    instances[instance] = address;
  }
  j["members"] = members;
  j["instances"] = instances;
  j["added"] = call.added;
  j["removed"] = call.removed;
  return j.dump();
}

engine::ExecSpec watch_exec_spec(const WatchCall& call, int timeout_seconds) {
  std::vector<std::string> members, instances;
  for (const auto& [instance, address] : call.members) {
    members.push_back(address);
    instances.push_back(instance + "=" + address);
  }
  engine::ExecSpec spec;
  spec.cmd = {
      "/bin/sh", "-c", k_runner, "dockerops-watch", watch_json(call), std::to_string(timeout_seconds)};
  spec.user = "dockerops";
  spec.env = {"WATCHED_SERVICE=" + call.service,
              "MEMBERS=" + strings::join(members, " "),
              "ADDED=" + strings::join(call.added, " "),
              "REMOVED=" + strings::join(call.removed, " "),
              "MEMBER_INSTANCES=" + strings::join(instances, " "),
              "WATCH_EVENT=" + call.event,
              "WATCHER=" + call.watcher};
  return spec;
}

std::optional<WatchFailure> watch_failure(int exit_code, const std::string& output) {
  if (exit_code == 0)
    return std::nullopt;
  WatchFailure failure;
  failure.exit_code = exit_code;
  std::vector<std::string> lines;
  for (auto& line : strings::split(output, '\n')) {
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    if (line.rfind(k_marker, 0) == 0) {
      std::string rest = line.substr(k_marker.size());
      auto space = rest.find(' ');
      failure.hook = space == std::string::npos ? "" : rest.substr(space + 1);
      continue;
    }
    lines.push_back(std::move(line));
  }
  while (!lines.empty() && strings::trim(lines.back()).empty())
    lines.pop_back();
  std::size_t from = lines.size() > k_watch_output_lines ? lines.size() - k_watch_output_lines : 0;
  failure.output.assign(lines.begin() + static_cast<std::ptrdiff_t>(from), lines.end());
  return failure;
}

std::string describe_exit(int exit_code, int timeout_seconds) {
  // timeout(1): 124 when the time ran out, 137 when SIGKILL had to follow; 126/127 cannot run.
  if (exit_code == 124 || exit_code == 137)
    return fmt::format("timed out after {} s", timeout_seconds);
  if (exit_code == 126 || exit_code == 127)
    return fmt::format("could not be run ({})", exit_code);
  return fmt::format("exited {}", exit_code);
}

} // namespace dockerops::apply
