# tests/debug/*.c: guests of the debug-session tests, compiled to wasm32-wasi
# WITH DWARF (-g -O0: every line and local where the source has it) into
# build/<preset>/debug-tests/. Uses the sysroot set up by WasiPrograms.cmake.
# Compiled and linked in two steps: given -O at link time, clang runs
# binaryen's wasm-opt, which drops the line tables.
function(add_debug_programs target outdir)
  set(outputs)
  foreach(src ${ARGN})
    get_filename_component(name ${src} NAME_WE)
    set(out ${outdir}/${name}.wasm)
    add_custom_command(
      OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${outdir}
      COMMAND ${WASMSCOPE_WASI_CLANG} --target=wasm32-wasi --sysroot=${WASMSCOPE_WASI_SYSROOT}
              -g -O0 -Wall -Wextra -c -o ${out}.o ${src}
      COMMAND ${WASMSCOPE_WASI_CLANG} --target=wasm32-wasi --sysroot=${WASMSCOPE_WASI_SYSROOT}
              -g -o ${out} ${out}.o
      DEPENDS ${src}
      COMMENT "wasm32-wasi -g ${name}.wasm"
      VERBATIM)
    list(APPEND outputs ${out})
  endforeach()
  add_custom_target(${target} ALL DEPENDS ${outputs})
endfunction()

if(TARGET unit_tests AND COMMAND add_wasi_programs)
  set(debug_test_dir ${CMAKE_BINARY_DIR}/debug-tests)
  file(GLOB debug_test_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/debug/*.c)
  add_debug_programs(debug_test_guests ${debug_test_dir} ${debug_test_sources})
  add_dependencies(unit_tests debug_test_guests)
  target_compile_definitions(unit_tests PRIVATE WASMSCOPE_DEBUG_TESTS_DIR="${debug_test_dir}"
                                                WASMSCOPE_DEBUG_TESTS_SOURCE_DIR="${CMAKE_SOURCE_DIR}/tests/debug")
endif()
