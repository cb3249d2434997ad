#include "base/error.hpp"
#include "base/fs.hpp"
#include "base/paths.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"

#include <fmt/format.h>

namespace dockerops::cli {

// install_demo [DIR]: copies the installed demo/ project into a new folder (default
// ./dockerops-demo) and prints the quickstart. An existing non-empty folder is refused.
int cmd_install_demo(Context& context, const Arguments& args) {
  namespace sfs = std::filesystem;
  sfs::path source = paths::data_dir() / "demo";
  if (!sfs::is_regular_file(source / "run.conf"))
    fail(ErrorKind::not_found,
         "install_demo: the demo is not installed ({} has no run.conf); reinstall dockerops",
         source.string());
  sfs::path target = args.get_or("dir", "dockerops-demo");
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
  print(fmt::format(
      "Demo installed in {}.\n"
      "Quickstart:\n"
      "  cd {}\n"
      "  dockerops run:all              # builds the demo image, starts the DNS and demo one and two\n"
      "  dockerops ps                   # three running instances\n"
      "  dockerops ssh:demo,instance=two,command=\"ping -c1 demo-one\"\n"
      "  dockerops ssh:demo,instance=two   # a shell; \"exit\" to leave\n"
      "  dockerops clean:all            # stop and remove the demo (add force=true without a terminal)\n",
      target.string(), target.string()));
  return 0;
}

} // namespace dockerops::cli
