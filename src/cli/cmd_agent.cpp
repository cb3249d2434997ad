#include "agent/agent.hpp"
#include "apply/project_files.hpp"
#include "base/error.hpp"
#include "base/log.hpp"
#include "base/paths.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/project_loader.hpp"
#include "http/server.hpp"
#include "project/project.hpp"

#include <charconv>
#include <cstdlib>

namespace dockerops::cli {
namespace {

// "127.0.0.1", "0.0.0.0:8080", "::1", "[::1]:8080" -> address and port (0 = any free port).
void parse_listen(const std::string& text, agent::AgentOptions& options) {
  std::string address = text;
  std::string port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string::npos)
      fail(ErrorKind::usage, "listen: \"{}\" has no closing ']'", text);
    address = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':')
        fail(ErrorKind::usage, "listen: expected ADDRESS[:PORT] or [IPv6][:PORT], not \"{}\"", text);
      port = text.substr(close + 2);
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    address = text.substr(0, text.find(':'));
    port = text.substr(text.find(':') + 1);
  }
  options.listen_address = address;
  if (!port.empty()) {
    unsigned value = 0;
    auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (error != std::errc() || end != port.data() + port.size() || value > 65535)
      fail(ErrorKind::usage, "listen: port \"{}\" must be a number from 0 to 65535", port);
    options.port = static_cast<std::uint16_t>(value);
  }
}

std::chrono::milliseconds seconds_key(const Arguments& args, const std::string& key, long fallback,
                                      long min) {
  long value = args.get_int(key).value_or(fallback);
  if (value < min || value > 3600)
    fail(ErrorKind::usage, "{}: must be a number of seconds from {} to 3600", key, min);
  return std::chrono::seconds(value);
}

} // namespace

// agent[,listen=ADDR[:PORT]][,interval=S][,stats_interval=S]: the project's agent in the
// foreground (dockerops-agent(1)); Ctrl-C or SIGTERM stop it (exit 0).
int cmd_agent(Context& context, const Arguments& args) {
  agent::AgentOptions options;
  options.where = discovery(context);
  auto project = project::make_project(options.where);
  parse_listen(args.get_or("listen", "127.0.0.1"), options);
  options.reconcile_interval = seconds_key(args, "interval", 10, 1);
  options.stats_interval = seconds_key(args, "stats_interval", 5, 1);
  options.swarm = on_swarm(context); // follows Swarm instead of keeping instances alive
  if (const char* root = std::getenv("DOCKEROPS_CGROUP_ROOT"))
    options.cgroup_root = root;
  try {
    options.page_dir = paths::page_dir();
  } catch (const Error& e) {
    log::warning("the agent runs without its status page: {}", e.what());
  }
  if (!http::is_loopback(options.listen_address))
    log::warning("the API listens on {}, beyond loopback: whoever reaches it with the token controls the "
                 "project's containers (root-equivalent on this host)",
                 options.listen_address);
  agent::run_agent(context.engine(), options, [&](const std::string& url) {
    print(
        fmt::format("agent: project {}{}, API at {} (token in {}/.dockerops/agent.token); Ctrl-C stops it\n",
                    project.name, options.swarm ? " on the swarm" : "", url, project.dir));
    // The token rides in the fragment, which browsers never send: it stays out of logs and Referer.
    if (!options.page_dir.empty())
      print(fmt::format("agent: status page at {}/#token={}\n", url,
                        apply::read_agent_token(std::filesystem::path(project.dir) / ".dockerops")));
  });
  return 0;
}

} // namespace dockerops::cli
