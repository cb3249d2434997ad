#include "dns/client.hpp"

#include "base/error.hpp"
#include "base/log.hpp"
#include "base/strings.hpp"
#include "dns/tsig.hpp"
#include "dns/update_wire.hpp"
#include "dns/wire.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace dockerops::dns {

namespace {

using Clock = std::chrono::steady_clock;

std::uint64_t wall_seconds() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

std::uint16_t random_id() {
  std::uint16_t id = 0;
  if (::getrandom(&id, sizeof id, 0) != sizeof id)
    id = static_cast<std::uint16_t>(Clock::now().time_since_epoch().count());
  return id;
}

// A transport failure: worth another attempt.
struct TransportError {
  std::string what;
};

class Socket {
public:
  explicit Socket(int fd) : m_fd(fd) {}
  ~Socket() {
    if (m_fd >= 0)
      ::close(m_fd);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return m_fd; }

private:
  int m_fd;
};

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

void wait_for(int fd, short events, Clock::time_point deadline, const char* what) {
  for (;;) {
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n > 0)
      return;
    if (n == 0)
      throw TransportError{fmt::format("timed out {}", what)};
    if (errno != EINTR)
      throw TransportError{fmt::format("poll: {}", std::strerror(errno))};
  }
}

std::string tsig_error_hint(std::uint16_t error, const TsigKey& key) {
  switch (error) {
  case static_cast<std::uint16_t>(TsigError::badkey):
    return fmt::format("the server does not know TSIG key {}; the key file differs from the server's",
                       key.name);
  case static_cast<std::uint16_t>(TsigError::badsig):
    return fmt::format("the server rejected the signature of key {}; the secret differs from the server's",
                       key.name);
  case static_cast<std::uint16_t>(TsigError::badtime):
    return "the clocks of this host and the DNS server differ by more than 300 seconds";
  default:
    return fmt::format("TSIG error {}", error);
  }
}

} // namespace

std::string rcode_name(std::uint16_t code) {
  static const char* names[] = {"NOERROR",  "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
                                "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE"};
  return code < std::size(names) ? names[code] : fmt::format("RCODE{}", code);
}

RegistrationPolicy parse_registration_policy(std::string_view text) {
  std::string upper = strings::to_upper(strings::trim(text));
  if (upper == "APPEND")
    return RegistrationPolicy::append;
  if (upper == "REPLACE")
    return RegistrationPolicy::replace;
  if (upper == "HIDE")
    return RegistrationPolicy::hide;
  std::string hint = strings::did_you_mean(upper, {"APPEND", "REPLACE", "HIDE"});
  fail(ErrorKind::config, "DNS_UPDATE_POLICY: unknown value \"{}\"{}", text,
       hint.empty() ? std::string("; use APPEND, REPLACE or HIDE") : hint);
}

UpdateClient::UpdateClient(ClientOptions options, TsigKey key, std::string zone)
    : m_options(std::move(options)), m_key(std::move(key)), m_zone(std::move(zone)) {}

