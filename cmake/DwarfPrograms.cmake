# The C programs of tests/dwarf/ compiled to wasm32 modules WITH DWARF, once
# unoptimised (NAME.O0.wasm) and once with -O2 (NAME.O2.wasm: inlining,
# location lists), for tests/unit/dwarf_test.cpp. They use no libc
# (-nostdlib, no imports), so a test instantiates them without WASI.
# Compiled and linked in two steps: given -O at link time, clang would run
# wasm-opt, which rewrites the code without updating the DWARF.
if(NOT TARGET unit_tests OR NOT WASMSCOPE_WASI_PROGRAMS)
  return()
endif()
include(cmake/WasiPrograms.cmake)  # WASMSCOPE_WASI_CLANG and the sysroot

set(WASMSCOPE_DWARF_TESTS_DIR ${CMAKE_BINARY_DIR}/dwarf-tests)
file(GLOB dwarf_test_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/dwarf/*.c)
set(dwarf_test_outputs)
foreach(src ${dwarf_test_sources})
  get_filename_component(name ${src} NAME_WE)
  foreach(level O0 O2)
    set(out ${WASMSCOPE_DWARF_TESTS_DIR}/${name}.${level}.wasm)
    add_custom_command(
      OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${WASMSCOPE_DWARF_TESTS_DIR}
      COMMAND ${WASMSCOPE_WASI_CLANG} --target=wasm32-wasi --sysroot=${WASMSCOPE_WASI_SYSROOT}
              -g -${level} -Wall -Wextra -c -o ${out}.o ${src}
      COMMAND ${WASMSCOPE_WASI_CLANG} --target=wasm32-wasi -nostdlib -Wl,--no-entry -o ${out} ${out}.o
      DEPENDS ${src}
      COMMENT "wasm32 with DWARF ${name}.${level}.wasm"
      VERBATIM)
    list(APPEND dwarf_test_outputs ${out})
  endforeach()
endforeach()
add_custom_target(dwarf_test_programs ALL DEPENDS ${dwarf_test_outputs})
add_dependencies(unit_tests dwarf_test_programs)
target_compile_definitions(unit_tests PRIVATE
  WASMSCOPE_DWARF_TESTS_DIR="${WASMSCOPE_DWARF_TESTS_DIR}"
  WASMSCOPE_DWARF_SOURCES_DIR="${CMAKE_SOURCE_DIR}/tests/dwarf"
  WASMSCOPE_PYTHON_DEBUG_WASM="${CMAKE_SOURCE_DIR}/build/cpython/python-debug.wasm")
