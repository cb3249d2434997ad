// The load generator's loop: see loadgen.cpp for what it does.

#include "loadgen.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

namespace dnsbench {
namespace {

constexpr std::size_t k_out_slot = 512; // a query: header + one question
constexpr std::size_t k_in_slot = 2048; // an answer; larger ones arrive truncated, still matched
constexpr std::uint64_t k_scan_ns = 10'000'000;

std::uint64_t now_ns() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<std::uint64_t>(t.tv_sec) * 1'000'000'000u + static_cast<std::uint64_t>(t.tv_nsec);
}

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "dns-loadgen: %s: %s\n", what.c_str(), std::strerror(errno));
  std::exit(1);
}

} // namespace

Generator::Generator(const Options& options, std::vector<std::vector<std::uint8_t>> queries)
    : m_o(options), m_queries(std::move(queries)), m_slots(options.window), m_out(options.batch * k_out_slot),
      m_in(options.batch * k_in_slot), m_smsg(options.batch), m_rmsg(options.batch), m_siov(options.batch),
      m_riov(options.batch) {
  for (const auto& q : m_queries)
    if (q.size() > k_out_slot) {
      errno = EMSGSIZE;
      fail("a query is too long");
    }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(m_o.port));
  if (inet_pton(AF_INET, m_o.server.c_str(), &addr.sin_addr) != 1 ||
      (ntohl(addr.sin_addr.s_addr) >> 24) != 127) {
    std::fprintf(stderr, "dns-loadgen: --server must be an IPv4 loopback address, not %s\n",
                 m_o.server.c_str());
    std::exit(2);
  }
  m_fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  if (m_fd < 0)
    fail("socket");
  int buffer = 4 << 20;
  if (setsockopt(m_fd, SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof buffer) != 0)
    setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  if (setsockopt(m_fd, SOL_SOCKET, SO_SNDBUFFORCE, &buffer, sizeof buffer) != 0)
    setsockopt(m_fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
  if (connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    fail("connect");
  prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL); // paced sends wake on time
  for (unsigned i = 0; i < m_o.batch; ++i) {
    m_siov[i].iov_base = m_out.data() + i * k_out_slot;
    m_smsg[i].msg_hdr.msg_iov = &m_siov[i];
    m_smsg[i].msg_hdr.msg_iovlen = 1;
    m_riov[i] = {m_in.data() + i * k_in_slot, k_in_slot};
    m_rmsg[i].msg_hdr.msg_iov = &m_riov[i];
    m_rmsg[i].msg_hdr.msg_iovlen = 1;
  }
  for (unsigned i = m_o.window; i-- > 0;)
    m_free.push_back(i);
  double expected = m_o.rate > 0 ? m_o.rate * m_o.seconds * 1.1 : 8e6;
  m_r.latency_ns.reserve(
      static_cast<std::size_t>(std::min<double>(expected, static_cast<double>(m_o.queries))));
}

Generator::~Generator() {
  if (m_fd >= 0)
    close(m_fd);
}

CpuTimes Generator::server_cpu() const {
  static const double hz = static_cast<double>(sysconf(_SC_CLK_TCK));
  CpuTimes t;
  for (int pid : m_o.cpu_pids) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::size_t paren = text.rfind(')');
    if (paren == std::string::npos)
      continue; // gone: counts as nothing
    // After the comm's ")": state is field 3 of stat(5); utime 14 and stime 15 are the 12th and 13th here.
    std::istringstream fields(text.substr(paren + 2));
    std::string skip;
    for (int i = 0; i < 11; ++i)
      fields >> skip;
    double user = 0, system = 0;
    fields >> user >> system;
    t.user += user / hz;
    t.system += system / hz;
  }
  return t;
}

unsigned Generator::send(std::uint64_t now) {
  std::uint64_t n = std::min<std::uint64_t>({m_o.batch, m_free.size(), m_o.queries - m_sent_total});
  if (m_o.rate > 0) {
    auto due = static_cast<std::uint64_t>(m_o.rate * static_cast<double>(now - m_t0) / 1e9) + 1;
    n = due > m_sent_total ? std::min(n, due - m_sent_total) : 0;
  }
  if (n == 0)
    return 0;
  for (unsigned i = 0; i < n; ++i) {
    unsigned s = m_free[m_free.size() - 1 - i];
    Slot& slot = m_slots[s];
    const auto& q = m_queries[m_next_query++ % m_queries.size()];
    slot.query = static_cast<std::uint32_t>((m_next_query - 1) % m_queries.size());
    slot.generation = static_cast<std::uint8_t>((slot.generation + 1) & 15);
    auto* out = static_cast<std::uint8_t*>(m_siov[i].iov_base);
    std::memcpy(out, q.data(), q.size());
    put16(out, static_cast<unsigned>(slot.generation) << 12 | s);
    m_siov[i].iov_len = q.size();
  }
  int k = sendmmsg(m_fd, m_smsg.data(), static_cast<unsigned>(n), 0);
  ++m_r.sendmmsg_calls;
  unsigned sent = k > 0 ? static_cast<unsigned>(k) : 0;
  m_next_query -= n - sent; // the unsent ones go out next time
  for (unsigned i = 0; i < sent; ++i) {
    Slot& slot = m_slots[m_free.back()];
    m_free.pop_back();
    slot.busy = true;
    slot.counted = m_measuring;
    slot.sent_ns = now;
  }
  m_inflight += sent;
  m_sent_total += sent;
  if (m_measuring)
    m_r.sent += sent;
  return sent;
}

