# The example programs of assets/examples/: small C programs that fail in
# the ways a debugger must explain (traps, abort, runaway loops). Built with
# full debug info (-g, DWARF kept) and without optimisation, so backtraces,
# coredumps and the debugger show source lines and C variables. They are
# also the playground's demo programs.
#
# -fsanitize=null -fsanitize-trap=null: address 0 is valid Wasm memory, so a
# null dereference would not trap by itself; clang's null checks make it
# trap (`unreachable`) at the faulting line, as a native crash would.
# -Wl,--stack-first: the C stack (64 KiB, in linear memory) sits below the
# data, so an overflow runs past address 0 and traps at once instead of
# silently overwriting the program's globals.
# Needs the wasm32-wasi clang and sysroot of cmake/WasiPrograms.cmake.
if(NOT COMMAND add_wasi_programs)
  return()
endif()

set(WASMSCOPE_EXAMPLES_DIR ${CMAKE_BINARY_DIR}/examples)
file(GLOB WASMSCOPE_EXAMPLE_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/assets/examples/*.c)
add_wasi_programs(examples ${WASMSCOPE_EXAMPLES_DIR} ${WASMSCOPE_EXAMPLE_SOURCES}
                  COMPILE_OPTIONS -g -O0 -fsanitize=null -fsanitize-trap=null
                  LINK_OPTIONS -g -Wl,--stack-first)

# tests/unit/examples_test.cpp and coredump_test.cpp run them; wasm-objdump
# (wabt) checks that our coredumps are Wasm binaries other tools accept.
if(TARGET unit_tests)
  add_dependencies(unit_tests examples)
  find_program(WASMSCOPE_WASM_OBJDUMP wasm-objdump)
  target_compile_definitions(unit_tests PRIVATE
    WASMSCOPE_EXAMPLES_DIR="${WASMSCOPE_EXAMPLES_DIR}"
    WASMSCOPE_EXAMPLES_SOURCE_DIR="${CMAKE_SOURCE_DIR}/assets/examples"
    WASMSCOPE_WASM_OBJDUMP="$<$<BOOL:${WASMSCOPE_WASM_OBJDUMP}>:${WASMSCOPE_WASM_OBJDUMP}>")
endif()
