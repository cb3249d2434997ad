#pragma once

namespace dockerops::cli {

class Context;
class Arguments;

// One handler per command, each in its own cmd_<name>.cpp file. A handler
// returns the process exit code (0 ok) or throws dockerops::Error.
int cmd_help(Context&, const Arguments&);
int cmd_version(Context&, const Arguments&);
int cmd_init(Context&, const Arguments&);
int cmd_build(Context&, const Arguments&);
int cmd_run(Context&, const Arguments&);
int cmd_rerun(Context&, const Arguments&);
int cmd_start(Context&, const Arguments&);
int cmd_stop(Context&, const Arguments&);
int cmd_restart(Context&, const Arguments&);
int cmd_clean(Context&, const Arguments&);
int cmd_scale(Context&, const Arguments&);
int cmd_ps(Context&, const Arguments&);
int cmd_info(Context&, const Arguments&);
int cmd_getip(Context&, const Arguments&);
int cmd_logs(Context&, const Arguments&);
int cmd_ssh(Context&, const Arguments&);
int cmd_shell(Context&, const Arguments&);
int cmd_install_demo(Context&, const Arguments&);
int cmd_dns(Context&, const Arguments&);
int cmd_watch(Context&, const Arguments&);
int cmd_events(Context&, const Arguments&);
int cmd_agent(Context&, const Arguments&);
int cmd_complete(Context&, const Arguments&);

} // namespace dockerops::cli
