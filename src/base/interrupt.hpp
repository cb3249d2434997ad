#pragma once

namespace dockerops::interrupt {

// Installs SIGINT/SIGTERM handlers that only set a flag; long operations poll
// it (curl progress callbacks, wait loops) and stop cleanly with exit 130.
void install_handlers();

// True once Ctrl-C or SIGTERM was received.
bool requested();

// Throws an interrupted Error when requested() is true.
void check();

// For tests and for the fault-injection path: set the flag by hand.
void request();

} // namespace dockerops::interrupt
