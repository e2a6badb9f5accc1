# Compiles C programs to wasm32-wasi modules with the host clang and Debian's
# wasi-libc, whatever the preset's own compiler is (emcc on the web preset).

find_program(WASMSCOPE_WASI_CLANG NAMES clang clang-14 REQUIRED)
set(WASMSCOPE_WASI_LIBC_INCLUDE /usr/include/wasm32-wasi)
set(WASMSCOPE_WASI_LIBC_LIB /usr/lib/wasm32-wasi)
if(NOT EXISTS ${WASMSCOPE_WASI_LIBC_INCLUDE}/stdio.h)
  message(FATAL_ERROR "wasi-libc not found in ${WASMSCOPE_WASI_LIBC_INCLUDE}: run scripts/setup")
endif()

# With --sysroot=/usr, clang would fall back to /usr/include (glibc) for any
# header wasi-libc lacks. A sysroot holding only wasi-libc keeps host headers out.
set(WASMSCOPE_WASI_SYSROOT ${CMAKE_BINARY_DIR}/wasi-sysroot)
file(MAKE_DIRECTORY ${WASMSCOPE_WASI_SYSROOT}/include ${WASMSCOPE_WASI_SYSROOT}/lib)
file(CREATE_LINK ${WASMSCOPE_WASI_LIBC_INCLUDE} ${WASMSCOPE_WASI_SYSROOT}/include/wasm32-wasi SYMBOLIC)
file(CREATE_LINK ${WASMSCOPE_WASI_LIBC_LIB} ${WASMSCOPE_WASI_SYSROOT}/lib/wasm32-wasi SYMBOLIC)

# add_wasi_programs(TARGET OUTDIR SOURCES... [COMPILE_OPTIONS ...]
#                   [LINK_OPTIONS ...] [SUFFIX .S]): OUTDIR/<name>S.wasm per
# source, all built by the custom target TARGET as part of `all`. By default
# optimised (-O2) with debug info stripped (wasi-libc ships some); programs
# for the debugger pass -g and their own options. Compiled and linked in two
# steps: given -O at link time, clang runs binaryen's wasm-opt, which drops
# the name section that backtraces show and rewrites code under the DWARF.
function(add_wasi_programs target outdir)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "SUFFIX" "COMPILE_OPTIONS;LINK_OPTIONS;SOURCES")
  if(NOT arg_COMPILE_OPTIONS)
    set(arg_COMPILE_OPTIONS -O2)
  endif()
  if(NOT arg_LINK_OPTIONS)
    set(arg_LINK_OPTIONS -Wl,--strip-debug)
  endif()
  set(outputs)
  foreach(src ${arg_UNPARSED_ARGUMENTS} ${arg_SOURCES})
    get_filename_component(name ${src} NAME_WE)
    set(out ${outdir}/${name}${arg_SUFFIX}.wasm)
    add_custom_command(
      OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${outdir}
      COMMAND ${WASMSCOPE_WASI_CLANG} --target=wasm32-wasi --sysroot=${WASMSCOPE_WASI_SYSROOT}
              ${arg_COMPILE_OPTIONS} -Wall -Wextra -MD -MF ${out}.d -c -o ${out}.o ${src}
      COMMAND ${WASMSCOPE_WASI_CLANG} --target=wasm32-wasi --sysroot=${WASMSCOPE_WASI_SYSROOT}
              ${arg_LINK_OPTIONS} -o ${out} ${out}.o
      DEPENDS ${src}
      DEPFILE ${out}.d
      COMMENT "wasm32-wasi ${name}${arg_SUFFIX}.wasm"
      VERBATIM)
    list(APPEND outputs ${out})
  endforeach()
  add_custom_target(${target} ALL DEPENDS ${outputs})
endfunction()
