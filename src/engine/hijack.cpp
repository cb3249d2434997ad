#include "engine/hijack.hpp"

#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "base/log.hpp"
#include "engine/http_error.hpp"
#include "engine/log_frames.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>

namespace dockerops::engine {
namespace {

volatile std::sig_atomic_t g_window_changed = 0;
extern "C" void on_winch(int) {
  g_window_changed = 1;
}

int connect_socket(const HostAddress& address) {
  if (address.is_unix) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
      fail(ErrorKind::io, "socket: {}", std::strerror(errno));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (address.socket_path.size() >= sizeof(addr.sun_path))
      fail(ErrorKind::usage, "DOCKER_HOST={}: socket path too long", address.original);
    std::memcpy(addr.sun_path, address.socket_path.c_str(), address.socket_path.size() + 1);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      int error = errno;
      close(fd);
      throw unreachable_error(address.original, std::strerror(error));
    }
    return fd;
  }
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  std::string port = std::to_string(address.port);
  if (int rc = getaddrinfo(address.host.c_str(), port.c_str(), &hints, &found); rc != 0)
    throw unreachable_error(address.original, gai_strerror(rc));
  int error = ECONNREFUSED;
  for (addrinfo* it = found; it != nullptr; it = it->ai_next) {
    int fd = socket(it->ai_family, it->ai_socktype | SOCK_CLOEXEC, it->ai_protocol);
    if (fd < 0)
      continue;
    if (connect(fd, it->ai_addr, it->ai_addrlen) == 0) {
      freeaddrinfo(found);
      return fd;
    }
    error = errno;
    close(fd);
  }
  freeaddrinfo(found);
  throw unreachable_error(address.original, std::strerror(error));
}

void write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && errno == ENOTSOCK)
      n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      fail(ErrorKind::io, "write: {}", std::strerror(errno));
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

// Waits until `fd` has data, a hang-up or an error (then recv says which); throws make_error() once
// `deadline` passed, the interrupted Error on Ctrl-C.
template <typename MakeError>
void wait_readable(int fd, std::chrono::steady_clock::time_point deadline, MakeError make_error) {
  for (;;) {
    interrupt::check();
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      throw make_error();
    pollfd ready{fd, POLLIN, 0};
    int n = poll(&ready, 1, static_cast<int>(std::min<long long>(left.count(), 250)));
    if (n > 0)
      return;
    if (n < 0 && errno != EINTR)
      fail(ErrorKind::io, "poll: {}", std::strerror(errno));
  }
}

// Puts a terminal in raw mode for the lifetime of the object.
class RawTerminal {
public:
  explicit RawTerminal(int fd) : m_fd(fd) {
    if (fd < 0 || isatty(fd) != 1 || tcgetattr(fd, &m_saved) != 0)
      return;
    termios raw = m_saved;
    cfmakeraw(&raw);
    m_active = tcsetattr(fd, TCSANOW, &raw) == 0;
  }
  ~RawTerminal() {
    if (m_active)
      tcsetattr(m_fd, TCSANOW, &m_saved);
  }
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

private:
  int m_fd;
  termios m_saved{};
  bool m_active = false;
};

// Installs the SIGWINCH handler for the lifetime of the object.
class WinchHandler {
public:
  WinchHandler() {
    struct sigaction action {};
    action.sa_handler = on_winch;
    sigemptyset(&action.sa_mask);
    sigaction(SIGWINCH, &action, &m_saved);
  }
  ~WinchHandler() { sigaction(SIGWINCH, &m_saved, nullptr); }
  WinchHandler(const WinchHandler&) = delete;
  WinchHandler& operator=(const WinchHandler&) = delete;

private:
  struct sigaction m_saved {};
};

void send_window_size(int fd, const std::function<void(int, int)>& resize) {
  winsize size{};
  if (resize && fd >= 0 && ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_row > 0)
    resize(size.ws_row, size.ws_col);
}

} // namespace

