#pragma once

// The only place ldns is included (docs/decisions.md 28). ldns 1.8.3's <ldns/common.h>
// defines the macros bool/true/false in C++ unless <stdbool.h> came first, which
// breaks later C++20 standard headers (<optional>'s operator<=>). Include this
// header from .cpp files only, never from headers other modules see.
#include <stdbool.h>

#include <ldns/ldns.h>