void Generator::finish_slot(unsigned s) {
  m_slots[s].busy = false;
  m_free.push_back(s);
  --m_inflight;
}

unsigned Generator::receive() {
  int got = recvmmsg(m_fd, m_rmsg.data(), m_o.batch, MSG_DONTWAIT, nullptr);
  if (got <= 0)
    return 0;
  ++m_r.recvmmsg_calls;
  std::uint64_t now = now_ns();
  for (int i = 0; i < got; ++i) {
    const std::uint8_t* a = m_in.data() + static_cast<std::size_t>(i) * k_in_slot;
    std::size_t len = std::min<std::size_t>(m_rmsg[i].msg_len, k_in_slot);
    unsigned id = len >= k_header ? get16(a) : 0xffffu;
    unsigned s = id & 0xfff;
    if (len < k_header || s >= m_o.window || !m_slots[s].busy || m_slots[s].generation != id >> 12) {
      ++m_r.late;
      continue;
    }
    Slot& slot = m_slots[s];
    const auto& q = m_queries[slot.query];
    if (len < q.size() || std::memcmp(a + k_header, q.data() + k_header, q.size() - k_header) != 0) {
      ++m_r.late;
      continue;
    }
    if (m_measuring && !m_stopping)
      ++m_r.received_in_interval;
    if (slot.counted) {
      ++m_r.answered;
      unsigned rcode = a[3] & 15;
      ++(rcode == 0 ? m_r.rcode_noerror : rcode == 3 ? m_r.rcode_nxdomain : m_r.rcode_other);
      m_r.latency_ns.push_back(static_cast<std::uint32_t>(std::min<std::uint64_t>(now - slot.sent_ns, ~0u)));
    }
    finish_slot(s);
  }
  return static_cast<unsigned>(got);
}

void Generator::expire(std::uint64_t now) {
  auto timeout = static_cast<std::uint64_t>(m_o.timeout_ms * 1e6);
  for (unsigned s = 0; s < m_o.window; ++s)
    if (m_slots[s].busy && now - m_slots[s].sent_ns > timeout) {
      if (m_slots[s].counted)
        ++m_r.lost;
      finish_slot(s);
    }
}

Result Generator::run(rusage& self_before, rusage& self_after) {
  m_t0 = now_ns();
  const std::uint64_t t_measure = m_t0 + static_cast<std::uint64_t>(m_o.warmup * 1e9);
  const std::uint64_t t_end = m_t0 + static_cast<std::uint64_t>(m_o.seconds * 1e9);
  const auto timeout = static_cast<std::uint64_t>(m_o.timeout_ms * 1e6);
  std::uint64_t t_start = m_t0, t_stop = 0, next_scan = m_t0 + k_scan_ns;
  for (;;) {
    std::uint64_t now = now_ns();
    if (!m_measuring && now >= t_measure) {
      m_measuring = true;
      t_start = now;
      getrusage(RUSAGE_SELF, &self_before);
      m_r.server_before = server_cpu();
      m_r.sendmmsg_calls = m_r.recvmmsg_calls = 0;
    }
    if (!m_stopping && (now >= t_end || m_sent_total >= m_o.queries)) {
      m_stopping = true;
      t_stop = now;
      getrusage(RUSAGE_SELF, &self_after);
      m_r.server_after = server_cpu();
      m_r.interval_ns = t_stop - t_start;
    }
    if (m_stopping && (m_inflight == 0 || now >= t_stop + timeout))
      break;
    unsigned moved = m_stopping ? 0 : send(now);
    moved += receive();
    if (now >= next_scan) {
      expire(now);
      next_scan = now + k_scan_ns;
    }
    if (moved > 0)
      continue;
    // Nothing to do: sleep until an answer, the next paced send or the next deadline.
    std::uint64_t wake = now + k_scan_ns;
    if (m_o.rate > 0 && !m_stopping && !m_free.empty())
      wake = std::min(wake,
                      m_t0 + static_cast<std::uint64_t>(static_cast<double>(m_sent_total) * 1e9 / m_o.rate));
    if (!m_measuring)
      wake = std::min(wake, t_measure);
    wake = std::min(wake, m_stopping ? t_stop + timeout : t_end);
    if (wake <= now)
      continue;
    timespec ts{static_cast<time_t>((wake - now) / 1'000'000'000u),
                static_cast<long>((wake - now) % 1'000'000'000u)};
    pollfd p{m_fd, POLLIN, 0};
    ppoll(&p, 1, &ts, nullptr);
  }
  for (unsigned s = 0; s < m_o.window; ++s)
    if (m_slots[s].busy && m_slots[s].counted)
      ++m_r.lost;
  if (!m_measuring) { // --queries ran out inside the warm-up
    self_before = self_after;
    m_r.server_before = m_r.server_after;
  }
  return std::move(m_r);
}

} // namespace dnsbench
