#include "base/error.hpp"
#include "base/fs.hpp"
#include "base/paths.hpp"
#include "base/strings.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"

#include <fmt/format.h>

namespace dockerops::cli {

namespace {

// A demo project shipped with dockerops: where it is installed and what to try first.
struct Demo {
  const char* name;
  const char* folder;      // under the data folder
  const char* default_dir; // where install_demo puts it without DIR
  const char* quickstart;
};

constexpr Demo k_demos[] = {
    {"basic", "demo", "dockerops-demo",
     "  dockerops run:all              # builds the demo image, starts the DNS and demo one and two\n"
     "  dockerops ps                   # three running instances\n"
     "  dockerops ssh:demo,instance=two,command=\"ping -c1 demo-one\"\n"
     "  dockerops ssh:demo,instance=two   # a shell; \"exit\" to leave\n"
     "  dockerops clean:all            # stop and remove the demo (add force=true without a terminal)\n"},
    {"lb", "demos/lb", "dockerops-demo-lb",
     "  dockerops run:all              # the DNS, web w1..w3 and lb (HAProxy on 127.0.0.1:8080)\n"
     "  for i in $(seq 30); do curl -s 127.0.0.1:8080/; done | sort | uniq -c   # the spread\n"
     "  xdg-open http://127.0.0.1:8080/stats   # HAProxy's stats page\n"
     "  dockerops run:web,instance=w4  # lb's watch hook adds w4 to HAProxy, no edit, no restart\n"
     "  dockerops clean:web,instance=w1,force=true   # and removes w1\n"
     "  dockerops clean:all            # stop and remove the demo (add force=true without a terminal)\n"},
};

const Demo& find_demo(const std::string& name) {
  std::vector<std::string> names;
  for (const auto& demo : k_demos) {
    if (name == demo.name)
      return demo;
    names.emplace_back(demo.name);
  }
  fail(ErrorKind::usage, "install_demo: no demo \"{}\"{}; the demos are {}", name,
       strings::did_you_mean(name, names), strings::join(names, ", "));
}

} // namespace

// install_demo [--demo NAME] [DIR]: copies an installed demo project (basic: demo/, lb: demos/lb/)
// into a new folder (default ./dockerops-demo, ./dockerops-demo-lb) and prints its quickstart. An
// existing non-empty folder is refused.
int cmd_install_demo(Context& context, const Arguments& args) {
  namespace sfs = std::filesystem;
  const Demo& demo = find_demo(args.get_or("demo", "basic"));
  sfs::path source = paths::data_dir() / demo.folder;
  if (!sfs::is_regular_file(source / "run.conf"))
    fail(ErrorKind::not_found,
         "install_demo: the {} demo is not installed ({} has no run.conf); reinstall dockerops", demo.name,
         source.string());
  sfs::path target = args.get_or("dir", demo.default_dir);
  if (target.is_relative())
    target = sfs::absolute(context.options().project_dir) / target;
  target = target.lexically_normal();
  if (sfs::exists(target) && (!sfs::is_directory(target) || !sfs::is_empty(target)))
    fail(ErrorKind::conflict, "install_demo: {} already exists and is not empty; choose another folder",
         target.string());
  fs::make_dirs(target);
  std::error_code ec;
  sfs::copy(source, target, sfs::copy_options::recursive | sfs::copy_options::copy_symlinks, ec);
  if (ec)
    fail(ErrorKind::io, "install_demo: cannot copy {} to {}: {}", source.string(), target.string(),
         ec.message());
  for (const auto& entry : sfs::recursive_directory_iterator(target))
    fs::chown_to_invoking_user(entry.path());
  fs::chown_to_invoking_user(target);
  print(fmt::format("Demo installed in {}.\nQuickstart:\n  cd {}\n{}", target.string(), target.string(),
                    demo.quickstart));
  return 0;
}

} // namespace dockerops::cli
