#include "plan/removal.hpp"

#include <algorithm>
#include <charconv>

namespace dockerops::plan::detail {

namespace {

int push(Plan& plan, Operation op) {
  op.id = static_cast<int>(plan.operations.size()) + 1;
  plan.operations.push_back(std::move(op));
  return plan.operations.back().id;
}

// A label's whole number, or `otherwise`.
int label_number(const ObservedContainer& c, std::string_view key, int otherwise) {
  std::string text = c.label(key);
  int number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  return ec == std::errc() && end == text.data() + text.size() && number >= 0 ? number : otherwise;
}

int number_of(const ObservedContainer& c) {
  return label_number(c, project::k_label_instance_number, 0);
}

} // namespace

int drain_of(const ObservedContainer& c) {
  return label_number(c, project::k_label_drain, project::k_record_ttl);
}

int add_removal(Plan& plan, const ObservedContainer& c, const RemovalSteps& steps) {
  bool running = c.is_up();
  std::vector<int> after = steps.after;
  int last = 0;
  auto step = [&](OpKind kind, std::string cause) {
    Operation op;
    op.kind = kind;
    op.target = c.name;
    op.container_id = c.id;
    op.image_id = c.image_id;
    op.after = after;
    op.cause = std::move(cause);
    return op;
  };
  if (running && steps.deregister) {
    Operation op = step(OpKind::dns_deregister, "before the stop");
    op.service = c.label(project::k_label_service);
    op.instance_name = c.label(project::k_label_instance);
    op.zone = steps.zone;
    op.dns_server = steps.dns_server;
    op.best_effort = steps.best_effort;
    last = push(plan, std::move(op));
    after = {last};
    if (steps.drain > 0) {
      Operation drain = step(OpKind::drain, "out of the DNS: clients and load balancers stop sending first");
      drain.seconds = steps.drain;
      last = push(plan, std::move(drain));
      after = {last};
    }
  }
  if (running) {
    last = push(plan, step(OpKind::stop, steps.cause.empty() ? "running" : steps.cause));
    after = {last};
  }
  if (steps.remove)
    last = push(plan, step(OpKind::remove, !steps.cause.empty() ? steps.cause
                                           : running            ? "stopped"
                                                                : "container is " + c.state));
  return last;
}

std::vector<const ObservedContainer*> beyond_count(const ObservedState& observed, const std::string& project,
                                                   const project::CountedSet& set) {
  std::vector<const ObservedContainer*> out;
  for (const auto& c : observed.containers)
    if (c.label(project::k_label_project) == project && c.label(project::k_label_service) == set.service &&
        c.labels.count(std::string(project::k_label_instance_prefix)) &&
        c.label(project::k_label_instance_prefix) == set.prefix && number_of(c) > set.count)
      out.push_back(&c);
  std::sort(out.begin(), out.end(), [](const ObservedContainer* a, const ObservedContainer* b) {
    return number_of(*a) > number_of(*b);
  });
  return out;
}

} // namespace dockerops::plan::detail
