#include "base/error.hpp"
#include "base/strings.hpp"
#include "cli/arguments.hpp"
#include "cli/command_spec.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"

#include <fmt/format.h>

namespace dockerops::cli {
namespace {

const char* k_global_help = R"(Global options (anywhere on the line):
  --project-dir DIR    the project folder (default: the current folder)
  --project-name NAME  the project name (default: PROJECT_NAME, else the folder's name)
  --dry-run            print the plan and change nothing
  --json               print JSON for scripts (ps, getip, info, version)
  -q, --quiet          only warnings and errors
  -v, --verbose        debug output, including every Engine API call
  --ask                ask for missing values when on a terminal
  --jobs N             parallel builds or starts
  --no-wait            fail at once when another dockerops command is changing the project
  -h, --help           this help; "dockerops help CMD" describes a command
  --version            same as "dockerops version"
)";

std::string describe(const CommandSpec& spec) {
  std::string usage = spec.name;
  if (!spec.positional.empty())
    usage += "[:" + strings::join(spec.positional, ",") + "]";
  if (!spec.keys.empty())
    usage += "[,KEY=VALUE...]";
  std::string out = fmt::format("usage: dockerops {}\n\n{}.\n", usage, spec.summary);
  if (!spec.keys.empty()) {
    out += "\nKeys (KEY=VALUE after the colon, or --key VALUE):\n";
    for (const auto& key : spec.keys) {
      std::string name = key.name;
      if (key.type == KeyType::boolean)
        name += "=true|false";
      else if (key.type == KeyType::integer)
        name += "=N";
      else
        name += "=VALUE";
      if (key.short_flag != '\0')
        name += fmt::format(" (-{})", key.short_flag);
      out += fmt::format("  {:<34} {}\n", name, key.help);
    }
  }
  if (spec.passthrough)
    out += "\nArguments after \"--\" are the command to run.\n";
  return out;
}

} // namespace

int cmd_help(Context&, const Arguments& args) {
  if (auto name = args.get("command")) {
    const CommandSpec* spec = find_command(*name);
    if (spec == nullptr) {
      std::vector<std::string> names;
      for (const auto& s : command_table())
        names.push_back(s.name);
      fail(ErrorKind::usage, "help: unknown command \"{}\"{}", *name, strings::did_you_mean(*name, names));
    }
    print(describe(*spec));
    return 0;
  }
  std::string out = "usage: dockerops [OPTIONS] CMD[:ARG,...,KEY=VALUE,...] [CMD...]\n"
                    "       dockerops [OPTIONS] CMD [ARG...] [--KEY VALUE...]\n\n"
                    "dockerops builds and runs a project of Docker services (services/<name>/Dockerfile\n"
                    "plus run.conf), with a bundled dynamic DNS. Commands:\n";
  for (const auto& spec : command_table())
    out += fmt::format("  {:<14} {}\n", spec.name, spec.summary);
  out += "\n";
  out += k_global_help;
  out += "\nExamples: dockerops run:all   dockerops ssh:demo,two   dockerops build:all run:all\n"
         "See dockerops(1) and dockerops-run.conf(5).\n";
  print(out);
  return 0;
}

} // namespace dockerops::cli
