# libvmgpu.so.<major>: the C API as one shared library for hosts in any
# language (docs/embedding.md). Included from lib/CApi/CMakeLists.txt.
#
# - Exports only the C API (vmgpu_*) and the calls compiled blocks make into
#   the runtime (the patterns of tools/vm-gpu-exec/exported-symbols.list),
#   through a version script generated from that list; everything else is
#   local. HostCallScope.cpp makes those calls visible to blocks when an FFI
#   loads the library RTLD_LOCAL.
# - Holds LLVM, MLIR, lld and libstdc++ statically, so it needs only libc,
#   libm, zlib and zstd and loads where no LLVM is installed, next to any
#   other LLVM or C++ runtime in the process. It is linked from the vmgpu
#   archives this build already made plus every static LLVM/MLIR archive as
#   one group, whatever VMGPU_LINK_MLIR_DYLIB says: the linker takes only the
#   members the C API reaches, and no vmgpu source is compiled twice.

# Every vmgpu static library VmgpuCApi reaches, through the link interfaces.
function(_vmgpu_collect_archives target out)
  set(seen ${${out}})
  set(pending ${target})
  while(pending)
    list(POP_FRONT pending current)
    if(NOT TARGET ${current} OR current IN_LIST seen)
      continue()
    endif()
    get_target_property(type ${current} TYPE)
    if(NOT type STREQUAL "STATIC_LIBRARY" OR NOT current MATCHES "^Vmgpu")
      continue()
    endif()
    list(APPEND seen ${current})
    foreach(property LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
      get_target_property(deps ${current} ${property})
      if(deps)
        list(APPEND pending ${deps})
      endif()
    endforeach()
  endwhile()
  set(${out} ${seen} PARENT_SCOPE)
endfunction()

set(_vmgpu_archives "")
_vmgpu_collect_archives(VmgpuCApi _vmgpu_archives)
list(REMOVE_ITEM _vmgpu_archives VmgpuCApi)

# The static LLVM, MLIR and lld archives as one linker-script group.
file(GLOB _vmgpu_static_llvm
  "${LLVM_LIBRARY_DIR}/libMLIR*.a" "${LLVM_LIBRARY_DIR}/libLLVM*.a")
if(VMGPU_LINK_LLD_LIBRARY)
  list(APPEND _vmgpu_static_llvm
    "${LLVM_LIBRARY_DIR}/liblldELF.a" "${LLVM_LIBRARY_DIR}/liblldCommon.a")
endif()
if(NOT _vmgpu_static_llvm)
  message(FATAL_ERROR "libvmgpu.so needs LLVM's and MLIR's static archives "
    "(llvm-22-dev, libmlir-22-dev) in ${LLVM_LIBRARY_DIR}")
endif()
list(JOIN _vmgpu_static_llvm " " _vmgpu_static_llvm_group)
set(_vmgpu_static_llvm_script "${CMAKE_BINARY_DIR}/lib/vmgpu-static-llvm.ld")
file(WRITE "${_vmgpu_static_llvm_script}" "GROUP ( ${_vmgpu_static_llvm_group} )\n")

# The version script: the C API plus the host-call patterns, one node per
# SONAME.
file(READ "${PROJECT_SOURCE_DIR}/tools/vm-gpu-exec/exported-symbols.list"
  _vmgpu_host_calls)
string(REGEX MATCH "{([^}]*)}" _vmgpu_host_calls "${_vmgpu_host_calls}")
string(STRIP "${CMAKE_MATCH_1}" _vmgpu_host_calls)
set(VMGPU_SYMBOL_VERSION "VMGPU_${VMGPU_VERSION_MAJOR}")
set(_vmgpu_version_script "${CMAKE_BINARY_DIR}/lib/libvmgpu.map")
file(WRITE "${_vmgpu_version_script}"
  "${VMGPU_SYMBOL_VERSION} {\n  global:\n  vmgpu_*;\n  ${_vmgpu_host_calls}\n  local: *;\n};\n")

# Debian links Polly into libLLVM.so, so static libLLVMLTO.a (reached through
# lld) names getPollyPluginInfo(): StaticLLVMExtensions.cpp defines an empty
# one when VMGPU_STATIC_LLVM is set, which this library always needs.
add_library(vmgpu SHARED
  ${PROJECT_SOURCE_DIR}/lib/Target/Cpu/StaticLLVMExtensions.cpp)
target_compile_definitions(vmgpu PRIVATE VMGPU_STATIC_LLVM)
add_dependencies(vmgpu VmgpuCApi ${_vmgpu_archives})
set_target_properties(vmgpu PROPERTIES
  OUTPUT_NAME vmgpu
  VERSION ${PROJECT_VERSION}
  SOVERSION ${PROJECT_VERSION_MAJOR}
  LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/lib
  LINK_DEPENDS "${_vmgpu_version_script};${_vmgpu_static_llvm_script}")
set(_vmgpu_archive_files "")
foreach(archive IN LISTS _vmgpu_archives)
  list(APPEND _vmgpu_archive_files "$<TARGET_FILE:${archive}>")
  set_property(TARGET vmgpu APPEND PROPERTY LINK_DEPENDS "$<TARGET_FILE:${archive}>")
endforeach()
set_property(TARGET vmgpu APPEND PROPERTY LINK_DEPENDS "$<TARGET_FILE:VmgpuCApi>")
# File paths, not targets: the targets' link interfaces name libMLIR.so in
# the default build, which this library must not need.
target_link_libraries(vmgpu PRIVATE
  -Wl,--whole-archive "$<TARGET_FILE:VmgpuCApi>" -Wl,--no-whole-archive
  -Wl,--start-group ${_vmgpu_archive_files} "${_vmgpu_static_llvm_script}"
  -Wl,--end-group
  z zstd ${CMAKE_DL_LIBS} pthread)
target_link_options(vmgpu PRIVATE
  "LINKER:--version-script=${_vmgpu_version_script}"
  "LINKER:--gc-sections"
  -static-libstdc++ -static-libgcc)
# Every symbol resolved inside, except in sanitized builds: there the
# sanitizer runtimes live in the executable that loads the library (as
# LLVM's own HandleLLVMOptions drops -z defs for them).
if(NOT LLVM_USE_SANITIZER)
  target_link_options(vmgpu PRIVATE "LINKER:-z,defs")
endif()
vmgpu_export_gpu_host_calls(vmgpu)
# The headers a user of the library compiles against.
target_include_directories(vmgpu INTERFACE
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
