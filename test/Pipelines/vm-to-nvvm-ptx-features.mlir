// The PTX features vm-to-nvvm gives a chip when `ptx-features` is empty
// (getDefaultPtxFeatures): the PTX ISA version LLVM's NVPTX backend needs
// for the chip, at least 8.0; seen in the PTX's .version and .target lines.
// REQUIRES: nvptx
// RUN: vm-gpu-opt %s --vm-to-nvvm="format=ptx" | FileCheck %s --check-prefix=DEFAULT
// RUN: vm-gpu-opt %s --vm-to-nvvm="format=ptx chip=sm_80" | FileCheck %s --check-prefix=SM80
// RUN: vm-gpu-opt %s --vm-to-nvvm="format=ptx chip=sm_90a" | FileCheck %s --check-prefix=SM90A
// RUN: vm-gpu-opt %s --vm-to-nvvm="format=ptx chip=sm_100" | FileCheck %s --check-prefix=SM100
// RUN: vm-gpu-opt %s --vm-to-nvvm="format=ptx chip=sm_100f" | FileCheck %s --check-prefix=SM100F
// RUN: vm-gpu-opt %s --vm-to-nvvm="format=ptx chip=sm_103a" | FileCheck %s --check-prefix=SM103A
// RUN: vm-gpu-opt %s --vm-to-nvvm="format=ptx chip=sm_110" | FileCheck %s --check-prefix=SM110
// RUN: vm-gpu-opt %s --vm-to-nvvm="format=ptx chip=sm_120" | FileCheck %s --check-prefix=SM120
// RUN: vm-gpu-opt %s --vm-to-nvvm="format=ptx chip=sm_121" | FileCheck %s --check-prefix=SM121
// RUN: vm-gpu-opt %s --vm-to-nvvm="format=ptx chip=sm_90 ptx-features=+ptx85" | FileCheck %s --check-prefix=EXPLICIT

// The default chip is the H100's, sm_90 (not sm_90a).
// DEFAULT: #nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">
// DEFAULT: .version 8.0\0A.target sm_90\0A

// SM80: #nvvm.target<O = 3, chip = "sm_80", features = "+ptx80">
// SM80: .version 8.0\0A.target sm_80\0A

// SM90A: #nvvm.target<O = 3, chip = "sm_90a", features = "+ptx80">
// SM90A: .version 8.0\0A.target sm_90a\0A

// SM100: #nvvm.target<O = 3, chip = "sm_100", features = "+ptx86">
// SM100: .version 8.6\0A.target sm_100\0A

// SM100F: #nvvm.target<O = 3, chip = "sm_100f", features = "+ptx88">
// SM100F: .version 8.8\0A.target sm_100f\0A

// SM103A: #nvvm.target<O = 3, chip = "sm_103a", features = "+ptx88">
// SM103A: .version 8.8\0A.target sm_103a\0A

// SM110: #nvvm.target<O = 3, chip = "sm_110", features = "+ptx90">
// SM110: .version 9.0\0A.target sm_110\0A

// SM120: #nvvm.target<O = 3, chip = "sm_120", features = "+ptx87">
// SM120: .version 8.7\0A.target sm_120\0A

// SM121: #nvvm.target<O = 3, chip = "sm_121", features = "+ptx88">
// SM121: .version 8.8\0A.target sm_121\0A

// An explicit value is used as it is.
// EXPLICIT: #nvvm.target<O = 3, chip = "sm_90", features = "+ptx85">
// EXPLICIT: .version 8.5\0A.target sm_90\0A

func.func @main(%a: tensor<16xf32>, %b: tensor<16xf32>) -> tensor<16xf32> {
  %0 = vm.add %a, %b : tensor<16xf32>
  return %0 : tensor<16xf32>
}
