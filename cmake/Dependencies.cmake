# Every dependency comes from a Debian package. A missing one stops configure
# with one line naming the package to install.
find_package(PkgConfig QUIET)

function(dockerops_require found what package)
  if(NOT ${found})
    message(FATAL_ERROR "dockerops: missing ${what}: install the Debian package '${package}' (apt-get install ${package})")
  endif()
endfunction()

dockerops_require(PkgConfig_FOUND "pkg-config" pkg-config)

find_package(CURL QUIET)
dockerops_require(CURL_FOUND "libcurl" libcurl4-openssl-dev)

find_package(nlohmann_json 3.10 QUIET)
dockerops_require(nlohmann_json_FOUND "nlohmann-json" nlohmann-json3-dev)

find_package(CLI11 QUIET)
dockerops_require(CLI11_FOUND "CLI11" libcli11-dev)

find_package(fmt QUIET)
dockerops_require(fmt_FOUND "fmt" libfmt-dev)

find_package(LibArchive QUIET)
dockerops_require(LibArchive_FOUND "libarchive" libarchive-dev)

find_package(OpenSSL QUIET COMPONENTS Crypto)
dockerops_require(OPENSSL_FOUND "OpenSSL (SHA-256 of build contexts)" libssl-dev)

pkg_check_modules(LDNS QUIET IMPORTED_TARGET ldns)
dockerops_require(LDNS_FOUND "ldns" libldns-dev)

# The agent's HTTP server (ARCHITECTURE.md, "The agent").
pkg_check_modules(MHD QUIET IMPORTED_TARGET libmicrohttpd>=0.9.71)
dockerops_require(MHD_FOUND "libmicrohttpd" libmicrohttpd-dev)

find_package(Threads REQUIRED)

if(DOCKEROPS_TESTS)
  find_package(GTest QUIET)
  dockerops_require(GTest_FOUND "GoogleTest" libgtest-dev)
endif()
