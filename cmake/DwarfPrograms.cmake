# The C programs of tests/dwarf/ compiled to wasm32 modules WITH DWARF, once
# unoptimised (NAME.O0.wasm) and once with -O2 (NAME.O2.wasm: inlining,
# location lists), for tests/unit/dwarf_test.cpp. They use no libc
# (-nostdlib, no imports), so a test instantiates them without WASI.
if(NOT TARGET unit_tests OR NOT WASMSCOPE_WASI_PROGRAMS)
  return()
endif()
include(cmake/WasiPrograms.cmake)  # WASMSCOPE_WASI_CLANG and the sysroot

set(WASMSCOPE_DWARF_TESTS_DIR ${CMAKE_BINARY_DIR}/dwarf-tests)
file(GLOB dwarf_test_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/dwarf/*.c)
foreach(level O0 O2)
  add_wasi_programs(dwarf_test_programs_${level} ${WASMSCOPE_DWARF_TESTS_DIR} ${dwarf_test_sources}
                    SUFFIX .${level} COMPILE_OPTIONS -g -${level} LINK_OPTIONS -nostdlib -Wl,--no-entry)
  add_dependencies(unit_tests dwarf_test_programs_${level})
endforeach()
target_compile_definitions(unit_tests PRIVATE
  WASMSCOPE_DWARF_TESTS_DIR="${WASMSCOPE_DWARF_TESTS_DIR}"
  WASMSCOPE_DWARF_SOURCES_DIR="${CMAKE_SOURCE_DIR}/tests/dwarf"
  WASMSCOPE_PYTHON_DEBUG_WASM="${CMAKE_SOURCE_DIR}/build/cpython/python-debug.wasm")
