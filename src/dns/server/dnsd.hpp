#pragma once

namespace dockerops::dns {

// Entry point of dockerops-dnsd (src/dnsd_main.cpp): parses the options, loads
// the zones, starts the server and runs until SIGTERM or SIGINT. Returns the
// process exit code (0 ok, 1 failure, 2 usage).
int dnsd_main(int argc, char** argv);

} // namespace dockerops::dns
