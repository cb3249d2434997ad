#include "apply/readiness.hpp"
#include "base/error.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/instances.hpp"
#include "cli/project_loader.hpp"
#include "engine/engine.hpp"

#include <unistd.h>

namespace dockerops::cli {

// shell:SERVICE[,instance=NAME][,command=CMD] or -- ARGS: a shell in the container through the
// Engine API (no ssh): interactive with the local terminal when stdin is a TTY and no command is
// given; otherwise the command's output and exit code.
int cmd_shell(Context& context, const Arguments& args) {
  std::string project = project_name(context);
  engine::Engine& engine = context.engine();
  bool swarm = on_swarm(context);
  InstanceRow row = one_instance(engine, project, "shell", args.get("service"), args.get("instance"), swarm);
  if (row.container.state != "running")
    fail(ErrorKind::not_found,
         "shell: {}/{} is not running ({}); start it with dockerops start:{},instance={}", row.service,
         row.instance, state_text(row.container), row.service, row.instance);
  if (swarm) {
    // The Engine API execs only into containers of the engine it talks to: the manager's.
    std::string manager = engine.info().name;
    if (row.node != manager)
      fail(ErrorKind::usage,
           "shell: {}/{} runs on node {}, and the manager's Engine API ({}) reaches containers on {} only: "
           "use "
           "dockerops ssh:{},instance={} (through the overlay network), or DOCKER_HOST=<the engine of {}> "
           "docker exec -it {} bash",
           row.service, row.instance, row.node, engine.host(), manager, row.service, row.instance, row.node,
           row.container.id.substr(0, 12));
    row.container.image = engine.inspect_container(row.container.id).image_id;
  }
  auto image = engine.find_image(row.container.image);
  bool base = image && apply::is_dockerops_image(*image);

  engine::ExecSpec spec;
  spec.user = args.get_or("user", base ? "dockerops" : "root");
  std::string shell = base ? "bash" : "sh";
  std::string command = args.remote_command();
  if (command.empty()) {
    if (!isatty(STDIN_FILENO))
      fail(ErrorKind::usage, "shell: stdin is not a terminal; give a command (command=... or -- ARGS)");
    spec.cmd = {shell, "-l"};
    spec.tty = true;
    spec.env.push_back(std::string("TERM=") + (getenv("TERM") ? getenv("TERM") : "xterm"));
    return engine.exec_interactive(row.container.id, spec, engine::InteractiveIo{});
  }
  spec.cmd = {shell, base ? "-lc" : "-c", command};
  return engine.exec(row.container.id, spec, [](engine::Stream stream, std::string_view bytes) {
    int fd = stream == engine::Stream::error ? STDERR_FILENO : STDOUT_FILENO;
    while (!bytes.empty()) {
      ssize_t n = write(fd, bytes.data(), bytes.size());
      if (n <= 0)
        return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  });
}

} // namespace dockerops::cli