std::vector<std::uint8_t> UpdateClient::exchange(const std::vector<std::uint8_t>& request) {
  sockaddr_storage addr{};
  socklen_t length = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&addr);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&addr);
  if (::inet_pton(AF_INET, m_options.server_ip.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(m_options.port);
    length = sizeof *v4;
  } else if (::inet_pton(AF_INET6, m_options.server_ip.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(m_options.port);
    length = sizeof *v6;
  } else {
    fail(ErrorKind::dns, "dns server address \"{}\" is not an IP address", m_options.server_ip);
  }
  Socket s(::socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (s.fd() < 0)
    throw TransportError{fmt::format("socket: {}", std::strerror(errno))};
  auto deadline = Clock::now() + m_options.connect_timeout;
  if (::connect(s.fd(), reinterpret_cast<sockaddr*>(&addr), length) != 0) {
    if (errno != EINPROGRESS)
      throw TransportError{fmt::format("connect: {}", std::strerror(errno))};
    wait_for(s.fd(), POLLOUT, deadline, "connecting");
    int error = 0;
    socklen_t size = sizeof error;
    ::getsockopt(s.fd(), SOL_SOCKET, SO_ERROR, &error, &size);
    if (error != 0)
      throw TransportError{fmt::format("connect: {}", std::strerror(error))};
  }
  int one = 1;
  ::setsockopt(s.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  // RFC 1035 §4.2.2 / RFC 7766 §8: two-byte length, then the message.
  std::vector<std::uint8_t> out(2);
  put16(out.data(), static_cast<std::uint16_t>(request.size()));
  out.insert(out.end(), request.begin(), request.end());
  deadline = Clock::now() + m_options.reply_timeout;
  std::size_t sent = 0;
  while (sent < out.size()) {
    ssize_t n = ::send(s.fd(), out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      wait_for(s.fd(), POLLOUT, deadline, "sending");
      continue;
    }
    if (n < 0)
      throw TransportError{fmt::format("send: {}", std::strerror(errno))};
    sent += static_cast<std::size_t>(n);
  }
  std::vector<std::uint8_t> in;
  std::size_t want = 2;
  while (in.size() < want) {
    std::uint8_t buffer[4096];
    ssize_t n = ::recv(s.fd(), buffer, std::min(sizeof buffer, want - in.size()), 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      wait_for(s.fd(), POLLIN, deadline, "waiting for the reply");
      continue;
    }
    if (n <= 0)
      throw TransportError{n == 0 ? std::string("connection closed before the reply")
                                  : fmt::format("recv: {}", std::strerror(errno))};
    in.insert(in.end(), buffer, buffer + n);
    if (want == 2 && in.size() == 2) {
      want = 2 + get16(in.data());
    }
  }
  return std::vector<std::uint8_t>(in.begin() + 2, in.end());
}

void UpdateClient::send(const std::string& zone, const std::function<void(UpdateBuilder&)>& build) {
  std::string where =
      fmt::format("dns update of zone {} at {}:{}", zone, m_options.server_ip, m_options.port);
  WireName zone_wire = name_from_text(zone);
  std::string last_error;
  for (int attempt = 1; attempt <= std::max(1, m_options.attempts); ++attempt) {
    if (attempt > 1)
      std::this_thread::sleep_for(m_options.retry_delay * (attempt - 1));
    std::uint16_t id = random_id();
    UpdateBuilder b(zone_wire, id);
    build(b);
    std::vector<std::uint8_t> request = b.wire();
    std::string mac = tsig_sign(request, m_key, wall_seconds(), k_tsig_fudge, id);
    std::vector<std::uint8_t> reply;
    try {
      reply = exchange(request);
    } catch (const TransportError& e) {
      last_error = e.what;
      log::debug("{}: attempt {}: {}", where, attempt, e.what);
      continue;
    }
    if (reply.size() < k_header_size || get16(reply.data()) != id || !(reply[2] & 0x80) ||
        ((reply[2] >> 3) & 0x0f) != opcode::update)
      fail(ErrorKind::dns, "{}: the reply does not answer the update", where);
    std::uint16_t code = reply[3] & 0x0f;
    TsigRecord t;
    TsigStatus status = tsig_verify_response(reply, m_key, mac, wall_seconds(), &t);
    if (code == rcode::notauth && status != TsigStatus::unsigned_message && t.error != 0)
      fail(ErrorKind::dns, "{}: {}", where, tsig_error_hint(t.error, m_key));
    if (status != TsigStatus::ok && status != TsigStatus::badtime)
      fail(ErrorKind::dns, "{}: the reply ({}) is not signed by key {}; refusing to trust it", where,
           rcode_name(code), m_key.name);
    switch (code) {
    case rcode::noerror:
      return;
    case rcode::refused:
      fail(ErrorKind::dns, "{}: refused (a record limit was reached, or the update was a replay)", where);
    case rcode::notauth:
      fail(ErrorKind::dns, "{}: the server is not authoritative for {}; check the zone name", where, zone);
    case rcode::notzone:
      fail(ErrorKind::dns, "{}: a name is outside zone {}", where, zone);
    default:
      fail(ErrorKind::dns, "{}: the server answered {}", where, rcode_name(code));
    }
  }
  fail(ErrorKind::dns, "{}: no answer after {} attempts: {}", where, std::max(1, m_options.attempts),
       last_error);
}

std::vector<std::string> UpdateClient::query_rdata(const std::string& fqdn, std::uint16_t type) {
  WireName name = name_from_text(fqdn);
  std::uint16_t id = random_id();
  std::string q;
  update_wire::put16(q, id);
  update_wire::put16(q, 0);
  update_wire::put16(q, 1);
  q.append(6, '\0');
  q += name;
  update_wire::put16(q, type);
  update_wire::put16(q, k_class_in);
  std::vector<std::uint8_t> reply;
  std::string last_error;
  for (int attempt = 1; attempt <= std::max(1, m_options.attempts) && reply.empty(); ++attempt) {
    try {
      reply = exchange(std::vector<std::uint8_t>(q.begin(), q.end()));
    } catch (const TransportError& e) {
      last_error = e.what;
    }
  }
  if (reply.empty())
    fail(ErrorKind::dns, "dns query of {} at {}:{}: {}", fqdn, m_options.server_ip, m_options.port,
         last_error);
  std::span<const std::uint8_t> w(reply);
  if (w.size() < k_header_size || get16(reply.data()) != id)
    fail(ErrorKind::dns, "dns query of {}: the reply does not answer the query", fqdn);
  std::uint16_t code = reply[3] & 0x0f;
  if (code != rcode::noerror && code != rcode::nxdomain)
    fail(ErrorKind::dns, "dns query of {}: the server answered {}", fqdn, rcode_name(code));
  std::size_t pos = k_header_size;
  for (unsigned i = 0; i < get16(reply.data() + 4); ++i) {
    update_wire::read_name(w, pos);
    pos += 4;
  }
  std::vector<std::string> out;
  for (unsigned i = 0; i < get16(reply.data() + 6); ++i) {
    update_wire::WireRecord r = update_wire::read_record(w, pos);
    if (r.rr.owner == name && r.rr.type == type)
      out.push_back(std::move(r.rr.rdata));
  }
  return out;
}

std::set<std::string> UpdateClient::query_addresses(const std::string& fqdn) {
  std::set<std::string> out;
  for (std::uint16_t type : {rr_type::a, rr_type::aaaa})
    for (const std::string& rdata : query_rdata(fqdn, type)) {
      char text[INET6_ADDRSTRLEN];
      ::inet_ntop(type == rr_type::a ? AF_INET : AF_INET6, rdata.data(), text, sizeof text);
      out.insert(text);
    }
  return out;
}

std::set<std::string> UpdateClient::query_pointers(const std::string& fqdn) {
  std::set<std::string> out;
  for (const std::string& rdata : query_rdata(fqdn, rr_type::ptr))
    out.insert(name_to_text(rdata));
  return out;
}

} // namespace dockerops::dns
