# Warnings for every project target; -Werror when DOCKEROPS_WERROR is on (CI).
add_library(dockerops_warnings INTERFACE)
target_compile_options(dockerops_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough)
if(DOCKEROPS_WERROR)
  target_compile_options(dockerops_warnings INTERFACE -Werror)
endif()
# GCC 12 reports -Wmaybe-uninitialized false positives inside nlohmann-json's
# iterators at -O2 (inlined into our code, so SYSTEM headers do not hide them).
# -Wuninitialized stays on.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(dockerops_warnings INTERFACE -Wno-maybe-uninitialized)
  # GCC 12 at -O3 (Release) also reports -Wrestrict, -Wstringop-overflow and
  # -Warray-bounds inside libstdc++'s std::string code that it inlined (GCC
  # bugs 105329, 105651): not our code, and fixed in later GCC releases.
  if(CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(dockerops_warnings INTERFACE -Wno-restrict -Wno-stringop-overflow -Wno-array-bounds)
  endif()
endif()
