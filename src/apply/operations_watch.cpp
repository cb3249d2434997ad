// watch-notify (docs/decisions.md 32): the hooks of a watching container run with the members the
// plan computed. A delivery that fails is reported and recorded, never fatal: the command that
// changed the members goes on, and the next plan (a command's, or the agent's) delivers again.

#include "apply/operations.hpp"
#include "apply/watch_hooks.hpp"
#include "apply/watch_state.hpp"
#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "base/strings.hpp"
#include "plan/planner.hpp"

#include <fmt/format.h>

#include <set>

namespace dockerops::apply::detail {

namespace {

std::vector<std::string> difference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::set<std::string> other(b.begin(), b.end());
  std::vector<std::string> out;
  for (const auto& x : a)
    if (!other.count(x))
      out.push_back(x);
  return out;
}

} // namespace

void OperationRunner::notify_watcher(const plan::Operation& op) {
  const plan::WatchNotice& n = *op.watch;
  WatchCall call;
  call.watcher = n.watcher;
  call.service = n.service;
  call.event = plan::to_string(n.reason);
  std::vector<std::string> members;
  std::string container_id;
  try {
    for (const auto& m : n.members) {
      // A container the plan started has its address only now (the plan said which container).
      std::string address = m.address.empty() ? address_of(m.container, m_network) : m.address;
      call.members.emplace_back(m.instance, address);
      members.push_back(address);
    }
    members = plan::sorted_addresses(members);
    std::stable_sort(call.members.begin(), call.members.end(), [&](const auto& a, const auto& b) {
      return std::find(members.begin(), members.end(), a.second) <
             std::find(members.begin(), members.end(), b.second);
    });
    call.added = difference(members, n.delivered);
    call.removed = difference(n.delivered, members);
    container_id = m_engine.inspect_container(op.target).id;
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::interrupted)
      throw;
    std::lock_guard lock(m_mutex);
    m_reporter.warning(fmt::format("{}: watch hooks for {} not run: {}", n.watcher, n.service, e.what()));
    m_result.watch_failures.push_back(fmt::format("{} {} -1", n.watcher, n.service));
    return;
  }
  std::string output;
  int exit_code = -1;
  std::optional<WatchFailure> failure;
  try {
    exit_code = m_engine.exec_capture(op.target, watch_exec_spec(call), output);
    failure = watch_failure(exit_code, output);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::interrupted)
      throw;
    failure = WatchFailure{"", -1, {e.what()}};
  }
  interrupt::check();
  if (!failure) {
    record_watch_delivery(n.state_dir, n.watcher_service, n.watcher_instance, container_id, n.service,
                          members);
    say(fmt::format("{}: watch hooks ran for {} ({}: {} member{}, +{} -{})", n.watcher, n.service, call.event,
                    members.size(), members.size() == 1 ? "" : "s", call.added.size(), call.removed.size()));
    return;
  }
  record_watch_failure(n.state_dir, n.watcher_service, n.watcher_instance, container_id, n.service, *failure);
  std::string what = failure->hook.empty() ? std::string("watch hooks") : "watch hook " + failure->hook;
  std::string text = fmt::format(
      "{}: {} for {} {}; the next command or the agent delivers again", n.watcher, what, n.service,
      failure->exit_code < 0 ? std::string("failed") : describe_exit(failure->exit_code));
  for (const auto& line : failure->output)
    text += "\n    " + line;
  std::lock_guard lock(m_mutex);
  m_reporter.warning(text);
  m_result.watch_failures.push_back(fmt::format("{} {} {}", n.watcher, n.service, failure->exit_code));
}

} // namespace dockerops::apply::detail
