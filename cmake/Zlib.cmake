# zlib inflates zip mounts (vm/wasi/zip_archive.cpp): Debian's zlib1g-dev
# natively; on the web preset the same version built with Emscripten by
# scripts/build-zlib (into the cache).
if(EMSCRIPTEN)
  set(WASMSCOPE_ZLIB_WEB "$ENV{HOME}/.cache/wasmscope/zlib-1.2.13-web" CACHE PATH
      "zlib built for Emscripten (scripts/build-zlib)")
  find_path(ZLIB_INCLUDE_DIR zlib.h PATHS ${WASMSCOPE_ZLIB_WEB}/include NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
  find_library(ZLIB_LIBRARY NAMES libz.a PATHS ${WASMSCOPE_ZLIB_WEB}/lib NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
  if(NOT ZLIB_INCLUDE_DIR OR NOT ZLIB_LIBRARY)
    message(FATAL_ERROR "zlib for the web not found in ${WASMSCOPE_ZLIB_WEB}: run scripts/setup")
  endif()
  target_include_directories(wasmscope_vm PRIVATE ${ZLIB_INCLUDE_DIR})
  target_link_libraries(wasmscope_vm PUBLIC ${ZLIB_LIBRARY})
else()
  find_package(ZLIB REQUIRED)
  target_link_libraries(wasmscope_vm PUBLIC ZLIB::ZLIB)
endif()
