#include "dns/server/forward.hpp"

#include "base/error.hpp"
#include "base/log.hpp"
#include "base/strings.hpp"
#include "dns/server/reply.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <unistd.h>

#include <cstring>

namespace dockerops::dns {

namespace {

// Normalises an address to (family, bytes): v4-mapped IPv6 becomes IPv4.
int address_bytes(const sockaddr_storage& address, std::uint8_t out[16]) {
  if (address.ss_family == AF_INET) {
    std::memcpy(out, &reinterpret_cast<const sockaddr_in&>(address).sin_addr, 4);
    return AF_INET;
  }
  if (address.ss_family == AF_INET6) {
    const auto& a6 = reinterpret_cast<const sockaddr_in6&>(address).sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&a6)) {
      std::memcpy(out, a6.s6_addr + 12, 4);
      return AF_INET;
    }
    std::memcpy(out, a6.s6_addr, 16);
    return AF_INET6;
  }
  return 0;
}

bool same_address(const sockaddr_storage& a, const sockaddr_storage& b) {
  if (a.ss_family != b.ss_family)
    return false;
  if (a.ss_family == AF_INET) {
    const auto& x = reinterpret_cast<const sockaddr_in&>(a);
    const auto& y = reinterpret_cast<const sockaddr_in&>(b);
    return x.sin_port == y.sin_port && x.sin_addr.s_addr == y.sin_addr.s_addr;
  }
  const auto& x = reinterpret_cast<const sockaddr_in6&>(a);
  const auto& y = reinterpret_cast<const sockaddr_in6&>(b);
  return x.sin6_port == y.sin6_port && std::memcmp(&x.sin6_addr, &y.sin6_addr, 16) == 0;
}

} // namespace

Network Network::parse(std::string_view text) {
  Network n;
  std::string address(text);
  int prefix = -1;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    address = std::string(text.substr(0, slash));
    try {
      std::size_t used = 0;
      prefix = std::stoi(std::string(text.substr(slash + 1)), &used);
      if (used != text.size() - slash - 1)
        prefix = -2;
    } catch (const std::exception&) {
      prefix = -2;
    }
  }
  if (inet_pton(AF_INET, address.c_str(), n.bytes) == 1)
    n.family = AF_INET;
  else if (inet_pton(AF_INET6, address.c_str(), n.bytes) == 1)
    n.family = AF_INET6;
  else
    fail(ErrorKind::usage, "--forward-allow: \"{}\" is not an address or CIDR network (e.g. 172.30.0.0/24)",
         text);
  int max = n.family == AF_INET ? 32 : 128;
  if (prefix == -1)
    prefix = max;
  if (prefix < 0 || prefix > max)
    fail(ErrorKind::usage, "--forward-allow: bad prefix length in \"{}\" (0-{})", text, max);
  n.prefix = prefix;
  return n;
}

bool Network::contains(const sockaddr_storage& address) const {
  std::uint8_t b[16];
  if (address_bytes(address, b) != family)
    return false;
  int full = prefix / 8;
  if (std::memcmp(b, bytes, static_cast<std::size_t>(full)) != 0)
    return false;
  int rest = prefix % 8;
  if (rest == 0)
    return true;
  auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (b[full] & mask) == (bytes[full] & mask);
}

bool any_contains(const std::vector<Network>& networks, const sockaddr_storage& address) {
  for (const auto& n : networks)
    if (n.contains(address))
      return true;
  return false;
}

Upstream parse_upstream(std::string_view text) {
  Upstream u;
  std::string host(text);
  int port = 53;
  auto bad = [&] { fail(ErrorKind::usage, "--forward: \"{}\" is not IP, IP:PORT or [IPv6]:PORT", text); };
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos)
      bad();
    host = std::string(text.substr(1, close - 1));
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':')
        bad();
      port = std::atoi(std::string(text.substr(close + 2)).c_str());
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    auto colon = text.find(':');
    host = std::string(text.substr(0, colon));
    port = std::atoi(std::string(text.substr(colon + 1)).c_str());
  }
  if (port <= 0 || port > 65535)
    bad();
  auto* a4 = reinterpret_cast<sockaddr_in*>(&u.address);
  auto* a6 = reinterpret_cast<sockaddr_in6*>(&u.address);
  if (inet_pton(AF_INET, host.c_str(), &a4->sin_addr) == 1) {
    a4->sin_family = AF_INET;
    a4->sin_port = htons(static_cast<std::uint16_t>(port));
    u.length = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, host.c_str(), &a6->sin6_addr) == 1) {
    a6->sin6_family = AF_INET6;
    a6->sin6_port = htons(static_cast<std::uint16_t>(port));
    u.length = sizeof(sockaddr_in6);
  } else {
    bad();
  }
  u.text = fmt::format("{}{}{}:{}", u.length == sizeof(sockaddr_in6) ? "[" : "", host,
                       u.length == sizeof(sockaddr_in6) ? "]" : "", port);
  return u;
}

std::vector<std::string> resolv_conf_nameservers(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& raw : strings::split(text, '\n')) {
    auto line = strings::replace_all(strings::trim(raw), "\t", " ");
    auto words = strings::split(line, ' ');
    std::erase_if(words, [](const std::string& w) { return w.empty(); });
    if (words.size() >= 2 && words[0] == "nameserver")
      out.push_back(strings::trim(words[1]));
  }
  return out;
}

