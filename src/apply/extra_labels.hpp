#pragma once

#include "engine/types.hpp"

namespace dockerops::apply {

// Labels added to every container and network apply creates, from the hidden variable
// DOCKEROPS_EXTRA_LABELS="k=v,k2=v2" (tests set dockerops.test=1 so a sweep can find leftovers).
// A malformed item is a usage Error naming it.
engine::Labels extra_labels();

// Parses the DOCKEROPS_EXTRA_LABELS syntax (pure, for tests).
engine::Labels parse_extra_labels(const std::string& text);

} // namespace dockerops::apply
