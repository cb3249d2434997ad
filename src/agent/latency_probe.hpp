#pragma once

// The autoscaler's latency metric (issue 15 item 4, docs/decisions.md 31): at each sampling pass the
// agent times one probe of every running instance of a latency-autoscaled entry, an HTTP GET of the
// probe's path (until the instance has sent its whole answer and closed) or, without a path, a TCP
// connect, to the instance's address on the project network. All probes of a pass run at once on the
// agent's thread, bounded by one timeout. An instance's figure is the median of its last 3 probes.

#include "agent/autoscaler.hpp"
#include "agent/snapshot.hpp"

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dockerops::agent {

// One instance to probe.
struct ProbeTarget {
  std::string key{}; // "service/instance"
  std::string ip{};  // IPv4
  int port = 0;
  std::string path{}; // "" = TCP connect
};

// One probe's outcome: `ms` the time it took; a probe still unanswered at the timeout counts as
// the timeout (the instance took at least that long: the strongest case for more instances). An
// instance that refuses, resets or does not answer HTTP has no figure (`ms` empty, `error` says why),
// as HPA counts a pod that is not ready: missing.
struct ProbeResult {
  std::optional<double> ms{};
  std::string error{};
};

// A pass's bound: half the sampling period, within 100 ms..2 s (the agent's loop waits for it).
std::chrono::milliseconds probe_timeout(std::chrono::milliseconds sampling_period);

// Probes every target at once; returns one result per target key.
std::map<std::string, ProbeResult> probe_all(const std::vector<ProbeTarget>& targets,
                                             std::chrono::milliseconds timeout);

// The instances a pass probes: the running instances, with an address, of each entry whose metric
// is latency (only containers of the project: the snapshot holds nothing else).
std::vector<ProbeTarget> probe_targets(const std::vector<AutoscaledEntry>& entries,
                                       const std::vector<InstanceView>& instances);

// The last probes of each instance and their median (the figure the decision reads).
class LatencyWindow {
public:
  static constexpr std::size_t k_size = 3;

  // Adds a pass's results; an instance whose probe failed starts again empty, instances not
  // probed any more are forgotten.
  void record(const std::map<std::string, ProbeResult>& results);

  // "service/instance" -> the median in ms of its last probes (the mean of the middle two when
  // it has two).
  std::map<std::string, double> medians() const;

private:
  std::map<std::string, std::deque<double>> m_recent{};
};

} // namespace dockerops::agent
