#include "apply/project_files.hpp"
#include "base/error.hpp"
#include "base/process.hpp"
#include "base/strings.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/instances.hpp"
#include "cli/project_loader.hpp"
#include "engine/engine.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

namespace dockerops::cli {
namespace {

// A short TCP connect to IP:22 (1 s): true when something listens.
bool port_open(const std::string& ip, int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = false;
  if (inet_pton(AF_INET, ip.c_str(), &address.sin_addr) == 1) {
    int rc = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    if (rc == 0)
      ok = true;
    else if (errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      if (poll(&p, 1, 1000) == 1) {
        int error = 0;
        socklen_t length = sizeof error;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
        ok = error == 0;
      }
    }
  }
  close(fd);
  return ok;
}

} // namespace

// ssh:SERVICE[,instance=NAME][,command=CMD] or -- ARGS: OpenSSH with the project key, as user
// dockerops, in a login shell (so /env.sh is sourced); the remote exit code is passed through.
int cmd_ssh(Context& context, const Arguments& args) {
  std::string project = project_name(context);
  engine::Engine& engine = context.engine();
  InstanceRow row =
      one_instance(engine, project, "ssh", args.get("service"), args.get("instance"), on_swarm(context));
  std::string who = row.service + "/" + row.instance;
  if (!engine.is_local())
    fail(ErrorKind::usage,
         "ssh: needs a local daemon (DOCKER_HOST is {}); use dockerops shell:{},instance={}", engine.host(),
         row.service, row.instance);
  if (row.container.state != "running")
    fail(ErrorKind::not_found, "ssh: {} is not running ({}); start it with dockerops start:{},instance={}",
         who, state_text(row.container), row.service, row.instance);
  if (row.ip.empty())
    fail(ErrorKind::not_found,
         "ssh: {} has no IP address (host networking?); use dockerops shell:{},instance={}", who, row.service,
         row.instance);
  // sshd starts under supervisord right after "[dockerops] ready": give it a few seconds.
  bool open = port_open(row.ip, 22);
  for (int attempt = 0; !open && attempt < 40; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    open = port_open(row.ip, 22);
  }
  if (!open)
    fail(ErrorKind::not_found,
         "ssh: sshd is not running in {} ({}:22 refuses connections); images not built on dockerops/base "
         "have no "
         "sshd: use dockerops shell:{},instance={}",
         who, row.ip, row.service, row.instance);
  auto key = apply::ssh_key_path(std::filesystem::absolute(context.options().project_dir));
  if (!std::filesystem::exists(key))
    fail(ErrorKind::not_found,
         "ssh: the project key {} is missing; dockerops rerun:{},instance={} makes a new one", key.string(),
         row.service, row.instance);
  if (!process::on_path("ssh"))
    fail(ErrorKind::io, "ssh: the ssh client is not installed (openssh-client)");

  std::string command = args.remote_command();
  std::vector<std::string> argv{"ssh",
                                "-i",
                                key.string(),
                                "-o",
                                "StrictHostKeyChecking=no",
                                "-o",
                                "UserKnownHostsFile=/dev/null",
                                "-o",
                                "LogLevel=ERROR",
                                "-o",
                                "IdentitiesOnly=yes"};
  if (command.empty() && isatty(STDIN_FILENO))
    argv.emplace_back("-t");
  argv.push_back("dockerops@" + row.ip);
  if (!command.empty()) {
    argv.emplace_back("--");
    argv.push_back("bash -lc " + strings::shell_quote(command));
  }
  return process::run(argv).status;
}

} // namespace dockerops::cli
