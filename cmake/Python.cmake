# CPython 3.11 on Wasmscope: the tests of tests/python/ run build/cpython/python.wasm
# (made by scripts/build-cpython, which scripts/test runs first) through the CLI.
# They are their own executable so ctest can label them `python`; they fail,
# not skip, when python.wasm is missing.
set(WASMSCOPE_CPYTHON_DIR "${CMAKE_SOURCE_DIR}/build/cpython" CACHE PATH
    "CPython for WASI (python.wasm, lib/python311.zip), made by scripts/build-cpython")

if(WASMSCOPE_UNIT_TESTS AND NOT EMSCRIPTEN)
  find_package(GTest REQUIRED)
  include(GoogleTest)
  add_executable(python_tests tests/python/python_test.cpp)
  target_include_directories(python_tests PRIVATE ${CMAKE_SOURCE_DIR}/tests/unit)
  target_link_libraries(python_tests PRIVATE GTest::gtest GTest::gtest_main)
  add_dependencies(python_tests wasmscope)
  target_compile_definitions(python_tests PRIVATE
    WASMSCOPE_CLI="$<TARGET_FILE:wasmscope>"
    WASMSCOPE_CPYTHON_DIR="${WASMSCOPE_CPYTHON_DIR}"
    WASMSCOPE_PYTHON_SCRIPTS_DIR="${CMAKE_SOURCE_DIR}/tests/python")
  gtest_discover_tests(python_tests PROPERTIES LABELS python TIMEOUT 600 DISCOVERY_TIMEOUT 60)
endif()
