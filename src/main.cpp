#include "cli/main.hpp"

int main(int argc, char** argv) {
  return dockerops::cli::main(argc, argv);
}
