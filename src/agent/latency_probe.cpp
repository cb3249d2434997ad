#include "agent/latency_probe.hpp"

#include "project/counted.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace dockerops::agent {

namespace {

using Clock = std::chrono::steady_clock;

// One probe in flight: connect, then (HTTP) send the request and read until the instance closes.
struct Probe {
  const ProbeTarget* target = nullptr;
  int fd = -1;
  bool connected = false;
  std::string request{};
  std::size_t sent = 0;
  std::string head{}; // the answer's first bytes: "HTTP/..."
  bool done = false;
  ProbeResult result{};

  ~Probe() {
    if (fd >= 0)
      ::close(fd);
  }
  void finish(Clock::time_point started, Clock::time_point now) {
    done = true;
    result.ms = std::chrono::duration<double, std::milli>(now - started).count();
  }
  void failed(std::string why) {
    done = true;
    result.error = std::move(why);
  }
};

void start(Probe& p) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(p.target->port));
  if (::inet_pton(AF_INET, p.target->ip.c_str(), &addr.sin_addr) != 1)
    return p.failed("not an IPv4 address: " + p.target->ip);
  p.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (p.fd < 0)
    return p.failed(fmt::format("socket: {}", std::strerror(errno)));
  if (::connect(p.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 && errno != EINPROGRESS)
    return p.failed(fmt::format("connect: {}", std::strerror(errno)));
  if (!p.target->path.empty())
    p.request = fmt::format("GET {} HTTP/1.0\r\nHost: {}:{}\r\nUser-Agent: dockerops-agent\r\n"
                            "Connection: close\r\n\r\n",
                            p.target->path, p.target->ip, p.target->port);
}

// Moves a probe on after poll() said its socket is ready.
void advance(Probe& p, short revents, Clock::time_point started) {
  if (!p.connected) {
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0)
      return p.failed(fmt::format("connect: {}", std::strerror(error)));
    if (!(revents & POLLOUT))
      return p.failed("connect: the connection closed");
    p.connected = true;
    if (p.request.empty())
      return p.finish(started, Clock::now()); // TCP connect: that is the probe
  }
  if (p.sent < p.request.size()) {
    ssize_t n = ::send(p.fd, p.request.data() + p.sent, p.request.size() - p.sent, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EINTR)
      return p.failed(fmt::format("send: {}", std::strerror(errno)));
    p.sent += n > 0 ? static_cast<std::size_t>(n) : 0;
    return;
  }
  char buffer[4096];
  ssize_t n = ::recv(p.fd, buffer, sizeof buffer, 0);
  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return;
  if (n < 0)
    return p.failed(fmt::format("recv: {}", std::strerror(errno)));
  if (n > 0) {
    std::size_t want = p.head.size() < 5 ? 5 - p.head.size() : 0;
    p.head.append(buffer, std::min(static_cast<std::size_t>(n), want));
    return;
  }
  if (p.head != "HTTP/")
    return p.failed("the answer is not HTTP");
  p.finish(started, Clock::now());
}

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

} // namespace

std::chrono::milliseconds probe_timeout(std::chrono::milliseconds sampling_period) {
  return std::clamp(sampling_period / 2, std::chrono::milliseconds(100), std::chrono::milliseconds(2000));
}

std::map<std::string, ProbeResult> probe_all(const std::vector<ProbeTarget>& targets,
                                             std::chrono::milliseconds timeout) {
  std::vector<Probe> probes(targets.size());
  const auto started = Clock::now();
  const auto deadline = started + timeout;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    probes[i].target = &targets[i];
    start(probes[i]);
  }
  for (;;) {
    std::vector<pollfd> fds;
    std::vector<Probe*> waiting;
    for (auto& p : probes)
      if (!p.done) {
        bool writing = !p.connected || p.sent < p.request.size();
        fds.push_back({p.fd, static_cast<short>(writing ? POLLOUT : POLLIN), 0});
        waiting.push_back(&p);
      }
    if (fds.empty() || Clock::now() >= deadline)
      break;
    int n = ::poll(fds.data(), fds.size(), remaining_ms(deadline));
    if (n < 0 && errno != EINTR)
      break;
    for (std::size_t i = 0; n > 0 && i < fds.size(); ++i)
      if (fds[i].revents != 0)
        advance(*waiting[i], fds[i].revents, started);
  }
  std::map<std::string, ProbeResult> results;
  for (auto& p : probes) {
    if (!p.done) {
      p.result.ms = static_cast<double>(timeout.count());
      p.result.error = fmt::format("no answer within {} ms", timeout.count());
    }
    results[p.target->key] = p.result;
  }
  return results;
}

std::vector<ProbeTarget> probe_targets(const std::vector<AutoscaledEntry>& entries,
                                       const std::vector<InstanceView>& instances) {
  std::vector<ProbeTarget> targets;
  for (const auto& entry : entries) {
    if (entry.spec.metric != project::AutoscaleMetric::latency || !entry.spec.probe)
      continue;
    for (const auto& view : instances) {
      const ObservedInstance& o = view.observed;
      if (o.service != entry.service || o.state != "running" || o.ip.empty() ||
          !project::counted_number(entry.prefix, o.instance))
        continue;
      targets.push_back({o.service + "/" + o.instance, o.ip, entry.spec.probe->port, entry.spec.probe->path});
    }
  }
  return targets;
}

void LatencyWindow::record(const std::map<std::string, ProbeResult>& results) {
  for (auto it = m_recent.begin(); it != m_recent.end();)
    it = results.count(it->first) ? std::next(it) : m_recent.erase(it);
  for (const auto& [key, result] : results) {
    auto& recent = m_recent[key];
    if (!result.ms) {
      recent.clear();
      continue;
    }
    recent.push_back(*result.ms);
    while (recent.size() > k_size)
      recent.pop_front();
  }
}

std::map<std::string, double> LatencyWindow::medians() const {
  std::map<std::string, double> out;
  for (const auto& [key, recent] : m_recent) {
    if (recent.empty())
      continue;
    std::vector<double> sorted(recent.begin(), recent.end());
    std::sort(sorted.begin(), sorted.end());
    std::size_t mid = sorted.size() / 2;
    out[key] = sorted.size() % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
  return out;
}

} // namespace dockerops::agent
