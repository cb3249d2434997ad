#pragma once

namespace dockerops::cli {

// The whole dockerops command line: global options, then one or more commands
// run in order. Prints errors as "dockerops: error: ..." and returns the exit
// code (0 ok, 1 failure, 2 usage, 130 interrupted).
int main(int argc, char** argv);

} // namespace dockerops::cli
