//===- Passes.td - vmgpu code generation passes ------------*- tablegen -*-===//

#ifndef VMGPU_CODEGEN_PASSES
#define VMGPU_CODEGEN_PASSES

include "mlir/Pass/PassBase.td"

def GpuSelectLoweringConfig
    : Pass<"vm-gpu-select-lowering-config", "mlir::func::FuncOp"> {
  let summary = "Classify each linalg op and attach its lowering configuration";
  let description = [{
    Runs on host functions after fusion and bufferization, before any op is
    lowered to kernels. Each linalg op outside a `gpu.launch` is classified
    (elementwise/broadcast/transpose, row reduction, column reduction, full
    reduction, softmax, contraction, convolution, other) and gets a
    `vmgpu.lowering_config` dictionary: the class, the strategy that lowers
    it, the block shape, the vector width and the grid bound, chosen by the
    per-class heuristics from the element types, the static shape and the
    target chip (`chip`: its processor count, subgroup size and widest
    access). An op that already carries a configuration keeps it (written by
    hand for a test or an experiment); a malformed one is an error. The
    strategy passes that follow lower the ops whose strategy they own and
    leave every other op, with strategy `fallback`, to the
    one-thread-per-element lowering.

    `contraction-strategy` decides between generated kernels and the GEMM
    library (strategy `library`, NVIDIA chips only) for matmuls and
    batch_matmuls the library takes (vmgpu::matchLibraryGemm):
    `generated` never uses the library, `library` always does, `auto` does
    from vmgpu::kAutoLibraryMinMacs multiply-adds (or sizes known only at
    run time) up.
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_90\"",
           "Target chip (sm_90a, gfx942, ...) whose description the "
           "heuristics read">,
    Option<"contractionStrategy", "contraction-strategy", "std::string",
           /*default=*/"\"generated\"",
           "Contractions: generated kernels, the GEMM library, or the "
           "library above a size (generated|library|auto)">,
    Option<"tensorCores", "tensor-cores", "bool", /*default=*/"true",
           "f16/bf16/i8 contractions on tensor cores (mma_sync) where the "
           "chip has them; false keeps them on tiled_simt "
           "(docs/gpu-path.md)">,
  ];
}

def GpuLowerContractionsToLibrary
    : Pass<"vm-gpu-lower-contractions-to-library", "mlir::ModuleOp"> {
  let summary = "Replace library-configured contractions by runtime GEMM calls";
  let description = [{
    The strategy `library`. Each linalg contraction on buffers configured
    with it that vmgpu::matchLibraryGemm takes (matmul, matmul with
    transposed operands, batch_matmul) becomes a `func.call @vmgpuGemm`
    (include/vmgpu/runtime/LibraryGemmAbi.h): the element type codes, the
    sizes (batch, M, N, K), and per operand its device address (the aligned
    pointer plus the offset, from `memref.extract_aligned_pointer_as_index`
    and `memref.extract_strided_metadata`) with its batch, row and column
    strides in elements. The runtime queues the GEMM on the device's
    stream, the stream every launch of the block goes to, so the call is
    ordered with the kernels around it. A `linalg.fill` of zero into the
    output just before the contraction is folded into the call (the
    library then writes C without reading it). The declaration of
    `@vmgpuGemm` carries `vmgpu.runtime_library_call`, which
    vm-verify-host-code checks like a launch. Ops it cannot take keep their
    configuration and go to the kernel lowering that follows.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::func::FuncDialect",
    "mlir::memref::MemRefDialect",
  ];
}

def GpuLowerElementwise
    : Pass<"vm-gpu-lower-elementwise", "mlir::func::FuncOp"> {
  let summary = "Lower elementwise ops to vectorized grid-stride kernels";
  let description = [{
    The strategy `vectorized_elementwise`. Each linalg op configured with
    it whose loops are all parallel and whose outputs are contiguous and
    indexed by the loops in order becomes one `gpu.launch`: a 1-D grid of
    `workgroup[0]`-thread blocks (at most `max_blocks`; grid-stride loops
    cover the rest). Each step of a thread handles `vector_width`
    consecutive elements: operands indexed by the loops in order are
    accessed with one `vector.load`/`vector.store` carrying the access's
    alignment (16 bytes for 4 x f32 or 8 x f16, which NVPTX emits as
    `ld.global.v4` and AMDGPU as `global_load_dwordx4`); broadcast,
    transposed and strided inputs are read element by element. The body
    runs once per element as written (same ops, same order), so results are
    those of the fallback bit for bit. The last `N mod vector_width`
    elements, and all of them when a vector-accessed base is not aligned to
    its access width (checked in the kernel), take a scalar grid-stride
    loop. Ops it cannot take (an output that is strided or not indexed by
    the loops in order, a body reading `linalg.index`) are left to the
    fallback, configuration and all.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::gpu::GPUDialect",
    "mlir::memref::MemRefDialect", "mlir::scf::SCFDialect",
    "mlir::ub::UBDialect", "mlir::vector::VectorDialect",
  ];
}

def GpuLowerRowReductions
    : Pass<"vm-gpu-lower-row-reductions", "mlir::func::FuncOp"> {
  let summary = "Lower row reductions to one subgroup per row with shuffles";
  let description = [{
    The strategy `warp_per_row`. Each linalg op configured with it whose
    loops are parallel dims followed by reduction dims, with one contiguous
    output indexed by the parallel loops and contiguous inputs indexed by
    every loop in order (or by the parallel loops alone: a per-row value),
    becomes one `gpu.launch` of `workgroup[1]` rows per block, one subgroup
    of `workgroup[0]` lanes (the target's subgroup size: 32, or 64 on CDNA)
    per row. Lane `l` folds columns `l, l + W, ...` with the op's body; the
    partials meet in a `gpu.shuffle down` tree whose combine is the body's
    combining part (vmgpu::extractReductionCombiner): the scalar semantics
    of the CPU path, NaN and signed-zero rules included, which
    `gpu.subgroup_reduce` would not follow. Values travel as 32-bit words,
    so every element width works. Lane 0 combines the row into the output's
    initial value. When `vector_width` (V) is above 1, the row length a
    multiple of V and every element input's base aligned to V elements
    (checked in the kernel), lanes read chunks of V elements with one
    aligned `vector.load` (lane l: chunks l, l + W, ..., each chunk's
    elements in order); otherwise one element at a time. The order depends
    only on the row length, V and the subgroup size: bitwise deterministic.
    Ops it cannot take are left to the fallback.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::gpu::GPUDialect",
    "mlir::memref::MemRefDialect", "mlir::scf::SCFDialect",
    "mlir::vector::VectorDialect",
  ];
}

def GpuLowerRowScans
    : Pass<"vm-gpu-lower-row-scans", "mlir::func::FuncOp"> {
  let summary = "Lower scans along the innermost dim to one subgroup per row";
  let description = [{
    The strategy `warp_scan`. Each linalg op configured with it whose last
    loop is its only reduction loop, with contiguous inputs indexed by every
    loop in order and two contiguous outputs (the running value, indexed by
    the parallel loops; the result, indexed by every loop: what vm.scan
    lowers to), becomes one `gpu.launch` of `workgroup[1]` rows per block,
    one subgroup of `workgroup[0]` (W) lanes per row. The subgroup walks its
    row in chunks of W x V elements, lane `l` owning elements `[l V, l V +
    V)` of a chunk: each lane folds its elements with the body's combining
    part (vmgpu::extractReductionCombiner), a `gpu.shuffle up` scan over the
    lanes gives each lane the total below it, and each lane runs the op's
    body over its elements from the row's running value combined with that
    total, writing what the body yields; the running value moves on with
    the chunk's last element (`gpu.shuffle idx`). V is `vector_width` when
    the row length is a multiple of it and the bases are aligned (checked
    in the kernel: one vector access per lane and input), else 1. The order
    depends only on the row length, W and V: bitwise deterministic. Ops it
    cannot take are left to the fallback.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::gpu::GPUDialect",
    "mlir::memref::MemRefDialect", "mlir::scf::SCFDialect",
    "mlir::vector::VectorDialect",
  ];
}

def GpuLowerFullReductions
    : Pass<"vm-gpu-lower-full-reductions", "mlir::func::FuncOp"> {
  let summary = "Lower reductions to one value to two subgroup stages";
  let description = [{
    The strategy `two_stage`. Each linalg op configured with it whose loops
    are all reductions into a 0-d output, with contiguous inputs indexed by
    every loop in order (or 0-d inputs), becomes two `gpu.launch`es around
    a buffer of partials. The N elements are cut into P contiguous segments
    of C = ceil(N / P) elements, P = clamp(ceil(N / 4096), 1, 8192): the
    partition depends on N alone (not on the chip), so the result is the
    same bits on every run and every GPU. Stage 1 reduces segment s with
    one subgroup (`workgroup[1]` subgroups of `workgroup[0]` lanes per
    block) as vm-gpu-lower-row-reductions reduces a row; stage 2 folds the
    used partials in order with one subgroup and the body's combining part,
    and combines the total into the output's initial value. Ops it cannot
    take go on to vm-split-full-reductions and the fallback.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::gpu::GPUDialect",
    "mlir::memref::MemRefDialect", "mlir::scf::SCFDialect",
  ];
}

def GpuLowerContractions
    : Pass<"vm-gpu-lower-contractions", "mlir::func::FuncOp"> {
  let summary = "Lower matrix products to tiled SIMT kernels";
  let description = [{
    The strategy `tiled_simt`. Each linalg op configured with it that is a
    (batched) matrix product on buffers (`linalg.matmul`, `batch_matmul`,
    either operand transposed through its indexing map, any contraction
    with one M, one N and one K loop, at most one batch loop outermost, and
    a body `acc + cvt(a) * cvt(b)` in an f32, f64, i32 or i64 accumulator)
    becomes one `gpu.launch`. `cache_tiles` gives the block tile per loop
    (M x N x K slice: BM, BN, BK), `register_tiles` the thread tile (TM x
    TN, each 4 or 8), `workgroup` is [BN / TN, BM / TM, 1]. Each block
    stages BK-wide slices of A and B in double-buffered shared memory as
    [BK][BM] and [BK][BN] (A transposed when K is its contiguous dim),
    loaded in chunks of 4 elements: one aligned `vector.load` when the
    contiguous extent is a multiple of 4 and the base is aligned (checked
    in the kernel), else guarded scalar loads; chunks outside the matrix
    read as zero. Each thread keeps its TM x TN accumulators in registers
    across K and updates them with outer products of shared-memory vectors
    (`vector.fma` for floats: contractions may fuse; multiply and add for
    integers). Each output element accumulates its products in K order
    from its initial value: a `linalg.fill` of the output right before the
    op is folded into the kernel, otherwise C is read first. When C is a
    temporary read only by the next elementwise `linalg.generic` (allocations
    and linalg ops filling fresh buffers, such as a bias broadcast, may lie
    in between and move before the product), that op's body runs on the
    accumulators in the same kernel, as written, and writes its own output
    (inputs filled by a `linalg.broadcast` are read at its source). A
    configuration whose tiles do not fit together is an error; ops of
    another form are left to the fallback.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::gpu::GPUDialect",
    "mlir::memref::MemRefDialect", "mlir::scf::SCFDialect",
    "mlir::vector::VectorDialect",
  ];
}

def GpuLowerContractionsMmaSync
    : Pass<"vm-gpu-lower-contractions-mma-sync", "mlir::func::FuncOp"> {
  let summary = "Lower 16-bit and i8 matrix products to mma.sync kernels";
  let description = [{
    The strategy `mma_sync` (NVIDIA sm_80 and later). Each linalg op
    configured with it that is a (batched) matrix product on buffers (as
    for `tiled_simt`) whose inputs are both f16 or both bf16 extended to an
    f32 accumulator, or both i8 sign-extended to an i32 accumulator, becomes
    one `gpu.launch`. `cache_tiles` gives the block tile per loop (BM, BN,
    BK), `register_tiles` one warp's tile (WM, WN, multiples of 16; K the
    instruction's: 16 for 16-bit inputs, 32 for i8), `workgroup` is [32 x
    warps, 1, 1] and `pipeline_depth` the shared-memory stages (at least 2).
    Slices of A and B are copied into XOR-swizzled shared memory with 16-byte
    `cp.async` (zero-filled outside the matrix) `pipeline_depth - 1` slices
    ahead of the one computed, when the operand's contiguous extent is a
    multiple of 16 bytes and its base is aligned (checked in the kernel),
    else with guarded loads and stores; i8 operands whose contiguous dim is
    not K are transposed on the way in. Warps read fragments with `ldmatrix`
    (`.trans` for 16-bit operands stored K-outer) and accumulate with
    `mma.sync` m16n8k16 (f32) or m16n8k32 (s32, wrapping), the accumulators
    kept in registers across the whole K loop. The fill folding and the fused
    elementwise epilogue are those of `tiled_simt`. A configuration whose
    tiles do not fit together is an error; other ops are left alone.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::gpu::GPUDialect",
    "mlir::LLVM::LLVMDialect", "mlir::memref::MemRefDialect",
    "mlir::NVVM::NVVMDialect", "mlir::nvgpu::NVGPUDialect",
    "mlir::scf::SCFDialect", "mlir::vector::VectorDialect",
  ];
}

def GpuLowerColumnReductions
    : Pass<"vm-gpu-lower-column-reductions", "mlir::func::FuncOp"> {
  let summary = "Lower column reductions to coalesced kernels over row segments";
  let description = [{
    The strategy `coalesced_columns`. Each linalg op configured with it
    whose loops are reduction dims followed by parallel dims, with one
    contiguous output indexed by the parallel loops and contiguous inputs
    indexed by every loop in order or by the parallel loops alone, becomes
    two `gpu.launch`es around a [segments, columns] buffer of partials. The
    input is viewed as [rows, columns]; the rows are cut into S segments,
    S = the largest power of two up to 512 with S x columns <= 2^19, at
    most ceil(rows / 32), at least 1: a function of the shape alone, so the
    result is the same bits on every run and every GPU. Stage 1: one thread
    per (segment, chunk of `vector_width` columns), `workgroup[0]` threads
    per block, neighbouring threads on neighbouring chunks; it folds the
    segment's rows in order with the op's body, reading each row's chunk
    with one aligned vector load when the column count is a multiple of the
    width and the bases are aligned (checked in the kernel), else element
    by element. Stage 2: one thread per column folds the partials in
    segment order with the body's combining part and combines the total
    into the output's initial value. Ops it cannot take keep the fallback.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::gpu::GPUDialect",
    "mlir::memref::MemRefDialect", "mlir::scf::SCFDialect",
    "mlir::vector::VectorDialect",
  ];
}

def GpuAlignWorkgroupMemory
    : Pass<"vm-gpu-align-workgroup-memory", "mlir::ModuleOp"> {
  let summary = "Align each kernel's shared-memory buffers to 16 bytes";
  let description = [{
    Runs after kernel outlining. Every workgroup attribution of a `gpu.func`
    without an `llvm.align` gets `llvm.align = 16`, so that the global the
    GPU-to-LLVM lowering makes of it (`.shared .align 16` in PTX) admits the
    16-byte vector accesses of the contraction strategy; otherwise the
    global is aligned to its element type only.
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

def GpuConvolutionsToContractions
    : Pass<"vm-gpu-convolutions-to-contractions", "mlir::func::FuncOp"> {
  let summary = "Convolutions as an im2col copy and a matmul, for the GPU";
  let description = [{
    Runs on tensors, after fusion and before bufferization, in the GPU
    pipelines. Each `linalg.conv_2d_nhwc_hwcf` of static, nonempty sizes
    without a `vmgpu.lowering_config` whose element types the contraction
    strategies take (inputs of one type, f16/bf16/f32 -> f32, f64, i8 ->
    i32, i32, i64) becomes an im2col copy in the input's own type and a
    `linalg.matmul` (Im2ColContraction.h): the copy is then an elementwise
    kernel and the matmul goes to tiled SIMT, tensor cores or the library
    like any other. A 1x1 filter at unit stride reads its input directly.
    The copy is about KH x KW / (stride_h x stride_w) times the input (49
    times for a 7x7 filter at stride 1); one larger than
    vmgpu::kMaxGpuIm2ColBytes (4 GiB) keeps the convolution as it is (one
    thread per output element) rather than make the block's memory bound
    refuse it on smaller devices.
  }];
  let dependentDialects = [
    "mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
  ];
}

def GpuSoftmaxToLinalg
    : Pass<"vm-gpu-softmax-to-linalg", "mlir::func::FuncOp"> {
  let summary = "Keep each row softmax whole, as one linalg.softmax";
  let description = [{
    Runs on vm IR, before vm-to-linalg, in the GPU pipelines only. A
    `vm.softmax` along the innermost dim of a tensor of rank 2 or more,
    whose result type is its operand's, becomes `linalg.softmax` into a
    `tensor.empty`: it then stays one op through fusion and bufferization
    and reaches vm-gpu-lower-softmax, where one kernel reads each row from
    memory once. Other softmaxes (1-D, or along an outer dim) are left to
    vm-to-linalg, which spells them as reductions and elementwise ops.
  }];
  let dependentDialects = [
    "mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
  ];
}

def GpuSortInWorkgroups
    : Pass<"vm-gpu-sort-in-workgroups", "mlir::func::FuncOp"> {
  let summary = "Carry short rows of vm.sort and vm.topk to the workgroup sort";
  let description = [{
    Runs on vm IR, before vm-to-linalg, in the GPU pipelines only: linalg
    has no sort, so the GPU's sort is chosen on the vm op. A `vm.sort`, or a
    `vm.topk` whose k is past selection (vmgpu::kTopKSelectionMaxK), of a
    static shape, along a dim with nothing but unit dims after it, of 2 to
    4096 elements of at most 32 bits, becomes `vmgpu_codegen.sort_rows` on
    buffers: the operand read through `bufferization.to_buffer`, the results
    written into fresh buffers that `bufferization.to_tensor` (restrict,
    writable) hands back. One-shot bufferization and buffer deallocation
    keep the op as it is (its memory effects are declared), and
    vm-gpu-lower-sort-rows makes it a kernel. Anything else is left to
    vm-to-linalg.
  }];
  let dependentDialects = [
    "mlir::bufferization::BufferizationDialect",
    "mlir::memref::MemRefDialect", "vmgpu::codegen::CodegenDialect",
  ];
}

def GpuLowerSortRows : Pass<"vm-gpu-lower-sort-rows", "mlir::func::FuncOp"> {
  let summary = "Sort each row of vmgpu_codegen.sort_rows in one workgroup";
  let description = [{
    Every `vmgpu_codegen.sort_rows` becomes one `gpu.launch` of one
    workgroup per row. Each element's key (vmgpu::KeyOrder, complemented
    within its width for descending order) and position pack into one i64;
    a bitonic sort orders the row's packed values (padded with all ones to a
    power of two, at least a subgroup), each thread holding four of them in
    registers: steps at distances below four run between a thread's
    registers, below a subgroup's worth by butterfly shuffles, longer ones
    in workgroup memory (a barrier after each). The threads then write the
    first k positions and the elements read back there. Positions make the
    packed values distinct, so the result is the stable sort's, exactly.
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_90\"",
           "Target chip (sm_90a, gfx942, ...): its subgroup size">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::gpu::GPUDialect",
    "mlir::memref::MemRefDialect", "mlir::scf::SCFDialect",
  ];
}

def GpuLowerSoftmax : Pass<"vm-gpu-lower-softmax", "mlir::func::FuncOp"> {
  let summary = "Lower row softmaxes to one kernel per softmax";
  let description = [{
    Every `linalg.softmax` on buffers along the innermost dim (nothing else
    lowers a linalg.softmax, so one it cannot take is an error) becomes one
    `gpu.launch`, by its configuration's strategy (`subgroup_softmax` when
    it has none). Both compute the contract's formula: the row maximum
    (`arith.maximumf`, as the CPU path: a NaN makes the row NaN), the sum
    of `exp(x - max)` and `exp(x - max) / sum` (a divide; 16-bit floats in
    f32, rounded once).

    `block_softmax`: one block of `workgroup[1]` subgroups of `workgroup[0]`
    lanes per row. When the row is contiguous, a multiple of `vector_width`
    (V) long, at most threads x V x 8 elements and on aligned bases
    (checked in the kernel), each thread keeps up to eight V-element chunks
    in registers: one read and one write of the row. Other rows take two
    passes: a running maximum and a sum rescaled to it per thread (online
    softmax), then the quotients. The block combines through shuffles and
    workgroup memory in a fixed order.

    `subgroup_softmax`: `workgroup[1]` rows per block, one subgroup per row;
    the row is read three times (from memory once, then from the caches).
    Inputs and outputs may be strided views.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::gpu::GPUDialect",
    "mlir::math::MathDialect", "mlir::memref::MemRefDialect",
    "mlir::scf::SCFDialect", "mlir::vector::VectorDialect",
  ];
}

//===----------------------------------------------------------------------===//
// CPU strategies (lib/Codegen/Cpu*.cpp)
//===----------------------------------------------------------------------===//

def CpuTileContractions
    : Pass<"vm-cpu-tile-contractions", "mlir::func::FuncOp"> {
  let summary = "Tile, vectorize and thread the contractions of a CPU block";
  let description = [{
    Runs on tensors, after fusion and before bufferization. Each linalg op
    gets a `vmgpu.lowering_config` (one written by hand is kept); those with
    strategy `cpu_tiled_contraction` (matmul, transposed matmul,
    batch_matmul of f32, f64, f16/bf16 -> f32, i8 -> i32, i32, i64; conv2d
    first becomes an im2col copy and a matmul, but for static f32 ones,
    which are tiled in place unless `contraction-strategy` is `library`)
    are tiled, after a packing
    step that copies both operands (converted to the accumulator type, rows
    padded where they would alias in L1) when M and N are >= 64:

    1. cache tiles of the batch, M and N dims as an `scf.forall` (threads:
       each output element belongs to one tile, computed in a fixed K order
       by one thread, so results do not depend on the thread count);
    2. cache tiles of K as an `scf.for`;
    3. register tiles (M x N x 1) as `scf.for` loops, peeled so that the
       full tiles have static sizes; full tiles are vectorized to
       `vector.contract`, partial ones with masks;
    4. the accumulator tile is hoisted out of the K loop (it stays in
       registers), and contractions become outer products and `vector.fma`
       (contractions may fuse multiply and add: DESIGN.md).

    Other ops are left to the loop lowering that follows.

    A static i8 -> i32 linalg.matmul or linalg.batch_matmul (either operand
    transposed; at least a register tile's rows and columns) on a CPU with a
    multiply-add of i16 pairs (x86's pmaddwd) takes the paired form instead
    (CpuPairedIntegerContraction.h): i16 copies with K rounded up to even
    and M, N to whole register tiles, a linalg.generic over ((b,) m, n, p,
    q) with k = 2p + q tiled as above (one batch per tile), and register
    tiles as a loop over pairs of K of
    `vmgpu_codegen.pair_multiply_add` (vm-cpu-lower-pair-multiply-add makes
    them intrinsic calls after buffer deallocation).

    `contraction-strategy` hands matmuls and batch_matmuls of f32 and f64
    to the BLAS instead (strategy `library`, lowered after bufferization by
    vm-cpu-lower-contractions-to-library): `generated` never does,
    `library` does for every op vmgpu::matchLibraryGemm takes, `auto` does
    from vmgpu::kAutoCpuLibraryMinMacs multiply-adds (or sizes known only at
    run time) up. Those ops are neither packed nor tiled.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"host\"",
           "CPU whose description sizes the tiles: host, avx2, avx512, "
           "sse, neon">,
    Option<"contractionStrategy", "contraction-strategy", "std::string",
           /*default=*/"\"generated\"",
           "Matmuls: generated tiles, the BLAS, or the BLAS above a size "
           "(generated|library|auto)">,
  ];
  let dependentDialects = [
    "mlir::affine::AffineDialect",
    "mlir::arith::ArithDialect",
    "mlir::bufferization::BufferizationDialect",
    "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect",
    "mlir::vector::VectorDialect",
    "vmgpu::codegen::CodegenDialect",
  ];
}

def CpuLowerPairMultiplyAdd
    : Pass<"vm-cpu-lower-pair-multiply-add", "mlir::func::FuncOp"> {
  let summary = "Lower vmgpu_codegen.pair_multiply_add to its target "
                "intrinsic";
  let description = [{
    Runs after buffer deallocation, before the vector ops become LLVM's.
    Each `vmgpu_codegen.pair_multiply_add` with an `intrinsic` becomes an
    `llvm.call_intrinsic` of it (x86's pmaddwd; LLVM's backend folds it and
    the add into the accumulator that follows into vpdpwssd where AVX-512
    VNNI or AVX-VNNI exists); one without becomes its arithmetic: even and
    odd elements shuffled apart, sign-extended, multiplied and added in i32.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::LLVM::LLVMDialect",
    "mlir::vector::VectorDialect",
  ];
}

def CpuLowerContractionsToLibrary
    : Pass<"vm-cpu-lower-contractions-to-library", "mlir::ModuleOp"> {
  let summary = "Replace library-configured CPU contractions by BLAS calls";
  let description = [{
    The CPU's strategy `library`. Runs on buffers, after bufferization. Each
    linalg contraction configured with it (by vm-cpu-tile-contractions)
    that vmgpu::matchLibraryGemm takes for the BLAS becomes

      %tiles = func.call @vmgpuCpuGemm(<operands>, -1)
      scf.forall (%t) in (%tiles) { func.call @vmgpuCpuGemm(<operands>, %t) }

    (include/vmgpu/runtime/LibraryGemmAbi.h): the operands are those of the
    GPU's vmgpuGemm (type codes, flags, sizes, addresses and strides, a zero
    fill folded in). The first call, on the calling thread, checks the
    problem and returns how many tiles the runtime splits it into; the
    forall, which becomes an OpenMP loop, computes each tile with one
    single-threaded BLAS call. The partition depends only on the sizes and
    the machine, so the bits do not depend on the number of threads. Ops it
    cannot take keep the loop lowering.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::func::FuncDialect",
    "mlir::memref::MemRefDialect", "mlir::scf::SCFDialect",
  ];
}

def CpuLowerReductions
    : Pass<"vm-cpu-lower-reductions", "mlir::func::FuncOp"> {
  let summary = "Vectorized, multi-threaded reductions of a CPU block";
  let description = [{
    Runs on buffers, after bufferization. Lowers the linalg ops whose
    `vmgpu.lowering_config` (chosen by vm-cpu-tile-contractions) names
    `cpu_vector_reduction` (row and full reductions, vm.dot) or
    `cpu_column_reduction` (the contiguous dim kept) to an `scf.forall` over
    a fixed partition of the data (segments of `cache_tiles` elements or
    rows), vector loads and several independent vector accumulators
    (`register_tiles` elements per step, `vector_width` lanes), and
    combines the partials in a fixed order with the body's combining part:
    the bits do not depend on the number of threads. Ops the strategies
    cannot take (non-contiguous views, i1 elements, bodies that do not
    vectorize) are left to the loop lowering.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::memref::MemRefDialect",
    "mlir::scf::SCFDialect",
    "mlir::vector::VectorDialect",
  ];
}

def CpuSerializeSmallLoops
    : Pass<"vm-cpu-serialize-small-loops", "mlir::func::FuncOp"> {
  let summary = "Run parallel loops with little work on the calling thread";
  let description = [{
    Runs on buffers, just before scf.parallel becomes OpenMP. An outermost
    `scf.parallel` (and every loop nested in it) whose work is known at
    compile time and at most `min-parallel-work` becomes nested `scf.for`
    loops: starting and joining the OpenMP threads costs more than such a
    loop (waking sleeping threads took 0.1-0.15 ms per region on the 2-vCPU
    development machine, docs/cpu-path.md). The work is the number of
    operations the loop executes: each op counts once, a nested loop's body
    once per iteration of static trip count, `scf.if` its larger branch.
    Loops with a trip count known only at run time, calls (the BLAS tiles)
    or other loops are never serialized. Each element is still computed by
    one thread in the same order, so results keep their bits.
  }];
  let options = [
    Option<"minParallelWork", "min-parallel-work", "int64_t",
           /*default=*/"262144",
           "Operations executed by a loop below which it runs on one thread "
           "(0: keep every parallel loop)">,
  ];
  let dependentDialects = ["mlir::scf::SCFDialect"];
}

def CpuGuardSmallParallelRegions
    : Pass<"vm-cpu-guard-small-parallel-regions", "mlir::func::FuncOp"> {
  let summary = "Fork OpenMP threads only for regions whose run-time work "
                "pays for it";
  let description = [{
    Runs after scf.parallel became OpenMP. The loops of
    `vm-cpu-serialize-small-loops` whose trip counts are known only at run
    time (dynamic shapes) stay parallel there; this pass gives each such
    `omp.parallel` (one `omp.wsloop` without clauses, index bounds,
    constant positive steps, an exclusive upper bound) an `if` clause: the
    region forks the threads only when trip count x body work (the model of
    `vm-cpu-serialize-small-loops`, per iteration) exceeds
    `min-parallel-work`, or more than one iteration when the body's work is
    unknown (a call), and otherwise runs on the calling thread (a
    serialized region: no worker wakes). A 1,024-element
    `relu(a * x + y)` of dynamic size took 16-65 us per run on two threads
    against 0.96 us on one (docs/cpu-path.md, section 5). The same iterations run in the same order either
    way, so results keep their bits.
  }];
  let options = [
    Option<"minParallelWork", "min-parallel-work", "int64_t",
           /*default=*/"262144",
           "Operations executed by a region below which it runs on one "
           "thread (0: leave every region alone)">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::omp::OpenMPDialect",
  ];
}

def CpuSequentialInnerDims
    : Pass<"vm-cpu-sequential-inner-dims", "mlir::func::FuncOp"> {
  let summary = "Run the innermost dim of multi-dim parallel loops as a "
                "sequential loop over chunks";
  let description = [{
    Runs on buffers, after vm-cpu-serialize-small-loops and just before
    scf.parallel becomes OpenMP. An outermost `scf.parallel` of two or more
    dims (without results) keeps its outer dims parallel and splits the
    innermost one into chunks of `chunk` iterations: the chunks are
    parallel, each chunk is an `scf.for`. OpenMP runs a loop nest of several
    dims as one collapsed loop whose indices are recomputed by division in
    every iteration, which keeps LLVM from vectorizing the innermost dim (a
    row gather of 16384 x 256 f32 ran 4.4x slower than NumPy's); inside a
    chunk the innermost index is a plain induction variable again. Each
    element is still computed by one thread, so results keep their bits.
    A loop whose body is already vectorized (a contraction's cache tiles,
    an in-place convolution's output rows: ops with vector results) is left
    alone: a chunk would vectorize nothing and take iterations from the
    threads.
  }];
  let options = [
    Option<"chunk", "chunk", "int64_t", /*default=*/"1024",
           "Iterations of the innermost dim per sequential chunk">,
  ];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::scf::SCFDialect"];
}

def CpuLowerSoftmax : Pass<"vm-cpu-lower-softmax", "mlir::func::FuncOp"> {
  let summary = "Softmax rows of a CPU block, vectorized, rows over threads";
  let description = [{
    Runs on buffers, after bufferization. Every `linalg.softmax` (along the
    innermost dim, made by vm-gpu-softmax-to-linalg) becomes an `scf.forall`
    over its rows; each row takes three passes (maximum, sum of
    exponentials, normalized write) with `register_tiles` elements per step
    in `vector_width`-lane accumulators, in an order fixed by the row
    length. f32 exponentials use the polynomial approximation. The
    configuration is `cpu_row_softmax`, chosen for `target` unless the op
    has one.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"host\"",
           "CPU whose description sizes the vectors: host, avx2, avx512, "
           "sse, neon">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::math::MathDialect",
    "mlir::memref::MemRefDialect",
    "mlir::scf::SCFDialect",
    "mlir::vector::VectorDialect",
  ];
}

#endif // VMGPU_CODEGEN_PASSES
