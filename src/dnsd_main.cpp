#include "dns/server/dnsd.hpp"

int main(int argc, char** argv) {
  return dockerops::dns::dnsd_main(argc, argv);
}
