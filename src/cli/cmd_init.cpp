#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "images/builtin.hpp"
#include "images/root_image.hpp"

namespace dockerops::cli {

// `dockerops init`: the root image (pull or debootstrap), then dockerops/base
// and dockerops/dns, each only when missing or when its context changed.
int cmd_init(Context& context, const Arguments& args) {
  images::BuiltinOptions options;
  options.root_source = images::parse_root_source(args.get_or("root_from", "auto"));
  options.no_cache = args.flag("nocache");
  options.verbose = args.flag("verbose");
  images::init(context.engine(), options);
  return 0;
}

} // namespace dockerops::cli
