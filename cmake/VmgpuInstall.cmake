# What `cmake --install` puts under the prefix, the CMake package
# (find_package(vmgpu CONFIG)), vmgpu.pc and the Debian package (cpack -G DEB).
# Included last from the top-level CMakeLists.txt. docs/embedding.md.
#
# Components: `runtime` (tools, libvmgpu.so.<major>, the Python package),
# `dev` (headers, the static C++ libraries, the CMake package, vmgpu.pc),
# `doc`. The Debian package takes them all.
include(CMakePackageConfigHelpers)

set(VMGPU_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/vmgpu")
# Debian's directory for pure modules (not under a multiarch libdir).
set(VMGPU_INSTALL_PYTHONDIR "lib/python3/dist-packages"
  CACHE STRING "Where the Python package goes, relative to the prefix")

#--- Tools and the shared C library -----------------------------------------
# Installed tools find libMLIR/libLLVM (in the default build) where the
# build found them: LLVM's RUNPATH ($ORIGIN/../lib) plus the directories of
# the shared libraries they link. vm-gpu-run links only libvmgpu.so,
# installed beside bin/ (its RUNPATH: tools/vm-gpu-run/CMakeLists.txt).
set(_vmgpu_tools vm-gpu-opt vm-gpu-run vm-gpu-compile vm-gpu-exec)
set_target_properties(${_vmgpu_tools} PROPERTIES INSTALL_RPATH_USE_LINK_PATH TRUE)
install(TARGETS ${_vmgpu_tools}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(TARGETS vmgpu EXPORT vmgpuTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime
    NAMELINK_COMPONENT dev)

#--- Public headers ---------------------------------------------------------
# The C API, and the C++ API of the engine, the compiler's entry point and
# the runtime (LLVM-free). Passes, dialects and codegen stay internal.
install(FILES include/vmgpu/vmgpu.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/vmgpu COMPONENT dev)
foreach(header
    Engine/Engine.h Engine/MemoryCache.h
    Compiler/Compiler.h Compiler/CompileDeadline.h
    Codegen/ContractionStrategy.h)
  get_filename_component(dir "${header}" DIRECTORY)
  install(FILES include/vmgpu/${header}
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/vmgpu/${dir} COMPONENT dev)
endforeach()
install(DIRECTORY include/vmgpu/runtime
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/vmgpu COMPONENT dev
  FILES_MATCHING PATTERN "*.h" PATTERN "*.def")

#--- C++ libraries ----------------------------------------------------------
# vmgpu::runtime is VmgpuRuntime (no LLVM); vmgpu::compiler is the engine
# with the compiler under it, over the system's MLIR (find_dependency in
# vmgpuConfig.cmake). Both are static, as the build makes them.
add_library(VmgpuCompilerApi INTERFACE)
set_target_properties(VmgpuCompilerApi PROPERTIES EXPORT_NAME compiler)
target_link_libraries(VmgpuCompilerApi INTERFACE VmgpuEngine)
# A host that runs blocks exports the calls they make (see
# vmgpu_export_gpu_host_calls); the list travels with the package.
target_link_options(VmgpuCompilerApi INTERFACE
  "LINKER:--undefined=mgpuLaunchKernel,--undefined=_mlir_memref_to_llvm_alloc,--undefined=vmgpuGemm,--undefined=vmgpuGemmEpilogue"
  "LINKER:--undefined=__truncsfbf2,--undefined=__truncdfbf2"
  "LINKER:--dynamic-list=$<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/tools/vm-gpu-exec>$<INSTALL_INTERFACE:$<INSTALL_PREFIX>/${VMGPU_INSTALL_CMAKEDIR}>/exported-symbols.list")
target_include_directories(VmgpuCompilerApi INTERFACE
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
add_library(VmgpuRuntimeApi INTERFACE)
set_target_properties(VmgpuRuntimeApi PROPERTIES EXPORT_NAME runtime)
target_link_libraries(VmgpuRuntimeApi INTERFACE VmgpuRuntime)

# Every vmgpu archive under the engine (_vmgpu_collect_archives is
# VmgpuSharedLibrary.cmake's).
set(_vmgpu_cxx_archives "")
_vmgpu_collect_archives(VmgpuEngine _vmgpu_cxx_archives)
list(REMOVE_ITEM _vmgpu_cxx_archives VmgpuRuntime)
install(TARGETS VmgpuRuntime VmgpuRuntimeApi EXPORT vmgpuRuntimeTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(TARGETS ${_vmgpu_cxx_archives} VmgpuCompilerApi
  EXPORT vmgpuCompilerTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(FILES tools/vm-gpu-exec/exported-symbols.list
  DESTINATION ${VMGPU_INSTALL_CMAKEDIR} COMPONENT dev)

#--- The CMake package, from the install prefix and from the build tree -----
foreach(set vmgpuTargets vmgpuRuntimeTargets vmgpuCompilerTargets)
  install(EXPORT ${set} NAMESPACE vmgpu::
    DESTINATION ${VMGPU_INSTALL_CMAKEDIR} COMPONENT dev)
  export(EXPORT ${set} NAMESPACE vmgpu::
    FILE ${PROJECT_BINARY_DIR}/${VMGPU_INSTALL_CMAKEDIR}/${set}.cmake)
endforeach()
# What the C++ components need from the machine; recorded so that the
# package finds the same MLIR the build used.
set(VMGPU_MLIR_DIR "${MLIR_DIR}")
set(VMGPU_LLD_DIR "${LLD_DIR}")
set(VMGPU_LINKS_LLD ${VMGPU_LINK_LLD_LIBRARY})
configure_package_config_file(cmake/vmgpuConfig.cmake.in
  ${PROJECT_BINARY_DIR}/${VMGPU_INSTALL_CMAKEDIR}/vmgpuConfig.cmake
  INSTALL_DESTINATION ${VMGPU_INSTALL_CMAKEDIR})
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/${VMGPU_INSTALL_CMAKEDIR}/vmgpuConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  # 0.x: every minor release may break the ABI; from 1.0 on the SONAME's
  # major number decides.
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/${VMGPU_INSTALL_CMAKEDIR}/vmgpuConfig.cmake
  ${PROJECT_BINARY_DIR}/${VMGPU_INSTALL_CMAKEDIR}/vmgpuConfigVersion.cmake
  DESTINATION ${VMGPU_INSTALL_CMAKEDIR} COMPONENT dev)

#--- pkg-config -------------------------------------------------------------
file(RELATIVE_PATH VMGPU_PC_PREFIX_FROM_PCDIR
  "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
configure_file(cmake/vmgpu.pc.in ${PROJECT_BINARY_DIR}/vmgpu.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/vmgpu.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)

#--- Python and docs --------------------------------------------------------
install(DIRECTORY python/vmgpu DESTINATION ${VMGPU_INSTALL_PYTHONDIR}
  COMPONENT runtime PATTERN "__pycache__" EXCLUDE)
install(FILES README.md docs/embedding.md docs/c-api.md docs/runtime.md
  docs/vm-gpu-run.md docs/dialect.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT doc)

#--- cpack -G DEB -----------------------------------------------------------
set(CPACK_PACKAGE_NAME vmgpu)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "vmgpu developers <vmgpu@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "Compiler and runtime for the vm dialect: GPU kernels and CPU code for a VM's JIT")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# libvmgpu.so needs only libc, zlib and zstd; the tools use the system's
# MLIR/LLVM (libMLIR.so when built that way): dpkg-shlibdeps adds what the
# binaries link. CPU blocks link the OpenMP runtime at the path the build
# found (VMGPU_OPENMP_LIBRARY), so the package needs the package that owns
# that path (on Debian with apt.llvm.org's LLVM 22: libomp-22-dev, whose
# libomp.so.5 is a link to the libomp5-N it depends on).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
find_program(VMGPU_DPKG dpkg)
mark_as_advanced(VMGPU_DPKG)
if(VMGPU_DPKG AND VMGPU_OPENMP_LIBRARY)
  execute_process(COMMAND ${VMGPU_DPKG} -S ${VMGPU_OPENMP_LIBRARY}
    OUTPUT_VARIABLE _vmgpu_openmp_owner ERROR_QUIET
    RESULT_VARIABLE _vmgpu_dpkg_status)
  if(_vmgpu_dpkg_status EQUAL 0 AND _vmgpu_openmp_owner MATCHES "^([^:, ]+)")
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "${CMAKE_MATCH_1}")
  endif()
endif()
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3-numpy")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libmlir-22-dev, nlohmann-json3-dev")
# gzip: xz on ~200 MB of LLVM takes minutes on a small machine.
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
include(CPack)
