#include "cli/main.hpp"

#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "base/log.hpp"
#include "cli/arguments.hpp"
#include "cli/command_spec.hpp"
#include "cli/context.hpp"
#include "cli/grammar.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>

namespace dockerops::cli {
namespace {

struct ParsedLine {
  GlobalOptions options;
  std::vector<Invocation> invocations;
};

// --jobs N and jobs=N: a usage error outside 1..1024 (`where` names how it was given).
void check_jobs(long jobs, const std::string& where) {
  if (jobs < 1 || jobs > 1024)
    fail(ErrorKind::usage, "{}: must be between 1 and 1024", where);
}

ParsedLine parse(int argc, char** argv) {
  CLI::App app{"dockerops"};
  app.allow_extras();
  app.set_help_flag();
  ParsedLine line;
  GlobalOptions& o = line.options;
  bool help = false;
  bool version = false;
  std::string project_dir;
  app.add_flag("-h,--help", help);
  app.add_flag("--version", version);
  app.add_option("--project-dir", project_dir);
  app.add_option("--project-name", o.project_name);
  app.add_flag("--dry-run", o.dry_run);
  app.add_flag("--json", o.json);
  app.add_flag("-q,--quiet", o.quiet);
  app.add_flag("-v,--verbose", o.verbose);
  app.add_flag("--ask", o.ask);
  app.add_option("--jobs", o.jobs);
  app.add_flag("--no-wait", o.no_wait);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    fail(ErrorKind::usage, "{}", e.what());
  }
  if (app.count("--jobs") > 0)
    check_jobs(o.jobs, fmt::format("--jobs {}", o.jobs));
  o.project_dir = project_dir.empty() ? std::filesystem::current_path() : std::filesystem::path(project_dir);
  std::vector<std::string> words = app.remaining();
  if (version)
    words.insert(words.begin(), "version");
  if (help) {
    // "dockerops run --help" describes run; "dockerops --help" lists everything.
    std::vector<std::string> help_words{"help"};
    if (!words.empty() && words[0].find(':') == std::string::npos)
      help_words.push_back(words[0]);
    words = help_words;
  }
  if (words.empty())
    words.push_back("help");
  line.invocations = parse_command_line(words, command_table());
  return line;
}

void set_log_level(const GlobalOptions& options) {
  if (const char* env = std::getenv("LOG_LEVEL"); env != nullptr && *env != '\0')
    log::set_level(log::parse_level(env));
  if (options.quiet)
    log::set_level(log::Level::warning);
  if (options.verbose > 0)
    log::set_level(log::Level::debug);
}

// Keys that a command accepts and that also exist as global options
// (`ps --json`, `run:all,dry_run=true`) act like the global option.
GlobalOptions merge(GlobalOptions options, const Arguments& args) {
  if (auto json = args.get_bool("json"))
    options.json = *json;
  if (auto dry_run = args.get_bool("dry_run"))
    options.dry_run = *dry_run;
  if (auto jobs = args.get_int("jobs")) {
    check_jobs(*jobs, fmt::format("{}: jobs={}", args.command(), *jobs));
    options.jobs = static_cast<int>(*jobs);
  }
  return options;
}

int run_all(const ParsedLine& line) {
  // Bind every invocation first: a typo in the third command fails before
  // the first one changes anything.
  std::vector<std::pair<const CommandSpec*, Arguments>> bound;
  for (const auto& invocation : line.invocations) {
    const CommandSpec* spec = find_command(invocation.command);
    bound.emplace_back(spec, Arguments::bind(invocation, *spec));
  }
  Context context(line.options);
  for (const auto& [spec, args] : bound) {
    interrupt::check();
    context.options() = merge(line.options, args);
    if (spec->handler == nullptr)
      fail(ErrorKind::internal, "{}: command has no implementation", spec->name);
    int status = spec->handler(context, args);
    if (status != 0)
      return status;
  }
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  interrupt::install_handlers();
  try {
    ParsedLine line = parse(argc, argv);
    set_log_level(line.options);
    return run_all(line);
  } catch (const Error& error) {
    print_error("dockerops", error.what());
    return exit_code_for(error.kind());
  } catch (const std::exception& error) {
    print_error("dockerops", std::string("internal error: ") + error.what());
    return k_exit_failure;
  }
}

} // namespace dockerops::cli
