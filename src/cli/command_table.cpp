#include "cli/command_spec.hpp"
#include "cli/commands.hpp"

namespace dockerops::cli {
namespace {

using K = KeyType;

// Keys shared by the commands that act on one service instance.
const KeySpec k_service{"service", K::string, "service name (a folder in services/), or \"all\""};
const KeySpec k_instance{"instance", K::string, "instance name"};
const KeySpec k_conf{"conf", K::string,
                     "run conf to use: NAME or NAME.conf (default run.conf, else default.conf)"};
const KeySpec k_group{"group", K::string, "only the run.conf entries of this group"};
const KeySpec k_json{"json", K::boolean, "print JSON for scripts"};
const KeySpec k_force{"force", K::boolean, "do not ask for confirmation"};

std::vector<CommandSpec> make_table() {
  return {
      {"help",
       "list the commands, or describe one",
       {"command"},
       {{"command", K::string, "the command to describe"}},
       false,
       cmd_help},
      {"version",
       "print the versions of dockerops and of the Docker daemon",
       {},
       {k_json},
       false,
       cmd_version},
      {"init",
       "make the root image and the built-in images (dockerops/base, dockerops/dns)",
       {},
       {{"root_from", K::string, "where the root image comes from: auto, pull or debootstrap (default auto)"},
        {"nocache", K::boolean, "build the built-in images without the cache"},
        {"verbose", K::boolean, "show the daemon's full build output"}},
       false,
       cmd_init},
      {"build",
       "build the image of a service, or of all services in dependency order",
       {"service"},
       {k_service,
        {"nocache", K::boolean, "build without the cache"},
        {"verbose", K::boolean, "show the daemon's full build output"},
        {"jobs", K::integer, "how many builds run in parallel (default 2)", 'j'},
        {"dry_run", K::boolean, "print the plan and change nothing"}},
       false,
       cmd_build},
      {"run",
       "start instances of a service, or every instance of the run conf",
       {"service", "instance"},
       {k_service,
        k_instance,
        {"instance_type", K::string, "standard, published, persistent, master or debug"},
        k_group,
        k_conf,
        {"persistent_data", K::boolean, "keep /data on the host"},
        {"persistent_opt", K::boolean, "keep /opt on the host"},
        {"persistent_log", K::boolean, "keep /var/log on the host"},
        {"publish_ports", K::boolean, "publish the image's exposed ports on the host"},
        {"linked", K::boolean, "set up the links of the run conf"},
        {"seed_command", K::string, "command to run instead of supervisord"},
        {"safemode", K::boolean, "do not run the entrypoint scripts"},
        {"interactive", K::boolean, "attach a terminal running bash; the container is removed on exit"},
        {"nethost", K::boolean, "use the host's network"},
        {"wait", K::boolean, "wait until each instance is ready (default true)"},
        {"jobs", K::integer, "how many instances start in parallel (default 4)", 'j'},
        {"remove_orphans", K::boolean, "also remove project containers no longer in the run conf"},
        {"dry_run", K::boolean, "print the plan and change nothing"}},
       false,
       cmd_run},
      {"rerun",
       "remove and run an instance again with the conf it was started with",
       {"service", "instance"},
       {k_service, k_instance, k_conf, {"dry_run", K::boolean, "print the plan and change nothing"}},
       false,
       cmd_rerun},
      {"start",
       "start stopped instances",
       {"service", "instance"},
       {k_service, k_instance, k_group},
       false,
       cmd_start},
      {"stop",
       "stop running instances (they are kept)",
       {"service", "instance"},
       {k_service, k_instance, k_group, {"timeout", K::integer, "seconds before SIGKILL (default 10)", 't'}},
       false,
       cmd_stop},
      {"clean",
       "stop and remove instances of the project (data folders are kept)",
       {"service", "instance"},
       {k_service,
        k_instance,
        k_group,
        k_conf,
        k_force,
        {"remove_orphans", K::boolean, "with clean:all, also containers no longer in the run conf"},
        {"dry_run", K::boolean, "print the plan and change nothing"}},
       false,
       cmd_clean},
      {"ps",
       "list the instances of the project",
       {"service"},
       {{"service", K::string, "only this service; SVC* matches a prefix"},
        {"all", K::boolean, "instances of every dockerops project", 'a'},
        {"onlyrunning", K::boolean, "only running instances"},
        k_json},
       false,
       cmd_ps},
      {"info",
       "show the details of the instances of a service (SVC* matches a prefix)",
       {"service", "instance"},
       {k_service, k_instance, k_json},
       false,
       cmd_info},
      {"getip",
       "print the IP address of instances",
       {"service", "instance"},
       {k_service, k_instance, k_json},
       false,
       cmd_getip},
      {"logs",
       "print the output of instances (all of the project when no service is given)",
       {"service", "instance"},
       {k_service,
        k_instance,
        {"follow", K::boolean, "keep printing new output", 'f'},
        {"tail", K::string, "only the last N lines (default all)"},
        {"timestamps", K::boolean, "prefix each line with its time", 't'}},
       false,
       cmd_logs},
      {"ssh",
       "open an ssh session to an instance, or run a command in it",
       {"service", "instance"},
       {k_service, k_instance, {"command", K::string, "command to run instead of a login shell"}},
       true,
       cmd_ssh},
      {"shell",
       "open a shell in an instance without ssh (docker exec)",
       {"service", "instance"},
       {k_service,
        k_instance,
        {"command", K::string, "command to run instead of a login shell"},
        {"user", K::string,
         "user to run as (default dockerops; root for images not built on dockerops/base)"}},
       true,
       cmd_shell},
      {"install_demo",
       "copy the demo project into a new folder",
       {"dir"},
       {{"dir", K::string, "where to create the demo (default ./dockerops-demo)"}},
       false,
       cmd_install_demo},
      {"dns",
       "manage the project's DNS: dns:sync registers running instances again",
       {"action"},
       {{"action", K::string, "sync (reconcile the zone with the running instances) or show"}},
       false,
       cmd_dns},
  };
}

} // namespace

const std::vector<CommandSpec>& command_table() {
  static const std::vector<CommandSpec> table = make_table();
  return table;
}

const CommandSpec* find_command(const std::string& name) {
  for (const auto& spec : command_table())
    if (spec.name == name)
      return &spec;
  return nullptr;
}

} // namespace dockerops::cli
