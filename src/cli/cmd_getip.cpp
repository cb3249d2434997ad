#include "base/error.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/instances.hpp"
#include "cli/output.hpp"
#include "cli/project_loader.hpp"

#include <fmt/format.h>

namespace dockerops::cli {

// getip:SERVICE[,instance=NAME]: the address of each matching instance on the project network
// ("IP address for S I: A" as the original; just the address with one instance and no TTY).
int cmd_getip(Context& context, const Arguments& args) {
  std::string service = args.get_or("service", "");
  if (service.empty())
    fail(ErrorKind::usage, "getip: name a service (getip:SERVICE[,instance=NAME])");
  std::string project = project_name(context);
  auto all_rows = instances_of(context.engine(), project, on_swarm(context));
  auto rows = filter_instances(all_rows, service, args.get("instance"));
  if (rows.empty())
    fail_no_instance("getip", project, service, args.get("instance"), all_rows);
  if (context.options().json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows)
      out.push_back({{"service", r.service},
                     {"instance", r.instance},
                     {"state", r.container.state},
                     {"ip", r.ip},
                     {"network", project::network_name(project)}});
    print_json(out);
    return 0;
  }
  if (rows.size() == 1 && !context.stdout_is_tty()) {
    print(rows.front().ip + "\n");
    return 0;
  }
  for (const auto& r : rows)
    print(fmt::format("IP address for {} {}: {}\n", r.service, r.instance,
                      r.ip.empty() ? "(none: " + r.container.state + ")" : r.ip));
  return 0;
}

} // namespace dockerops::cli
