# `wasmscope debug` tests (tests/unit/debug_cli_test.cpp): the C programs of
# tests/debug_cli/ compiled with full debug info (-g, DWARF kept) and without
# optimisation, so every source line has code and every variable a home; and
# the command parser/formatter compiled into unit_tests, which test them
# without a session.
if(NOT TARGET unit_tests)
  return()
endif()
target_sources(unit_tests PRIVATE
  ${CMAKE_SOURCE_DIR}/app/cli/debug_parse.cpp
  ${CMAKE_SOURCE_DIR}/app/cli/debug_format.cpp)
target_compile_definitions(unit_tests PRIVATE
  WASMSCOPE_DEBUG_CLI_SOURCE_DIR="${CMAKE_SOURCE_DIR}/tests/debug_cli"
  WASMSCOPE_CPYTHON_DIR="${WASMSCOPE_CPYTHON_DIR}")
if(NOT COMMAND add_wasi_programs)
  return()
endif()

set(WASMSCOPE_DEBUG_CLI_DIR ${CMAKE_BINARY_DIR}/debug-cli)
file(GLOB debug_cli_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/debug_cli/*.c)
add_wasi_programs(debug_cli_programs ${WASMSCOPE_DEBUG_CLI_DIR} ${debug_cli_sources}
                  COMPILE_OPTIONS -g -O0 LINK_OPTIONS -g)
add_dependencies(unit_tests debug_cli_programs)
target_compile_definitions(unit_tests PRIVATE WASMSCOPE_DEBUG_CLI_DIR="${WASMSCOPE_DEBUG_CLI_DIR}")
