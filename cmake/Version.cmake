# The version comes from project(); the git revision is added when building from a checkout.
find_package(Git QUIET)
set(DOCKEROPS_GIT_REVISION "")
if(GIT_FOUND AND EXISTS ${CMAKE_SOURCE_DIR}/.git)
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --short=12 HEAD
                  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                  OUTPUT_VARIABLE DOCKEROPS_GIT_REVISION
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
endif()
configure_file(${CMAKE_SOURCE_DIR}/src/base/build_info.hpp.in
               ${CMAKE_BINARY_DIR}/generated/base/build_info.hpp @ONLY)
