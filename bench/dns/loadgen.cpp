// Batched DNS load generator for bench/dns/query_bench.sh: one thread, one
// UDP socket, queries sent with sendmmsg and answers read with recvmmsg, at
// most --window queries outstanding, bounded by --queries and --seconds both.
// Closed loop by default (the window is kept full: saturation); --rate paces
// the sends at a fixed offered load. Names come from a file, one
// "name [TYPE]" a line, sent in file order, round and round.
//
// A query's DNS ID is its window slot (12 bits) and a 4-bit generation; an
// answer counts when the ID is outstanding and the question matches. A query
// unanswered after --timeout is lost. After --warmup seconds the counters and
// the CPU snapshot of the --cpu-pid processes restart, so the figures cover
// the measured interval only. One line of key=value figures is printed.

#include "loadgen.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <utility>

namespace dnsbench {
namespace {

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr,
               "dns-loadgen: %s\n"
               "usage: dns-loadgen --port PORT --names FILE [--server 127.0.0.1] [--queries N]\n"
               "         [--seconds S] [--warmup S] [--window W<=4096] [--batch B<=256] [--rate QPS]\n"
               "         [--timeout MS] [--cpu-pid PID]...\n",
               why.c_str());
  std::exit(2);
}

std::uint16_t type_code(const std::string& t) {
  static const std::pair<const char*, std::uint16_t> types[] = {
      {"A", 1}, {"NS", 2}, {"SOA", 6}, {"MX", 15}, {"TXT", 16}, {"AAAA", 28}, {"SRV", 33}};
  for (const auto& [name, code] : types)
    if (t == name)
      return code;
  return 0;
}

std::vector<std::vector<std::uint8_t>> read_names(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    usage("cannot read " + path);
  std::vector<std::vector<std::uint8_t>> queries;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::istringstream words(line);
    std::string name, type = "A";
    if (!(words >> name))
      continue;
    words >> type;
    auto q = make_query(name, type_code(type));
    if (!q || type_code(type) == 0) {
      std::string why = path;
      why += ":" + std::to_string(number) + ": not a name and type: ";
      usage(why += line);
    }
    queries.push_back(std::move(*q));
  }
  if (queries.empty())
    usage(path + ": no names");
  return queries;
}

double number(const char* text, const std::string& option) {
  char* end = nullptr;
  double v = std::strtod(text, &end);
  if (end == text || *end != '\0' || v < 0)
    usage(option + " needs a non-negative number, not " + text);
  return v;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc)
      usage("missing value after " + arg);
    const char* v = argv[++i];
    if (arg == "--server")
      o.server = v;
    else if (arg == "--port")
      o.port = static_cast<int>(number(v, arg));
    else if (arg == "--names")
      o.names = v;
    else if (arg == "--queries")
      o.queries = static_cast<std::uint64_t>(number(v, arg));
    else if (arg == "--seconds")
      o.seconds = number(v, arg);
    else if (arg == "--warmup")
      o.warmup = number(v, arg);
    else if (arg == "--window")
      o.window = static_cast<unsigned>(number(v, arg));
    else if (arg == "--batch")
      o.batch = static_cast<unsigned>(number(v, arg));
    else if (arg == "--rate")
      o.rate = number(v, arg);
    else if (arg == "--timeout")
      o.timeout_ms = number(v, arg);
    else if (arg == "--cpu-pid")
      o.cpu_pids.push_back(static_cast<int>(number(v, arg)));
    else
      usage("unknown option " + arg);
  }
  if (o.port <= 0 || o.port > 65535 || o.names.empty())
    usage("--port and --names are required");
  if (o.window == 0 || o.window > k_max_window || o.batch == 0 || o.batch > k_max_batch)
    usage("--window must be 1-4096 and --batch 1-256");
  if (o.queries == 0 || o.seconds <= 0 || o.seconds > 600 || o.warmup >= o.seconds)
    usage("--queries must be > 0, --seconds in (0, 600] and --warmup below --seconds");
  return o;
}

double percentile(std::vector<std::uint32_t>& v, double p) {
  if (v.empty())
    return 0;
  auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k] / 1000.0;
}

double seconds_of(const timeval& t) {
  return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6;
}

} // namespace
} // namespace dnsbench

int main(int argc, char** argv) {
  using namespace dnsbench;
  Options o = parse(argc, argv);
  Generator gen(o, read_names(o.names));
  rusage before{}, after{};
  Result r = gen.run(before, after);

  double wall = r.interval_ns / 1e9;
  double gen_user = seconds_of(after.ru_utime) - seconds_of(before.ru_utime);
  double gen_sys = seconds_of(after.ru_stime) - seconds_of(before.ru_stime);
  double srv_user = r.server_after.user - r.server_before.user;
  double srv_sys = r.server_after.system - r.server_before.system;
  double srv = srv_user + srv_sys;
  std::printf("sent=%llu received=%llu lost=%llu late=%llu noerror=%llu nxdomain=%llu other_rcode=%llu "
              "seconds=%.3f qps=%.0f p50_us=%.1f p90_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f "
              "gen_cpu_share=%.3f gen_sys_share=%.3f sendmmsg=%llu recvmmsg=%llu ",
              r.sent, r.answered, r.lost, r.late, r.rcode_noerror, r.rcode_nxdomain, r.rcode_other, wall,
              r.received_in_interval / wall, percentile(r.latency_ns, 0.5), percentile(r.latency_ns, 0.9),
              percentile(r.latency_ns, 0.99), percentile(r.latency_ns, 0.999),
              r.latency_ns.empty() ? 0.0
                                   : *std::max_element(r.latency_ns.begin(), r.latency_ns.end()) / 1000.0,
              (gen_user + gen_sys) / wall, gen_user + gen_sys > 0 ? gen_sys / (gen_user + gen_sys) : 0.0,
              r.sendmmsg_calls, r.recvmmsg_calls);
  if (o.cpu_pids.empty())
    std::printf("server_cpu_s=- server_busy=- server_us_per_query=- server_sys_share=-\n");
  else
    std::printf("server_cpu_s=%.2f server_busy=%.3f server_us_per_query=%.3f server_sys_share=%.3f\n", srv,
                srv / wall, r.received_in_interval ? srv * 1e6 / r.received_in_interval : 0.0,
                srv > 0 ? srv_sys / srv : 0.0);
  return r.answered == 0 ? 1 : 0;
}
