# tests/debug/*.c: guests of the debug-session tests, compiled to wasm32-wasi
# WITH DWARF (-g -O0: every line and local where the source has it) into
# build/<preset>/debug-tests/.

if(TARGET unit_tests AND COMMAND add_wasi_programs)
  set(debug_test_dir ${CMAKE_BINARY_DIR}/debug-tests)
  file(GLOB debug_test_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/debug/*.c)
  add_wasi_programs(debug_test_guests ${debug_test_dir} ${debug_test_sources}
                    COMPILE_OPTIONS -g -O0 LINK_OPTIONS -g)
  add_dependencies(unit_tests debug_test_guests)
  target_compile_definitions(unit_tests PRIVATE WASMSCOPE_DEBUG_TESTS_DIR="${debug_test_dir}"
                                                WASMSCOPE_DEBUG_TESTS_SOURCE_DIR="${CMAKE_SOURCE_DIR}/tests/debug")
endif()
