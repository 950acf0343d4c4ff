#!/usr/bin/env bash
# The register counts and code sizes of the workgroup sort kernel for rows of
# 4096 f32 (no GPU needed): vm-gpu-opt prints the PTX, ptxas compiles it.
# Usage: benchmarks/ptxas_sort_rows.sh LABEL (from the repository root,
# with build/ built; needs the CUDA toolkit's ptxas, no GPU)
set -euo pipefail
label=$1
tmp=$(mktemp -d)
cat > "$tmp/sort.mlir" <<'MLIR'
func.func @sort_rows(%x: tensor<8192x4096xf32>) -> (tensor<8192x4096xf32>, tensor<8192x4096xi64>) {
  %v, %i = vm.sort %x {dim = 1 : i64} : tensor<8192x4096xf32> -> (tensor<8192x4096xf32>, tensor<8192x4096xi64>)
  return %v, %i : tensor<8192x4096xf32>, tensor<8192x4096xi64>
}
MLIR
build/bin/vm-gpu-opt "$tmp/sort.mlir" --vm-to-nvvm="chip=sm_90a format=isa" |
  sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' | sed -n '/^\/\/ Generated/,/^}$/p' > "$tmp/k.ptx"
echo "== $label"
/usr/local/cuda/bin/ptxas -arch=sm_90a --verbose "$tmp/k.ptx" -o "$tmp/k.cubin" 2>&1 | grep -E "registers|spill"
echo "cubin bytes: $(stat -c %s "$tmp/k.cubin")"
rm -rf "$tmp"