HijackedStream::HijackedStream(const HostAddress& address, std::chrono::seconds timeout,
                               const std::string& method, const std::string& path,
                               const std::string& json_body) {
  m_fd = connect_socket(address);
  std::string host = address.is_unix ? "localhost" : address.host;
  std::string head = fmt::format("{} {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n"
                                 "Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: {}\r\n\r\n",
                                 method, path, host, json_body.size());
  try {
    write_all(m_fd, head.data(), head.size());
    write_all(m_fd, json_body.data(), json_body.size());
    std::string reply;
    std::size_t end = std::string::npos;
    char buffer[4096];
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while ((end = reply.find("\r\n\r\n")) == std::string::npos) {
      wait_readable(m_fd, deadline,
                    [&] { return timeout_error(address.original, method, path, timeout.count()); });
      ssize_t n = ::recv(m_fd, buffer, sizeof(buffer), 0);
      if (n < 0 && errno == EINTR) {
        interrupt::check();
        continue;
      }
      if (n <= 0)
        fail(ErrorKind::engine, "{} {}: the Docker daemon closed the connection", method, path);
      reply.append(buffer, static_cast<std::size_t>(n));
    }
    // "HTTP/1.1 101 UPGRADED"; a 200 also carries the stream (daemons that do not upgrade).
    long status = 0;
    if (auto space = reply.find(' '); space != std::string::npos)
      status = std::strtol(reply.c_str() + space + 1, nullptr, 10);
    log::debug("engine: {} {} -> {} (hijacked)", method, path, status);
    if (status >= 400) {
      // The error body follows the head; read what has arrived (small, sent at once).
      std::string body = reply.substr(end + 4);
      ssize_t n;
      while (body.find('}') == std::string::npos && (n = ::recv(m_fd, buffer, sizeof(buffer), 0)) > 0)
        body.append(buffer, static_cast<std::size_t>(n));
      if (auto brace = body.find('{'); brace != std::string::npos)
        body.erase(0, brace);
      throw http_error(status, body, method, path);
    }
    if (status != 101 && status != 200)
      fail(ErrorKind::engine, "{} {}: unexpected reply from the Docker daemon: {}", method, path,
           reply.substr(0, reply.find('\r')));
    m_initial = reply.substr(end + 4);
  } catch (...) {
    close(m_fd);
    m_fd = -1;
    throw;
  }
}

HijackedStream::~HijackedStream() {
  if (m_fd >= 0)
    close(m_fd);
}

void pump_stream(HijackedStream& stream, const InteractiveIo& io, bool tty,
                 const std::function<void(int height, int width)>& resize) {
  std::optional<RawTerminal> raw;
  std::optional<WinchHandler> winch;
  if (tty) {
    raw.emplace(io.input_fd);
    winch.emplace();
    g_window_changed = 0;
    send_window_size(io.output_fd >= 0 && isatty(io.output_fd) ? io.output_fd : io.input_fd, resize);
  }
  LogFrameDemuxer demuxer(tty, [&](Stream which, std::string_view bytes) {
    int fd = which == Stream::error ? io.error_fd : io.output_fd;
    if (fd >= 0)
      write_all(fd, bytes.data(), bytes.size());
    return true;
  });
  demuxer.feed(stream.take_initial());

  bool input_open = io.input_fd >= 0;
  if (!input_open)
    shutdown(stream.fd(), SHUT_WR);
  char buffer[16384];
  for (;;) {
    if (g_window_changed) {
      g_window_changed = 0;
      send_window_size(io.output_fd >= 0 && isatty(io.output_fd) ? io.output_fd : io.input_fd, resize);
    }
    if (!tty)
      interrupt::check();
    pollfd fds[2] = {{stream.fd(), POLLIN, 0}, {input_open ? io.input_fd : -1, POLLIN, 0}};
    int ready = poll(fds, 2, 250);
    if (ready < 0) {
      if (errno == EINTR)
        continue;
      fail(ErrorKind::io, "poll: {}", std::strerror(errno));
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = ::recv(stream.fd(), buffer, sizeof(buffer), 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break; // the process exited and the daemon closed the stream
      demuxer.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
    }
    if (input_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t n = ::read(io.input_fd, buffer, sizeof(buffer));
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0) {
        input_open = false;
        shutdown(stream.fd(), SHUT_WR); // EOF on stdin reaches the process
      } else {
        write_all(stream.fd(), buffer, static_cast<std::size_t>(n));
      }
    }
  }
}

} // namespace dockerops::engine
