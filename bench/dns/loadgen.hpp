// The load generator's loop (generator.cpp) and what it measures; loadgen.cpp
// parses the options and prints the figures.
#pragma once

#include "wire.hpp"

#include <sys/resource.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <vector>

namespace dnsbench {

constexpr unsigned k_max_window = 4096; // 12 bits of the DNS ID
constexpr unsigned k_max_batch = 256;

struct Options {
  std::string server = "127.0.0.1";
  int port = 0;
  std::string names;
  std::uint64_t queries = 100'000'000; // all sends, the warm-up's included
  double seconds = 10;                 // the whole run, the warm-up included; the drain comes after
  double warmup = 0;
  unsigned window = 128;
  unsigned batch = 64;
  double rate = 0; // queries/s; 0 = closed loop
  double timeout_ms = 500;
  std::vector<int> cpu_pids; // processes whose CPU time is read over the measured interval
};

struct CpuTimes {
  double user = 0, system = 0; // seconds
};

struct Result {
  unsigned long long sent = 0, answered = 0, lost = 0, late = 0; // queries sent in the measured interval
  unsigned long long rcode_noerror = 0, rcode_nxdomain = 0, rcode_other = 0;
  unsigned long long received_in_interval = 0; // answers that arrived inside the interval, whenever sent
  unsigned long long sendmmsg_calls = 0, recvmmsg_calls = 0;
  std::uint64_t interval_ns = 0;
  std::vector<std::uint32_t> latency_ns;
  CpuTimes server_before, server_after;
};

class Generator {
public:
  Generator(const Options& options, std::vector<std::vector<std::uint8_t>> queries);
  ~Generator();
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;

  // Runs until --seconds or --queries, then drains for up to --timeout.
  Result run(rusage& self_before, rusage& self_after);

private:
  struct Slot {
    std::uint64_t sent_ns = 0;
    std::uint32_t query = 0;
    std::uint8_t generation = 0;
    bool busy = false;
    bool counted = false; // sent inside the measured interval
  };

  unsigned send(std::uint64_t now);
  unsigned receive();
  void expire(std::uint64_t now);
  void finish_slot(unsigned slot);
  CpuTimes server_cpu() const;

  Options m_o;
  std::vector<std::vector<std::uint8_t>> m_queries;
  int m_fd = -1;
  std::vector<Slot> m_slots;
  std::vector<unsigned> m_free;
  unsigned m_inflight = 0;
  std::uint64_t m_next_query = 0, m_sent_total = 0, m_t0 = 0;
  bool m_measuring = false, m_stopping = false;
  std::vector<std::uint8_t> m_out, m_in;
  std::vector<mmsghdr> m_smsg, m_rmsg;
  std::vector<iovec> m_siov, m_riov;
  Result m_r;
};

} // namespace dnsbench
