# libdwarf for vm/dwarf: Debian's libdwarf-dev natively; on the web preset the
# same version built with Emscripten by scripts/build-libdwarf (into the cache).
if(EMSCRIPTEN)
  set(WASMSCOPE_LIBDWARF_WEB "$ENV{HOME}/.cache/wasmscope/libdwarf-20210528-web" CACHE PATH
      "libdwarf built for Emscripten (scripts/build-libdwarf)")
  find_path(LIBDWARF_INCLUDE_DIR libdwarf.h PATHS ${WASMSCOPE_LIBDWARF_WEB}/include NO_DEFAULT_PATH
            NO_CMAKE_FIND_ROOT_PATH)
  find_library(LIBDWARF_LIBRARY NAMES libdwarf.a PATHS ${WASMSCOPE_LIBDWARF_WEB}/lib NO_DEFAULT_PATH
               NO_CMAKE_FIND_ROOT_PATH)
else()
  find_path(LIBDWARF_INCLUDE_DIR libdwarf.h PATH_SUFFIXES libdwarf)
  find_library(LIBDWARF_LIBRARY NAMES dwarf)
endif()
if(NOT LIBDWARF_INCLUDE_DIR OR NOT LIBDWARF_LIBRARY)
  message(FATAL_ERROR "libdwarf not found: run scripts/setup")
endif()
target_include_directories(wasmscope_vm PRIVATE ${LIBDWARF_INCLUDE_DIR})
target_link_libraries(wasmscope_vm PUBLIC ${LIBDWARF_LIBRARY})
