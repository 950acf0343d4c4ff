# The ROCm directory the AMD target compiles with, set up inside the build.
#
# MLIR's gpu-module-to-binary looks for `<rocm>/llvm/bin/ld.lld` and for the
# device libraries in `<rocm>/amdgcn/bitcode` (ocml, ockl, hip, opencl and
# oclc_isa_version_<chip>.bc). Debian ships the libraries elsewhere and no
# ROCm tree, so this builds one in ${PROJECT_BINARY_DIR}/rocm from links:
# ld.lld from LLVM 22, every bitcode file from VMGPU_ROCM_BITCODE_DIR, and
# the oclc_isa_version files that Debian's rocm-device-libs 5.2.3 lacks
# (gfx942, gfx11, gfx12), generated with llvm-as (each file defines one
# constant, __oclc_ISA_version).
#
# Sets VMGPU_ROCM_PATH (empty when the libraries or ld.lld are missing) and
# the option VMGPU_ENABLE_ROCM.

find_path(VMGPU_ROCM_BITCODE_DIR ocml.bc
  HINTS /usr/lib/x86_64-linux-gnu/amdgcn/bitcode ENV ROCM_PATH
  PATH_SUFFIXES amdgcn/bitcode
  DOC "ROCm device libraries (ocml.bc, ockl.bc, oclc_*.bc)")
find_program(VMGPU_ROCM_LD_LLD ld.lld HINTS ${LLVM_TOOLS_BINARY_DIR}
  DOC "ld.lld that links AMDGPU code objects (HSACO)")
find_program(VMGPU_LLVM_AS llvm-as HINTS ${LLVM_TOOLS_BINARY_DIR})

set(VMGPU_ROCM_PATH "")
if(VMGPU_ROCM_BITCODE_DIR AND VMGPU_ROCM_LD_LLD AND VMGPU_LLVM_AS)
  set(_rocm "${PROJECT_BINARY_DIR}/rocm")
  file(MAKE_DIRECTORY "${_rocm}/llvm/bin" "${_rocm}/amdgcn/bitcode")
  file(CREATE_LINK "${VMGPU_ROCM_LD_LLD}" "${_rocm}/llvm/bin/ld.lld" SYMBOLIC)
  file(GLOB _bitcode "${VMGPU_ROCM_BITCODE_DIR}/*.bc")
  foreach(_file IN LISTS _bitcode)
    get_filename_component(_name "${_file}" NAME)
    file(CREATE_LINK "${_file}" "${_rocm}/amdgcn/bitcode/${_name}" SYMBOLIC)
  endforeach()
  # <major><minor><stepping> as in the chip's name; the value is
  # major * 1000 + minor * 100 + stepping (gfx90a: 9010, gfx1036: 10306).
  foreach(_isa 942 950 1100 1101 1102 1103 1150 1151 1200 1201)
    set(_out "${_rocm}/amdgcn/bitcode/oclc_isa_version_${_isa}.bc")
    if(EXISTS "${VMGPU_ROCM_BITCODE_DIR}/oclc_isa_version_${_isa}.bc"
       OR EXISTS "${_out}")
      continue()
    endif()
    string(LENGTH "${_isa}" _length)
    math(EXPR _major_length "${_length} - 2")
    string(SUBSTRING "${_isa}" 0 ${_major_length} _major)
    string(SUBSTRING "${_isa}" ${_major_length} 1 _minor)
    math(EXPR _stepping_index "${_length} - 1")
    string(SUBSTRING "${_isa}" ${_stepping_index} 1 _stepping)
    math(EXPR _value "${_major} * 1000 + 0x${_minor} * 100 + 0x${_stepping}")
    set(_ll "${PROJECT_BINARY_DIR}/rocm-isa-${_isa}.ll")
    file(WRITE "${_ll}"
      "target triple = \"amdgcn-amd-amdhsa\"\n"
      "@__oclc_ISA_version = linkonce_odr protected local_unnamed_addr "
      "addrspace(4) constant i32 ${_value}, align 4\n")
    execute_process(COMMAND "${VMGPU_LLVM_AS}" "${_ll}" -o "${_out}"
      RESULT_VARIABLE _result)
    if(NOT _result EQUAL 0)
      message(WARNING "vmgpu: llvm-as failed on ${_ll}")
    endif()
  endforeach()
  set(VMGPU_ROCM_PATH "${_rocm}")
  set(_vmgpu_rocm_default ON)
else()
  set(_vmgpu_rocm_default OFF)
endif()
option(VMGPU_ENABLE_ROCM "Build the AMD (ROCDL/HSACO) target" ${_vmgpu_rocm_default})
if(NOT VMGPU_ENABLE_ROCM)
  set(VMGPU_ROCM_PATH "")
endif()
