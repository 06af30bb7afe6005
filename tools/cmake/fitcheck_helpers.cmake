# Warnings per target (not global, so third-party headers included as SYSTEM stay quiet).
function(fitcheck_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
  if(FITCHECK_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# fitcheck_add_test(<name> <source>...): a Boost.Test executable test_<name>, registered with CTest.
# Tests know where the sources, the shared real data (../shared/data) and the CLI binary are.
function(fitcheck_add_test name)
  set(target test_${name})
  add_executable(${target} ${ARGN})
  target_link_libraries(${target} PRIVATE fitcheck_core Boost::unit_test_framework)
  target_compile_definitions(${target} PRIVATE
    BOOST_TEST_DYN_LINK
    BOOST_TEST_MODULE=${name}
    FITCHECK_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    FITCHECK_SHARED_DATA="${PROJECT_SOURCE_DIR}/../shared/data"
    FITCHECK_CLI="$<TARGET_FILE:fitcheck>")
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  fitcheck_warnings(${target})
  add_test(NAME ${name} COMMAND ${target} --log_level=test_suite)
  set_tests_properties(${name} PROPERTIES TIMEOUT 600
    ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0:abort_on_error=0;UBSAN_OPTIONS=print_stacktrace=1")
endfunction()
