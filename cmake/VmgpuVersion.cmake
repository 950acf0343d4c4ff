# Reads the release number from include/vmgpu/vmgpu.h (VMGPU_VERSION_MAJOR,
# _MINOR, _PATCH), the one place it is written, into VMGPU_VERSION and
# VMGPU_VERSION_MAJOR. Included before project() so that project() gets it.
file(STRINGS "${CMAKE_CURRENT_LIST_DIR}/../include/vmgpu/vmgpu.h" _vmgpu_version_lines
  REGEX "^#define VMGPU_VERSION_(MAJOR|MINOR|PATCH) [0-9]+$")
foreach(part MAJOR MINOR PATCH)
  set(_vmgpu_version_${part} "")
  foreach(line IN LISTS _vmgpu_version_lines)
    if(line MATCHES "^#define VMGPU_VERSION_${part} ([0-9]+)$")
      set(_vmgpu_version_${part} "${CMAKE_MATCH_1}")
    endif()
  endforeach()
  if(_vmgpu_version_${part} STREQUAL "")
    message(FATAL_ERROR "include/vmgpu/vmgpu.h lacks #define VMGPU_VERSION_${part}")
  endif()
endforeach()
set(VMGPU_VERSION_MAJOR ${_vmgpu_version_MAJOR})
set(VMGPU_VERSION
  "${_vmgpu_version_MAJOR}.${_vmgpu_version_MINOR}.${_vmgpu_version_PATCH}")
