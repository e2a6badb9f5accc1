# One ctest per .wast file of the spec suite, run by `wasmscope spec FILE`
# (which exits non-zero when any assertion in the file fails). On the web
# preset CMAKE_CROSSCOMPILING_EMULATOR runs the CLI under node.
set(WASMSCOPE_SPEC_GROUPS core proposals/tail-call proposals/extended-const)

if(NOT EXISTS "${WASMSCOPE_SPEC_DIR}/core")
  message(WARNING "No spec test suite at WASMSCOPE_SPEC_DIR=${WASMSCOPE_SPEC_DIR}: spec tests not registered")
  return()
endif()

foreach(group ${WASMSCOPE_SPEC_GROUPS})
  file(GLOB wast_files CONFIGURE_DEPENDS "${WASMSCOPE_SPEC_DIR}/${group}/*.wast")
  foreach(wast ${wast_files})
    get_filename_component(name ${wast} NAME_WE)
    add_test(NAME spec/${group}/${name} COMMAND wasmscope spec ${wast})
    set_tests_properties(spec/${group}/${name} PROPERTIES LABELS spec TIMEOUT 600)
  endforeach()
endforeach()
