# Release archive of the plugin (docs/release.md):
#   cmake --build BUILD --target plugin-archive
# writes to BUILD/release/
#   kubectl-kargo_token_v<version>_<os>_<arch>.tar.gz   the two plugin executables, LICENSE, README.md
#   kubectl-kargo_token_v<version>_<os>_<arch>.tar.gz.sha256
#   kargo-token.yaml   the krew manifest rendered from .krew.yaml for this archive
# and then checks them (tests/release/check_release.py): the manifest obeys
# krew's rules and agrees with manifests/krew/kargo-token.yaml on every field
# but sha256, the sha256 is the archive's, the archive installs the way krew
# installs it and its binaries run and report this version, and (KT_STATIC)
# no executable needs a dynamic loader or library. Any drift fails the build.
#
# The archive is reproducible: CPack stages the files, the pre-build script
# gives them the last commit's time and fixed modes, and SOURCE_DATE_EPOCH
# makes CPack leave the timestamp out of the gzip header.

set(KT_RELEASE_VERSION "v${PROJECT_VERSION}")
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(KT_RELEASE_ARCH amd64)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$")
  set(KT_RELEASE_ARCH arm64)
else()
  set(KT_RELEASE_ARCH ${CMAKE_SYSTEM_PROCESSOR})
endif()
string(TOLOWER "${CMAKE_SYSTEM_NAME}" KT_RELEASE_OS)
set(KT_RELEASE_NAME "kubectl-kargo_token_${KT_RELEASE_VERSION}_${KT_RELEASE_OS}_${KT_RELEASE_ARCH}")
set(KT_RELEASE_DIR "${CMAKE_BINARY_DIR}/release")

# Only CPack installs the "plugin" component: the archive is flat (what krew's
# `files` expect), which is no layout for `cmake --install` into a prefix.
install(TARGETS kubectl-kargo_token kubectl_complete-kargo_token
        RUNTIME DESTINATION . COMPONENT plugin EXCLUDE_FROM_ALL)
install(FILES ${CMAKE_SOURCE_DIR}/LICENSE ${CMAKE_SOURCE_DIR}/README.md
        DESTINATION . COMPONENT plugin EXCLUDE_FROM_ALL)

set(CPACK_GENERATOR TGZ)
set(CPACK_PACKAGE_NAME kubectl-kargo_token)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_FILE_NAME ${KT_RELEASE_NAME})
set(CPACK_PACKAGE_DIRECTORY ${KT_RELEASE_DIR})
set(CPACK_INCLUDE_TOPLEVEL_DIRECTORY OFF)
set(CPACK_COMPONENTS_ALL plugin)
set(CPACK_ARCHIVE_COMPONENT_INSTALL ON)  # what makes CPack install the excluded component
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_PACKAGE_CHECKSUM SHA256)
set(CPACK_STRIP_FILES ON)
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_SOURCE_DIR}/tests/release/normalize_stage.cmake)
set(CPACK_SOURCE_DATE_EPOCH_DIR ${CMAKE_SOURCE_DIR})  # read by normalize_stage.cmake
# CPack builds the preinstall target first; without this that is the whole
# project (every test), not only the two executables the archive needs.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
include(CPack)

find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(_check_args)
if(KT_STATIC)
  list(APPEND _check_args --static)
endif()
add_custom_target(plugin-archive
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${KT_RELEASE_DIR}
  COMMAND ${CMAKE_CPACK_COMMAND} --config ${CMAKE_BINARY_DIR}/CPackConfig.cmake
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/release/render_krew_manifest.py
          --template ${CMAKE_SOURCE_DIR}/.krew.yaml --tag ${KT_RELEASE_VERSION}
          --archives ${KT_RELEASE_DIR} --only-present --output ${KT_RELEASE_DIR}/kargo-token.yaml
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/release/check_release.py
          --archive ${KT_RELEASE_DIR}/${KT_RELEASE_NAME}.tar.gz
          --rendered ${KT_RELEASE_DIR}/kargo-token.yaml
          --committed ${CMAKE_SOURCE_DIR}/manifests/krew/kargo-token.yaml
          --version ${PROJECT_VERSION} ${_check_args}
  DEPENDS kubectl-kargo_token kubectl_complete-kargo_token
  WORKING_DIRECTORY ${CMAKE_BINARY_DIR}
  COMMENT "Packing and checking ${KT_RELEASE_NAME}.tar.gz"
  VERBATIM)
