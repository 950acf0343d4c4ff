#!/usr/bin/env bash
# Small CPU blocks before (a73c791: bundle's vm-gpu-compile/vm-gpu-bench) and
# after (this tree's build) vm-cpu-guard-small-parallel-regions, and the
# library's one-tile plan with the lowering's own scf.if (before) and with the
# guard (after); this 2-core machine, median of up to 300 runs in 1 s.
set -eu
OLD=/tmp/oldb/vmgpu/bin; NEW=/work/main/build/bin
bench() { "$1/vm-gpu-bench" "$2" "${@:3}" --runs 300 --max-seconds 1 --warmup 3 2>/dev/null |
  /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print('%8.2f us' % (d['wall_ms']['median']*1000))"; }
for side in OLD NEW; do
  dir=${!side}
  "$dir/vm-gpu-compile" ax.mlir --entry main --target cpu -o ax_$side.vmgpu
  "$dir/vm-gpu-compile" mm.mlir --entry main --target cpu --contraction-strategy=auto -o mm_auto_$side.vmgpu
  "$dir/vm-gpu-compile" mm.mlir --entry main --target cpu --contraction-strategy=generated -o mm_gen_$side.vmgpu
  "$dir/vm-gpu-compile" g64.mlir --entry main --target cpu --contraction-strategy=library -o g64_lib_$side.vmgpu
done
for round in 1 2; do
  for side in OLD NEW; do
    dir=${!side}
    echo "round $round $side dynamic axpy 1024:        $(bench $dir ax_$side.vmgpu --input v1k.npy --input v1k.npy --input v1k.npy)"
    echo "round $round $side dynamic matmul 16 auto:   $(bench $dir mm_auto_$side.vmgpu --input m16a.npy --input m16b.npy)"
    echo "round $round $side dynamic matmul 16 gen:    $(bench $dir mm_gen_$side.vmgpu --input m16a.npy --input m16b.npy)"
    echo "round $round $side static 64^3 library:      $(bench $dir g64_lib_$side.vmgpu --input g64_0.npy --input g64_1.npy)"
  done
done
echo "OMP_NUM_THREADS=1 OLD dynamic axpy 1024:   $(OMP_NUM_THREADS=1 bench $OLD ax_OLD.vmgpu --input v1k.npy --input v1k.npy --input v1k.npy)"
