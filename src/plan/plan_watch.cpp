#include "base/strings.hpp"
#include "plan/planner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>

namespace dockerops::plan {

namespace {

// What the plan does to one container's membership of its service.
struct Fate {
  const ObservedContainer* observed = nullptr;        // nullptr: created by the plan
  const project::ResolvedInstance* created = nullptr; // the instance a create/recreate/replace starts
  std::string service, instance, name;
  std::string address;
  bool member = false;  // running on the project network once the plan is done
  bool changed = false; // the plan starts, stops or removes it
  int first_op = 0;     // its first operation (for one that leaves: it is gone from the DNS then)
  int last_op = 0;      // its last operation (for one that joins: registered and ready then)
  bool started = false; // a watcher that the plan (re)starts: its hooks run as on a new container
};

bool leaves(OpKind kind) {
  return kind == OpKind::stop || kind == OpKind::remove || kind == OpKind::recreate ||
         kind == OpKind::replace || kind == OpKind::dns_deregister;
}

bool starts_new(OpKind kind) {
  return kind == OpKind::create || kind == OpKind::recreate || kind == OpKind::replace;
}

// Every container of the project before and after the plan, with what the plan does to it.
std::vector<Fate> fates(const Plan& plan, const ObservedState& observed, const std::string& project) {
  std::vector<Fate> out;
  std::map<std::string, std::size_t> by_id;
  for (const auto& c : observed.containers) {
    if (c.label(project::k_label_project) != project)
      continue;
    Fate f;
    f.observed = &c;
    f.service = c.label(project::k_label_service);
    f.instance = c.label(project::k_label_instance);
    f.name = c.name;
    f.address = c.ip;
    f.member = c.is_up() && !c.ip.empty();
    by_id[c.id] = out.size();
    out.push_back(std::move(f));
  }
  std::map<std::string, std::size_t> created; // container name -> index
  for (const auto& op : plan.operations) {
    if (starts_new(op.kind) && op.instance && !op.instance->nethost) {
      Fate f;
      f.created = &*op.instance;
      f.service = op.instance->service;
      f.instance = op.instance->instance;
      f.name = op.target;
      f.address = op.address.empty() ? op.instance->ipv4_address : op.address;
      f.member = f.changed = true;
      f.first_op = f.last_op = op.id;
      created[op.target] = out.size();
      out.push_back(std::move(f));
    } else if (auto it = created.find(op.target); it != created.end() && op.container_id.empty()) {
      out[it->second].last_op = op.id; // dns-register, wait-ready, sleep of a new container
    }
    auto it = op.container_id.empty() ? by_id.end() : by_id.find(op.container_id);
    if (it == by_id.end() || op.kind == OpKind::keep)
      continue;
    Fate& f = out[it->second];
    if (!f.first_op)
      f.first_op = op.id;
    f.last_op = op.id;
    if (op.kind == OpKind::start) {
      f.member = f.changed = f.started = true;
    } else if (leaves(op.kind)) {
      f.member = false;
      f.changed = true;
    }
  }
  return out;
}

// IPv4 addresses in numeric order (172.30.0.9 before 172.30.0.10), anything else after them.
bool address_less(const std::string& a, const std::string& b) {
  auto key = [](const std::string& text) {
    std::array<int, 5> k{1, 0, 0, 0, 0};
    auto parts = strings::split(text, '.');
    if (parts.size() != 4)
      return k;
    for (std::size_t i = 0; i < 4; ++i) {
      if (parts[i].empty() || parts[i].size() > 3 ||
          !std::all_of(parts[i].begin(), parts[i].end(), [](char c) { return c >= '0' && c <= '9'; }))
        return k;
      k[i + 1] = std::stoi(parts[i]);
    }
    k[0] = 0;
    return k;
  };
  auto ka = key(a), kb = key(b);
  return ka != kb ? ka < kb : a < b;
}

// Who watches: a watcher running once the plan is done, and what it last got.
struct Watcher {
  const Fate* fate = nullptr;
  std::vector<std::string> services;
  const ObservedWatcher* record = nullptr; // nullptr: nothing delivered to this container yet
};

std::vector<Watcher> watchers(const std::vector<Fate>& all, const ObservedState& observed) {
  std::vector<Watcher> out;
  for (const auto& f : all) {
    if (!f.member)
      continue;
    Watcher w;
    w.fate = &f;
    if (f.created) {
      w.services = f.created->watches;
    } else {
      for (const auto& s : strings::split(f.observed->label(project::k_label_watches), ','))
        if (!s.empty())
          w.services.push_back(s);
      auto it = observed.watchers.find(f.service + "/" + f.instance);
      if (it != observed.watchers.end() && it->second.container_id == f.observed->id && !f.started)
        w.record = &it->second;
    }
    if (!w.services.empty())
      out.push_back(std::move(w));
  }
  std::sort(out.begin(), out.end(),
            [](const Watcher& a, const Watcher& b) { return a.fate->name < b.fate->name; });
  return out;
}

std::string count_of(std::size_t n, const char* what) {
  return fmt::format("{} {}{}", n, what, n == 1 ? "" : "s");
}

} // namespace

std::vector<std::string> sorted_addresses(std::vector<std::string> addresses) {
  std::sort(addresses.begin(), addresses.end(), address_less);
  addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
  return addresses;
}

void add_watch_notifications(Plan& plan, const ObservedState& observed, const std::string& project,
                             const std::string& state_dir) {
  std::vector<Fate> all = fates(plan, observed, project);
  std::vector<Operation> notices;
  int next_id = static_cast<int>(plan.operations.size()) + 1;
  for (const Watcher& w : watchers(all, observed)) {
    int previous = 0; // one watcher's hooks run one service at a time
    for (const auto& service : w.services) {
      WatchNotice n;
      n.watcher = w.fate->service + "/" + w.fate->instance;
      n.watcher_service = w.fate->service;
      n.watcher_instance = w.fate->instance;
      n.service = service;
      n.state_dir = state_dir;
      std::vector<int> after;
      std::set<std::string> now;
      bool pending = false;
      for (const auto& f : all) {
        if (f.service != service)
          continue;
        if (f.member) {
          n.members.push_back({f.instance, f.name, f.address});
          now.insert(f.address);
          pending = pending || f.address.empty();
        }
        if (f.changed)
          after.push_back(f.member ? f.last_op : f.first_op);
      }
      std::stable_sort(n.members.begin(), n.members.end(), [](const WatchMember& a, const WatchMember& b) {
        if (a.address.empty() != b.address.empty())
          return b.address.empty();
        return a.address == b.address ? a.instance < b.instance : address_less(a.address, b.address);
      });
      const ObservedDelivery* last = nullptr;
      if (w.record)
        if (auto it = w.record->services.find(service);
            it != w.record->services.end() && it->second.delivered)
          last = &it->second;
      std::string cause;
      if (!last) {
        n.reason = WatchReason::ready;
        cause = fmt::format("{} {}: its hooks get the {} of {}", n.watcher,
                            w.fate->changed ? "starts" : "has had no delivery",
                            count_of(n.members.size(), "member"), service);
        if (w.fate->changed)
          after.push_back(w.fate->last_op);
      } else {
        n.delivered = last->members;
        std::set<std::string> before(last->members.begin(), last->members.end());
        if (before == now && !pending)
          continue;
        std::size_t joined = 0, left = 0;
        for (const auto& a : now)
          joined += a.empty() || !before.count(a) ? 1 : 0;
        for (const auto& a : before)
          left += now.count(a) ? 0 : 1;
        n.reason = last->failures > 0 ? WatchReason::retry : WatchReason::change;
        cause = fmt::format("{} changed: {} joined, {} left", service, joined, left);
        if (last->failures > 0)
          cause += fmt::format(" (after {})",
                               count_of(static_cast<std::size_t>(last->failures), "failed attempt"));
      }
      if (previous)
        after.push_back(previous);
      Operation op;
      op.id = next_id++;
      op.kind = OpKind::watch_notify;
      op.target = w.fate->name;
      op.service = n.watcher_service;
      op.instance_name = n.watcher_instance;
      op.after = std::move(after);
      std::sort(op.after.begin(), op.after.end());
      op.after.erase(std::unique(op.after.begin(), op.after.end()), op.after.end());
      op.after.erase(std::remove(op.after.begin(), op.after.end(), 0), op.after.end());
      op.cause = std::move(cause);
      op.watch = std::move(n);
      previous = op.id;
      notices.push_back(std::move(op));
    }
  }
  for (auto& op : notices)
    plan.operations.push_back(std::move(op));
}

} // namespace dockerops::plan