Forwarder::Forwarder(std::vector<Upstream> upstreams) : m_upstreams(std::move(upstreams)) {
  if (getrandom(&m_rng, sizeof m_rng, 0) != sizeof m_rng)
    m_rng = 0x9e3779b97f4a7c15ull ^ static_cast<std::uint64_t>(getpid());
  for (const auto& u : m_upstreams) {
    int& fd = u.address.ss_family == AF_INET ? m_fd4 : m_fd6;
    if (fd >= 0)
      continue;
    fd = ::socket(u.address.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
      dockerops::fail(ErrorKind::io, "cannot create a forwarding socket: {}", std::strerror(errno));
  }
}

Forwarder::~Forwarder() {
  if (m_fd4 >= 0)
    ::close(m_fd4);
  if (m_fd6 >= 0)
    ::close(m_fd6);
}

std::vector<int> Forwarder::fds() const {
  std::vector<int> out;
  for (int fd : {m_fd4, m_fd6})
    if (fd >= 0)
      out.push_back(fd);
  return out;
}

int Forwarder::socket_for(const Upstream& upstream) const {
  return upstream.address.ss_family == AF_INET ? m_fd4 : m_fd6;
}

std::uint16_t Forwarder::fresh_id() {
  for (;;) {
    // xorshift64*: IDs unpredictable enough for an upstream on a trusted path.
    m_rng ^= m_rng >> 12;
    m_rng ^= m_rng << 25;
    m_rng ^= m_rng >> 27;
    auto id = static_cast<std::uint16_t>((m_rng * 2685821657736338717ull) >> 48);
    if (!m_pending.contains(id))
      return id;
  }
}

void Forwarder::submit(std::span<const std::uint8_t> query, const Packet& packet, Done done) {
  if (m_upstreams.empty() || m_pending.size() >= k_max_pending) {
    std::uint8_t reply[512];
    done(std::span<const std::uint8_t>(reply, write_error_reply(query, packet, rcode::servfail, reply)));
    return;
  }
  std::uint16_t id = fresh_id();
  Pending& p = m_pending[id];
  p.query.assign(query.begin(), query.end());
  put16(p.query.data(), id);
  p.client_id = packet.header.id;
  p.done = std::move(done);
  send_try(id, p);
}

void Forwarder::send_try(std::uint16_t id, Pending& p) {
  const Upstream& u = m_upstreams[p.tries % m_upstreams.size()];
  ++p.tries;
  p.deadline = std::chrono::steady_clock::now() + k_forward_timeout;
  if (::sendto(socket_for(u), p.query.data(), p.query.size(), 0,
               reinterpret_cast<const sockaddr*>(&u.address), u.length) < 0)
    log::debug("forward to {} failed: {}", u.text, std::strerror(errno));
  (void)id;
}

void Forwarder::fail(std::uint16_t id) {
  auto it = m_pending.find(id);
  Pending p = std::move(it->second);
  m_pending.erase(it);
  put16(p.query.data(), p.client_id);
  Packet packet;
  std::uint8_t reply[512];
  validate(p.query, packet);
  p.done(std::span<const std::uint8_t>(reply, write_error_reply(p.query, packet, rcode::servfail, reply)));
}

void Forwarder::on_readable(int fd) {
  std::uint8_t buffer[65536];
  for (;;) {
    sockaddr_storage from{};
    socklen_t from_length = sizeof from;
    ssize_t n = ::recvfrom(fd, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&from), &from_length);
    if (n < 0)
      return;
    if (static_cast<std::size_t>(n) < k_header_size)
      continue;
    auto it = m_pending.find(get16(buffer));
    if (it == m_pending.end())
      continue;
    Pending& p = it->second;
    const Upstream& u = m_upstreams[(p.tries - 1) % m_upstreams.size()];
    // Accept only the upstream we asked, with our question (anti-spoofing).
    std::size_t question_end = k_header_size;
    std::size_t reply_end = k_header_size;
    std::span<const std::uint8_t> reply(buffer, static_cast<std::size_t>(n));
    if (!same_address(from, u.address) || !(buffer[2] & 0x80) ||
        !check_name(p.query, question_end, p.query.size()) || !check_name(reply, reply_end, reply.size()) ||
        question_end != reply_end || reply_end + 4 > reply.size() || question_end + 4 > p.query.size() ||
        strings::to_lower(
            std::string_view(reinterpret_cast<const char*>(buffer) + 12, question_end + 4 - 12)) !=
            strings::to_lower(
                std::string_view(reinterpret_cast<const char*>(p.query.data()) + 12, question_end + 4 - 12)))
      continue;
    put16(buffer, p.client_id);
    Done done = std::move(p.done);
    m_pending.erase(it);
    done(reply);
  }
}

void Forwarder::on_timer() {
  auto now = std::chrono::steady_clock::now();
  std::vector<std::uint16_t> expired;
  for (auto& [id, p] : m_pending)
    if (p.deadline <= now)
      expired.push_back(id);
  for (auto id : expired) {
    Pending& p = m_pending.at(id);
    if (p.tries < m_upstreams.size() * k_forward_rounds)
      send_try(id, p);
    else
      fail(id);
  }
}

int Forwarder::next_timeout_ms() const {
  if (m_pending.empty())
    return -1;
  auto next = std::chrono::steady_clock::time_point::max();
  for (const auto& [id, p] : m_pending)
    next = std::min(next, p.deadline);
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(next - std::chrono::steady_clock::now()).count();
  return static_cast<int>(std::max<long long>(ms + 1, 0));
}

} // namespace dockerops::dns
