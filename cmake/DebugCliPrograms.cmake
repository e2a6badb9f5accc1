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
set(debug_cli_outputs)
foreach(src ${debug_cli_sources})
  get_filename_component(name ${src} NAME_WE)
  set(out ${WASMSCOPE_DEBUG_CLI_DIR}/${name}.wasm)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${WASMSCOPE_DEBUG_CLI_DIR}
    COMMAND ${WASMSCOPE_WASI_CLANG} --target=wasm32-wasi --sysroot=${WASMSCOPE_WASI_SYSROOT}
            -g -O0 -Wall -Wextra -MD -MF ${out}.d -o ${out} ${src}
    DEPENDS ${src}
    DEPFILE ${out}.d
    COMMENT "wasm32-wasi debug test ${name}.wasm"
    VERBATIM)
  list(APPEND debug_cli_outputs ${out})
endforeach()
add_custom_target(debug_cli_programs ALL DEPENDS ${debug_cli_outputs})
add_dependencies(unit_tests debug_cli_programs)
target_compile_definitions(unit_tests PRIVATE WASMSCOPE_DEBUG_CLI_DIR="${WASMSCOPE_DEBUG_CLI_DIR}")
