// vm-gpu-run and the kernel cache, seen through --metrics-json: the first
// run compiles and publishes the block, a second process compiles nothing, a
// damaged entry is counted as corrupt, recompiled and replaced, and
// VMGPU_DISK_CACHE=0 leaves the disk alone.
// RUN: rm -rf %t && mkdir -p %t
// RUN: env VMGPU_CACHE_DIR=%t/cache vm-gpu-run %s --device cpu --output-dir %t/out --metrics-json %t/first.json
// RUN: FileCheck %s --check-prefix=FIRST < %t/first.json
// RUN: env VMGPU_CACHE_DIR=%t/cache vm-gpu-run %s --device cpu --output-dir %t/out --metrics-json %t/second.json
// RUN: FileCheck %s --check-prefix=SECOND < %t/second.json
// RUN: truncate -s 100 %t/cache/v1/*.vmgpu
// RUN: env VMGPU_CACHE_DIR=%t/cache vm-gpu-run %s --device cpu --output-dir %t/out --metrics-json %t/third.json
// RUN: FileCheck %s --check-prefix=THIRD < %t/third.json
// RUN: env VMGPU_CACHE_DIR=%t/cache vm-gpu-run %s --device cpu --output-dir %t/out --metrics-json %t/fourth.json
// RUN: FileCheck %s --check-prefix=SECOND < %t/fourth.json
// RUN: env VMGPU_CACHE_DIR=%t/off VMGPU_DISK_CACHE=0 vm-gpu-run %s --device cpu --output-dir %t/out --metrics-json %t/off.json
// RUN: FileCheck %s --check-prefix=OFF < %t/off.json
// RUN: not ls %t/off

// FIRST: "cache.disk.corrupt": 0,
// FIRST: "cache.disk.hits": 0,
// FIRST: "cache.disk.misses": 1,
// FIRST: "compiles": 1,

// SECOND: "cache.disk.corrupt": 0,
// SECOND: "cache.disk.hits": 1,
// SECOND: "cache.disk.misses": 0,
// SECOND: "compiles": 0,

// THIRD: "cache.disk.corrupt": 1,
// THIRD: "cache.disk.hits": 0,
// THIRD: "cache.disk.misses": 1,
// THIRD: "compiles": 1,

// OFF: "cache.disk.hits": 0,
// OFF: "cache.disk.misses": 0,
// OFF: "compiles": 1,

func.func @main() -> tensor<4xi32> {
  %a = vm.constant dense<[7, -7, 5, 9]> : tensor<4xi32>
  %b = vm.constant dense<[2, 2, 0, -1]> : tensor<4xi32>
  %q = vm.div %a, %b : tensor<4xi32>
  return %q : tensor<4xi32>
}
