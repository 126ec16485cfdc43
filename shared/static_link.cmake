# Fully static release binaries (KT_STATIC=ON; run by .ci/build-static.sh).
#
# Included by the top-level CMakeLists.txt before its find_package calls, so
# every dependency found there resolves to a static archive of Debian 12:
#   - OpenSSL: FindOpenSSL's OPENSSL_USE_STATIC_LIBS (libssl.a, libcrypto.a);
#   - yaml-cpp: Debian's config package imports only libyaml-cpp.so, so the
#     `yaml-cpp` target is defined here first from libyaml-cpp.a (the config
#     file then keeps it);
#   - cpp-httplib: Debian ships a split header plus a shared library, so
#     PkgConfig::HTTPLIB is defined here first from the full single header of
#     Debian's source package (.ci/fetch-httplib-source.sh, or
#     -DKT_HTTPLIB_HEADER=/path/httplib.h) with static zlib and brotli;
#   - glibc, libstdc++ and libgcc: -static-pie.
# shared/static_runtime/ is linked into every binary: it keeps host name
# lookup inside the static glibc and finds other distributions' CA bundles.
# docs/portability.md says what was verified.
if(KT_SANITIZE)
  message(FATAL_ERROR "KT_STATIC: the sanitizers need shared runtimes; configure without -DKT_SANITIZE=ON")
endif()

set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
set(OPENSSL_USE_STATIC_LIBS TRUE)
add_link_options(-static-pie)

# kt_static_find_archive(VAR NAME): the full path of libNAME.a, or a fatal error.
function(kt_static_find_archive var name)
  find_library(${var} NAMES lib${name}.a NO_CACHE)
  if(NOT ${var})
    message(FATAL_ERROR "KT_STATIC: lib${name}.a not found; install its Debian -dev package "
                        "(tests/install-deps.sh installs them all)")
  endif()
  set(${var} ${${var}} PARENT_SCOPE)
endfunction()

# cpp-httplib: the full header, compiled into each user as upstream intends.
set(KT_HTTPLIB_HEADER "" CACHE FILEPATH "cpp-httplib's full single header for KT_STATIC builds (fetched when empty)")
if(NOT KT_HTTPLIB_HEADER)
  execute_process(COMMAND bash ${CMAKE_SOURCE_DIR}/.ci/fetch-httplib-source.sh
                  OUTPUT_VARIABLE _kt_httplib_header OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE _kt_fetch_result)
  if(NOT _kt_fetch_result EQUAL 0 OR NOT EXISTS "${_kt_httplib_header}")
    message(FATAL_ERROR "KT_STATIC: could not fetch cpp-httplib's source package "
                        "(.ci/fetch-httplib-source.sh failed); pass -DKT_HTTPLIB_HEADER=/path/httplib.h")
  endif()
  set(KT_HTTPLIB_HEADER "${_kt_httplib_header}" CACHE FILEPATH "" FORCE)
endif()
file(STRINGS "${KT_HTTPLIB_HEADER}" _kt_httplib_impl REGEX "^inline .*ClientImpl::send\\(" LIMIT_COUNT 1)
if(NOT _kt_httplib_impl)
  message(FATAL_ERROR "KT_STATIC: ${KT_HTTPLIB_HEADER} is not cpp-httplib's full single header")
endif()
get_filename_component(_kt_httplib_dir "${KT_HTTPLIB_HEADER}" DIRECTORY)

find_package(OpenSSL 3 REQUIRED)
find_package(Threads REQUIRED)
kt_static_find_archive(KT_ZLIB_ARCHIVE z)
kt_static_find_archive(KT_BROTLIDEC_ARCHIVE brotlidec)
kt_static_find_archive(KT_BROTLIENC_ARCHIVE brotlienc)
kt_static_find_archive(KT_BROTLICOMMON_ARCHIVE brotlicommon)
kt_static_find_archive(KT_YAML_CPP_ARCHIVE yaml-cpp)

add_library(PkgConfig::HTTPLIB INTERFACE IMPORTED)
set_target_properties(PkgConfig::HTTPLIB PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${_kt_httplib_dir}"
  INTERFACE_COMPILE_DEFINITIONS "CPPHTTPLIB_OPENSSL_SUPPORT;CPPHTTPLIB_ZLIB_SUPPORT;CPPHTTPLIB_BROTLI_SUPPORT"
  INTERFACE_LINK_LIBRARIES
    "OpenSSL::SSL;OpenSSL::Crypto;${KT_BROTLIDEC_ARCHIVE};${KT_BROTLIENC_ARCHIVE};${KT_BROTLICOMMON_ARCHIVE};${KT_ZLIB_ARCHIVE};Threads::Threads")

add_library(yaml-cpp STATIC IMPORTED)
set_target_properties(yaml-cpp PROPERTIES IMPORTED_LOCATION "${KT_YAML_CPP_ARCHIVE}")

add_library(kt_static_runtime STATIC ${CMAKE_SOURCE_DIR}/shared/static_runtime/static_runtime.cc)
target_link_libraries(kt_static_runtime PRIVATE OpenSSL::Crypto)
# Every target defined from here on links the runtime; the anchor makes the
# linker keep its constructor.
link_libraries(kt_static_runtime)
add_link_options(LINKER:--undefined=kt_static_runtime_anchor)
