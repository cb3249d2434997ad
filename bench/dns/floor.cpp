// The floor of the query bench: a UDP responder that does no DNS work. It
// reads a batch with recvmmsg, answers each one-question query with a fixed
// reply (the query's ID and question, QR and AA set, one A record 10.0.0.1
// through a compression pointer to the question) and writes the batch with
// sendmmsg: the socket API's cost and nothing else, the loop shape of
// src/dns/server/udp.cpp. On SIGTERM or SIGINT it prints how many queries it
// answered and how many per recvmmsg call.
//
// Usage: dns-floor --port PORT [--listen 127.0.0.1]   (loopback only)

#include "wire.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr unsigned k_batch = 64; // as src/dns/server/udp.cpp
constexpr std::size_t k_slot = 4096;
constexpr std::uint8_t k_answer[] = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1};

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) {
  g_stop = 1;
}

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr, "dns-floor: %s\nusage: dns-floor --port PORT [--listen 127.0.0.1]\n", why);
  std::exit(2);
}

// Writes the fixed reply to `out`; returns its size, or 0 to drop the query.
std::size_t answer(const std::uint8_t* in, std::size_t size, std::uint8_t* out) {
  std::span<const std::uint8_t> query(in, size);
  std::size_t end = dnsbench::question_end(query);
  if (end == 0 || (in[2] & 0x80) != 0 || end + sizeof k_answer > k_slot)
    return 0;
  std::memcpy(out, in, end);
  out[2] = static_cast<std::uint8_t>(0x84 | (in[2] & 0x79)); // QR, AA; opcode and RD kept
  out[3] = 0;                                                // NOERROR
  dnsbench::put16(out + 6, 1);                               // ANCOUNT
  dnsbench::put16(out + 8, 0);
  dnsbench::put16(out + 10, 0); // no EDNS echoed: no DNS work
  std::memcpy(out + end, k_answer, sizeof k_answer);
  return end + sizeof k_answer;
}

} // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1";
  int port = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc)
      usage(("missing value after " + arg).c_str());
    if (arg == "--port")
      port = std::atoi(argv[++i]);
    else if (arg == "--listen")
      listen = argv[++i];
    else
      usage(("unknown option " + arg).c_str());
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (port <= 0 || port > 65535 || inet_pton(AF_INET, listen.c_str(), &addr.sin_addr) != 1 ||
      (ntohl(addr.sin_addr.s_addr) >> 24) != 127)
    usage("needs --port 1-65535 and an IPv4 loopback --listen address");
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    std::perror("dns-floor: bind");
    return 1;
  }
  int buffer = 4 << 20; // as src/dns/server/server.cpp; the kernel caps it at rmem_max
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
  struct sigaction sa {};
  sa.sa_handler = on_signal; // no SA_RESTART: a blocked recvmmsg returns EINTR
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);

  std::vector<std::uint8_t> in(k_batch * k_slot), out(k_batch * k_slot);
  mmsghdr rmsg[k_batch]{}, smsg[k_batch]{};
  iovec riov[k_batch]{}, siov[k_batch]{};
  sockaddr_in peers[k_batch]{};
  for (unsigned i = 0; i < k_batch; ++i) {
    riov[i] = {in.data() + i * k_slot, k_slot};
    rmsg[i].msg_hdr.msg_iov = &riov[i];
    rmsg[i].msg_hdr.msg_iovlen = 1;
    rmsg[i].msg_hdr.msg_name = &peers[i];
  }
  unsigned long long queries = 0, recv_calls = 0, send_calls = 0;
  while (!g_stop) {
    for (unsigned i = 0; i < k_batch; ++i)
      rmsg[i].msg_hdr.msg_namelen = sizeof(sockaddr_in);
    int got = recvmmsg(fd, rmsg, k_batch, MSG_WAITFORONE, nullptr);
    if (got <= 0)
      continue;
    ++recv_calls;
    queries += static_cast<unsigned>(got);
    unsigned replies = 0;
    for (int i = 0; i < got; ++i) {
      std::uint8_t* reply = out.data() + replies * k_slot;
      std::size_t size = answer(in.data() + static_cast<std::size_t>(i) * k_slot, rmsg[i].msg_len, reply);
      if (size == 0)
        continue;
      siov[replies] = {reply, size};
      smsg[replies].msg_hdr = msghdr{};
      smsg[replies].msg_hdr.msg_name = &peers[i];
      smsg[replies].msg_hdr.msg_namelen = rmsg[i].msg_hdr.msg_namelen;
      smsg[replies].msg_hdr.msg_iov = &siov[replies];
      smsg[replies].msg_hdr.msg_iovlen = 1;
      ++replies;
    }
    for (unsigned sent = 0; sent < replies;) {
      int k = sendmmsg(fd, smsg + sent, replies - sent, 0);
      ++send_calls;
      if (k <= 0 && errno == EINTR && !g_stop)
        continue;
      sent += k > 0 ? static_cast<unsigned>(k) : 1; // skip a datagram the kernel refused
    }
  }
  std::printf("queries=%llu recvmmsg_calls=%llu sendmmsg_calls=%llu queries_per_recvmmsg=%.1f\n", queries,
              recv_calls, send_calls, recv_calls ? static_cast<double>(queries) / recv_calls : 0.0);
  return 0;
}
