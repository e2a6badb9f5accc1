# Emscripten builds of the CLI. The preset compiles everything with
# -mtail-call (the interpreter's musttail dispatch needs the wasm tail-call
# feature); it must be given at link time too.
set(WASMSCOPE_WEB_LINK_OPTIONS
  -mtail-call
  -sALLOW_MEMORY_GROWTH=1
  -sEXIT_RUNTIME=1
  # Parsing and validating deeply nested input recurses on the C++ stack:
  # give it what a native thread has (emcc's default is 5 MB).
  -sTOTAL_STACK=8MB
  -sINITIAL_MEMORY=32MB)

# build/web/wasmscope.js: the CLI for node, with direct access to the host
# file system (`node --no-experimental-fetch wasmscope.js run x.wasm`).
target_link_options(wasmscope PRIVATE ${WASMSCOPE_WEB_LINK_OPTIONS} -sNODERAWFS=1)

# build/web/wasmscope_web.js: the same CLI for the browser. A page creates a
# fresh instance per run (createWasmscope()), writes the module into MEMFS and
# calls callMain(["run", "/input.wasm", ...]); EXIT_RUNTIME flushes stdout.
add_executable(wasmscope_web)
target_link_libraries(wasmscope_web PRIVATE wasmscope_cli_objects)
target_link_options(wasmscope_web PRIVATE ${WASMSCOPE_WEB_LINK_OPTIONS}
  -sENVIRONMENT=web,worker
  -sMODULARIZE=1
  -sEXPORT_NAME=createWasmscope
  -sINVOKE_RUN=0
  -sFORCE_FILESYSTEM=1
  "-sEXPORTED_RUNTIME_METHODS=['callMain','FS']")

# The browser test: serves web/ with this build, drives Debian's Chromium
# through playwright-core, runs tests/e2e/hello.c's module in the page.
find_program(WASMSCOPE_NODE node REQUIRED)
add_test(NAME e2e/web-page
  COMMAND ${WASMSCOPE_NODE} ${CMAKE_SOURCE_DIR}/tests/e2e/web-page.mjs ${CMAKE_BINARY_DIR})
set_tests_properties(e2e/web-page PROPERTIES LABELS e2e TIMEOUT 120)
