/* abi.test: vmgpu_get_version() and vmgpu_get_api_version() are exactly the
 * numbers in the header this was compiled with. */
#include <vmgpu/vmgpu.h>

#include <stdio.h>
#include <string.h>

int main(void) {
  char expected[64];
  snprintf(expected, sizeof expected, "%d.%d.%d", VMGPU_VERSION_MAJOR,
           VMGPU_VERSION_MINOR, VMGPU_VERSION_PATCH);
  if (strcmp(vmgpu_get_version(), expected) != 0) {
    printf("version %s != header %s\n", vmgpu_get_version(), expected);
    return 1;
  }
  if (vmgpu_get_api_version() != VMGPU_API_VERSION) {
    printf("API %d != header %d\n", (int)vmgpu_get_api_version(),
           VMGPU_API_VERSION);
    return 1;
  }
  printf("version %s = header, API %d = header\n", expected, VMGPU_API_VERSION);
  return 0;
}
