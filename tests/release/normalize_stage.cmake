# CPack pre-build script (plugin/packaging.cmake): makes the release archive
# reproducible. Every staged file gets the last commit's time (or
# SOURCE_DATE_EPOCH when set) and a fixed mode, and SOURCE_DATE_EPOCH in
# CPack's environment makes it omit the timestamp from the gzip header.
if(NOT DEFINED ENV{SOURCE_DATE_EPOCH})
  execute_process(COMMAND git log -1 --format=%ct
                  WORKING_DIRECTORY "${CPACK_SOURCE_DATE_EPOCH_DIR}"
                  OUTPUT_VARIABLE _epoch OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(NOT _epoch MATCHES "^[0-9]+$")
    set(_epoch 0)
  endif()
  set(ENV{SOURCE_DATE_EPOCH} "${_epoch}")
endif()
set(_stage "${CPACK_TEMPORARY_INSTALL_DIRECTORY}")
if(NOT IS_DIRECTORY "${_stage}")
  message(FATAL_ERROR "normalize_stage: no staging directory (CPACK_TEMPORARY_INSTALL_DIRECTORY=${_stage})")
endif()
file(GLOB_RECURSE _files LIST_DIRECTORIES true "${_stage}/*")
foreach(_f IN LISTS _files)
  if(IS_DIRECTORY "${_f}" OR _f MATCHES "/kubectl[-_][^/]*$")
    file(CHMOD "${_f}" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                                   WORLD_READ WORLD_EXECUTE)
  else()
    file(CHMOD "${_f}" PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
  endif()
endforeach()
execute_process(COMMAND touch -h -d "@$ENV{SOURCE_DATE_EPOCH}" ${_files} "${_stage}" RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "normalize_stage: touch failed in ${_stage}")
endif()
