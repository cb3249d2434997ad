// One stats pass over a project's running containers, two ways, side by side: the agent's way
// (agent::CgroupReader, a few cgroup file reads per container) and one Engine API one-shot stats
// call per container (GET /containers/{id}/stats?stream=false&one-shot=true). Prints a table: the
// agent's way as the median and spread of 5 rounds of 200 passes, and its share of one core at the
// agent's default sampling period (5 s).
// Usage: stats_pass PROJECT [CGROUP_ROOT] [ENGINE_PASSES=3]   (built and run by bench/agent/cost.sh)

#include "agent/cgroup_stats.hpp"
#include "engine/engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace dockerops;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: stats_pass PROJECT [CGROUP_ROOT]\n");
    return 2;
  }
  auto engine = engine::connect();
  std::vector<std::string> ids;
  for (const auto& c :
       engine->list_containers(engine::label_filter({std::string("dockerops.project=") + argv[1]}), false))
    ids.push_back(c.id);
  agent::CgroupReader reader(argc > 2 ? argv[2] : "/sys/fs/cgroup");
  using clock = std::chrono::steady_clock;
  // The agent's way, 5 rounds of 200 passes (the first pass finds the folders, as the agent does once).
  std::size_t read = 0;
  constexpr int k_passes = 200;
  constexpr int k_rounds = 5;
  std::vector<double> rounds;
  for (int round = 0; round < k_rounds; ++round) {
    read = 0;
    auto t0 = clock::now();
    for (int pass = 0; pass < k_passes; ++pass)
      for (const auto& id : ids)
        read += reader.read(id) ? 1 : 0;
    rounds.push_back(std::chrono::duration<double, std::micro>(clock::now() - t0).count() / k_passes);
  }
  std::sort(rounds.begin(), rounds.end());
  double cgroup_us = rounds[k_rounds / 2];
  // The Engine API's way, 3 passes (or as many as asked: one takes about a second per container).
  const int k_engine_passes = argc > 3 ? std::max(1, std::atoi(argv[3])) : 3;
  auto t0 = clock::now();
  for (int pass = 0; pass < k_engine_passes; ++pass)
    for (const auto& id : ids)
      engine->stats(id);
  double engine_us = std::chrono::duration<double, std::micro>(clock::now() - t0).count() / k_engine_passes;
  std::printf("| one stats pass over %zu containers | cgroup files (agent) | Engine API one-shot | ratio |\n",
              ids.size());
  std::printf("|---|---|---|---|\n");
  std::printf("| wall time per pass (agent: median of %d rounds of %d, spread %.0f-%.0f us; Engine: %d "
              "pass%s) | %.0f us | %.0f ms | %.0fx |\n",
              k_rounds, k_passes, rounds.front(), rounds.back(), k_engine_passes,
              k_engine_passes == 1 ? "" : "es", cgroup_us, engine_us / 1000, engine_us / cgroup_us);
  std::printf("| per container | %.1f us | %.1f ms | |\n", cgroup_us / static_cast<double>(ids.size()),
              engine_us / 1000 / static_cast<double>(ids.size()));
  std::printf("| containers read from cgroups | %zu of %zu | | |\n", read / k_passes, ids.size());
  std::printf("| wall time of one pass per 5 s period (the agent: CPU, file reads) | %.4f %% | %.1f %% | |\n",
              cgroup_us / 5e6 * 100, engine_us / 5e6 * 100);
  return 0;
}
