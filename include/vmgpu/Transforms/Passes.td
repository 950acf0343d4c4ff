//===- Passes.td - vmgpu transformation passes -------------*- tablegen -*-===//

#ifndef VMGPU_TRANSFORMS_PASSES
#define VMGPU_TRANSFORMS_PASSES

include "mlir/Pass/PassBase.td"

def ExposeEntryPoints : Pass<"vm-expose-entry-points", "mlir::ModuleOp"> {
  let summary = "Give every public function a C-callable interface";
  let description = [{
    Marks each public `func.func` with `llvm.emit_c_interface`, so that
    `convert-func-to-llvm` emits `_mlir_ciface_<name>`, whose memref
    arguments and results are passed as pointers to descriptors. The CPU
    target then wraps that in one packed entry point the runtime can call
    without knowing the signature at compile time. Tensor arguments are
    marked `bufferization.writable = false`: the caller's inputs are never
    modified.
  }];
}

def CheckBlockContract : Pass<"vm-check-block-contract", "mlir::ModuleOp"> {
  let summary = "Refuse everything a vm block may not hold";
  let description = [{
    The vm IR contract (DESIGN.md) allows a module of `func.func`s with
    bodies whose ops are vm ops, `func.return`, `arith.constant` of a
    scalar or index, and `tensor.dim`. Every other op (`llvm.call`,
    `func.call`, memref, nested modules, function declarations) and every
    dialect attribute on the module or a function (`llvm.*` linkage,
    passthrough, sections) gets an error: the engine and `vm-gpu-compile`
    run this check (`vmgpu::checkBlockContract`) before lowering, so a
    block can never reach the process through other dialects.
    `vm-gpu-opt` itself accepts every registered dialect; this pass shows
    what the engine would refuse.
  }];
}

def CopiesToLinalg : Pass<"vm-copies-to-linalg"> {
  let summary = "Rewrite memref.copy as linalg.copy";
  let description = [{
    `finalize-memref-to-llvm` turns a copy between non-contiguous memrefs
    into a call to `memrefCopy` from MLIR's C runner library, which the
    vmgpu runtime does not ship. As `linalg.copy`, the copy becomes loops
    like every other linalg op.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def FuseElementwise : Pass<"vm-fuse-elementwise"> {
  let summary = "Fuse elementwise linalg ops in time linear in the block's size";
  let description = [{
    Upstream's `linalg-fuse-elementwise-ops` (same patterns, same one-use
    rule), with two changes that keep compile time near-linear in the
    number of ops (issue 13, M4):
    - producers are fused in rounds, each op taking part in at most one
      fusion per round: chains merge pairwise, so a body is copied
      O(log n) times. The greedy driver fused one op at a time into a
      growing body, copying O(n^2) ops for a chain (4,000 ops: 45 s);
    - a fused body holds at most `max-body-ops` ops, so that a chain of
      any length becomes kernels of bounded size (fewer, larger kernels
      cost less to compile: measured on a 10,000-op chain, 1,024 ops per
      body compiled fastest).
    A `linalg.broadcast` read only by a `linalg.generic` is generalized
    first, so that it fuses into its reader (which then reads the source at
    the broadcast's map instead of a materialized buffer).
    Then every `tensor.empty` becomes a `bufferization.alloc_tensor`: CSE
    would otherwise merge the identical inits of a long chain into one
    tensor that hundreds of ops write, which makes one-shot bufferization's
    conflict analysis superlinear (625 fused ops of one shape: 56 s).
  }];
  let options = [
    Option<"maxBodyOps", "max-body-ops", "int64_t", /*default=*/"1024",
           "Largest fused body, in ops, that fusion may create">
  ];
  let dependentDialects = ["mlir::affine::AffineDialect",
                           "mlir::bufferization::BufferizationDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

def OutlineShapeChecks : Pass<"vm-outline-shape-checks", "mlir::ModuleOp"> {
  let summary = "Move run-time shape checks into their own entry point";
  let description = [{
    For every public function `f` holding `cf.assert` ops (the shape checks
    of `vm-to-linalg`), creates `__vmgpu_check_f`: the same arguments, an
    `i32` result that is 0 when every check holds and otherwise 1 + the
    index of the first one that fails, and only the shape arithmetic the
    checks need. The asserts are removed from `f`, and their messages are
    kept, in order, in the module attribute `vmgpu.shape_checks.f`. The
    runtime calls the check first and turns a failure into an error that
    quotes the message, so bad input shapes never reach the kernels (where
    they would read out of bounds).
  }];
  let dependentDialects = ["mlir::arith::ArithDialect"];
}

def SplitFullReductions : Pass<"vm-split-full-reductions", "mlir::func::FuncOp"> {
  let summary = "Reduce to a single value in two parallel stages";
  let description = [{
    A linalg op whose loops are all reductions into a 0-d buffer (a
    `vm.reduce` over every dim, `vm.dot`, the max and sum of a 1-D
    softmax) has no parallel dim, so on the GPU it would run in one thread.
    Such an op of at least 4096 elements (or of a size known only at run
    time) is rewritten, on buffers, into:
    - a buffer of P partial results (P = 16384 for a run-time size, else a
      power of two near the square root of the size, in [64, 16384]), each
      starting as the accumulator's initial value (the reduction's
      identity);
    - stage 1: partial p reduces elements p, p + P, p + 2P, ... (parallel
      over p: neighbouring threads read neighbouring elements);
    - the tail (the last size mod P elements) reduced into the accumulator;
    - stage 2: the partials combined into the accumulator in order, with
      the body's combining part (the ops that depend on the accumulator).
    P depends only on the static size, so a block always reduces in the
    same order: results are deterministic. Stage 2 is split again when it
    is large enough. Inputs must be contiguous buffers indexed by every
    loop (collapsed to one dim) or 0-d values; bodies whose combining part
    cannot be separated from the element's contribution are left alone.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::memref::MemRefDialect",
  ];
}

def ParallelDimsOutermost : Pass<"vm-parallel-dims-outermost", "mlir::func::FuncOp"> {
  let summary = "Order every linalg op's loops with its parallel dims first";
  let description = [{
    Rewrites each linalg op whose iterators are not already all parallel
    dims followed by all reduction dims into a `linalg.generic` with its
    loops interchanged that way (named ops are generalized first). The
    relative order of the parallel dims is kept, so the innermost parallel
    dim stays the fastest-varying one. `convert-linalg-to-parallel-loops`
    then gives one outermost `scf.parallel` with the reductions as
    sequential loops inside it, which `vm-parallel-loops-to-gpu` launches
    as one kernel: a column reduction can no longer become a host loop
    around launches.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def ParallelLoopsToGpu : Pass<"vm-parallel-loops-to-gpu", "mlir::func::FuncOp"> {
  let summary = "Launch each outermost scf.parallel as a 1-D GPU grid";
  let description = [{
    Linearizes the iteration space of every outermost `scf.parallel`
    (without reductions) and launches it with `gpu.launch`: one thread per
    iteration, `block-size` threads per block, as many blocks as needed (at
    least one, so that host code never branches around a launch). Each
    thread delinearizes its id into the loop's induction variables and
    runs the body when it is in range. Sequential loops inside the body
    (the reduction dims) stay sequential in each thread, so results do not
    depend on the launch shape. Dynamic trip counts are supported.
    Whatever is not mapped here is left to `vm-sequential-work-to-gpu`.
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256",
           "Threads per block">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::gpu::GPUDialect",
    "mlir::scf::SCFDialect",
  ];
}

def SequentialWorkToGpu : Pass<"vm-sequential-work-to-gpu", "mlir::func::FuncOp"> {
  let summary = "Run the block work left on the host in one-thread kernels";
  let description = [{
    After `vm-parallel-loops-to-gpu`, the only work left in host code is
    what has no parallel dim: full reductions (sequential `scf.for` nests),
    0-d ops (a lone `memref.load`/`memref.store`) and loops that carry
    values. Host code must not touch device buffers, so each maximal run of
    such ops at the top level of a function is moved into a `gpu.launch`
    of one block of one thread: the same sequential order as on the CPU,
    at single-thread speed. Buffer management (`memref.alloc`/`dealloc`,
    metadata), index arithmetic, launches and copies stay on the host. A
    run whose results are used on the host after it cannot be moved: the
    pass fails with an error naming the op.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::gpu::GPUDialect",
  ];
}

def VerifyHostCode : Pass<"vm-verify-host-code", "mlir::ModuleOp"> {
  let summary = "Check that GPU host code only manages buffers and launches";
  let description = [{
    Run after `gpu-kernel-outlining`. Fails (an internal compiler error, so
    the engine runs the block on the CPU instead) when a host function
    outside the `gpu.module`s
    - launches a kernel inside a loop (`LoopLikeOpInterface`, or a block
      that is its own successor): a launch per iteration, each with its
      own argument array on the stack;
    - reads or writes memref contents: a memory effect on a memref value
      other than allocating or freeing it, except on host stack memory
      (`memref.alloca`) and in `gpu.memcpy`, which the driver performs;
    - holds an op the check does not know to be free of such effects.
    This keeps block data on the device, so buffers may live in device
    memory the host cannot address.
  }];
}

def CorrectlyRoundedSqrt : Pass<"vm-nvvm-correctly-rounded-sqrt"> {
  let summary = "Lower f32 math.sqrt to the IEEE sqrt.rn.f32 on NVVM";
  let description = [{
    `convert-gpu-to-nvvm` turns f32 `math.sqrt` into libdevice's
    `__nv_sqrtf`, which with the default reflect settings is
    `sqrt.approx.f32`. The vm contract needs the correctly rounded square
    root, so f32 `math.sqrt` becomes a call of `llvm.nvvm.sqrt.rn.f` (f64
    sqrt is always correctly rounded and is left alone). Run it on
    `gpu.module` ops before `convert-gpu-to-nvvm`.
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

def RocdlMathToDeviceLibrary
    : Pass<"vm-rocdl-math-to-device-library", "mlir::gpu::GPUModuleOp"> {
  let summary = "Lower math ops to the ROCm device library's functions";
  let description = [{
    MLIR 22.1.8's `convert-gpu-to-rocdl` turns `math.tanh`, `math.acos`,
    `math.asin`, `math.atan`, `math.sinh`, `math.cosh`, `math.tan` (and
    others) into LLVM intrinsics such as `llvm.intr.tanh`, which LLVM's
    AMDGPU backend cannot select ("no libcall available for ftanh"), so
    kernels with them failed to compile for ROCm. This pass applies
    upstream's MathToROCDL patterns first, on the `gpu.module` alone (the
    upstream `convert-math-to-rocdl` pass runs on `builtin.module`, which
    would reach host code): every math op with a device-library function
    (`__ocml_*`, linked like the others, vectors one call per lane) calls
    it; every other op is left to `convert-gpu-to-rocdl`. Run it before
    `convert-gpu-to-rocdl`.
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"gfx942\"",
           "AMDGPU chip; some library functions depend on it">,
  ];
  let dependentDialects = ["mlir::LLVM::LLVMDialect",
                           "mlir::vector::VectorDialect"];
}

def DeviceConstants : Pass<"vm-device-constants", "mlir::ModuleOp"> {
  let summary = "Read constants through device copies uploaded once per loaded block";
  let description = [{
    Bufferized constants are `memref.global`s in the host binary, which a
    GPU kernel cannot read. This pass replaces each `memref.get_global` in
    host code with the device copy the runtime keeps for the loaded block:
    a call of `vmgpuDeviceConstant(host address, bytes)` (a runtime host
    call beside the `mgpu*` ones, runtime/GpuHostCalls.cpp) whose pointer
    becomes a descriptor of the global's type. The runtime uploads each
    global once per loaded executable and frees the copy with it; the block
    never frees it. Run it after buffer deallocation (which treats the
    global as a buffer the block does not own: a returned constant is
    cloned) and after the memory bound is outlined (the upload is not
    memory of a run); the memory-bound functions are left alone.
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect", "mlir::func::FuncDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::memref::MemRefDialect"];
}

def OutlineMemoryBound : Pass<"vm-outline-memory-bound", "mlir::ModuleOp"> {
  let summary = "Compute a block's memory need in its own entry point";
  let description = [{
    Run on buffers, after deallocation. For every public function `f`
    (other than the shape checks), creates `__vmgpu_memory_f`: the same
    arguments and an `i64` result, the number of bytes that `f` and the
    runtime's copies of its results need at most: for each `memref.alloc`
    in `f`, its size plus a fixed overhead (alignment and the runtime's
    bookkeeping), and the size of each result (the runtime copies results
    out while the block's buffers are still live). It is an upper bound of
    the peak: every buffer counts as if all were live at once. The
    arithmetic is unsigned and saturates: a size that does not fit in 64
    bits gives UINT64_MAX. The function only does shape arithmetic on the
    arguments' dims (it never touches their data), so the runtime calls it,
    after the shape check, to refuse a run that would not fit in memory.

    vm blocks have no control flow, so every allocation runs once: an
    allocation nested in a region, an allocation op other than
    `memref.alloc`, a `memref.alloca` with a run-time size, a call of a
    function that allocates, or a size that depends on something other than
    the arguments is an error.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect"];
}

def CountLateAllocations
    : Pass<"vm-count-late-allocations", "mlir::ModuleOp"> {
  let summary = "Add the allocations made after the memory bound to it";
  let description = [{
    Run after the code generation strategies. The buffers a strategy
    allocates after vm-outline-memory-bound (the partials of two-stage,
    column and CPU reductions) carry `vmgpu.late_allocation`; for each
    function with a memory bound that has some, their bytes and overhead,
    computed from the function's arguments as vm-outline-memory-bound
    computes its own, are added to `__vmgpu_memory_f` (saturating). The
    marks are then removed everywhere (a private function has no bound: it
    is never called). A marked allocation nested in a region, a missing
    `__vmgpu_memory_f`, or a size that depends on anything but the
    arguments' shapes is an error.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect"];
}

def CpuAllocationHooks : Pass<"vm-cpu-allocation-hooks", "mlir::ModuleOp"> {
  let summary = "Make CPU blocks allocate through functions the runtime sets";
  let description = [{
    Run on the LLVM dialect of a CPU block lowered with generic allocation
    functions. Each call of `_mlir_memref_to_llvm_alloc` / `_free` becomes
    an indirect call through the pointer held by the block's global
    `__vmgpu_cpu_alloc_hook` / `__vmgpu_cpu_free_hook`, which the runtime
    sets when it loads the block. The runtime's allocator never returns
    null: when memory runs out, it ends the run (and frees what the run
    allocated) instead of letting the block write through a null pointer.
    Blocks then need nothing from the process that loads them to allocate.
    Calls of the CPU's library GEMM (`vmgpuCpuGemm`, from
    vm-cpu-lower-contractions-to-library) likewise go through the global
    `__vmgpu_cpu_gemm_hook`, made only for blocks that have them.

    Fails when an allocation, a free or a GEMM plan call (the one that may
    end the run) is not at the top level of its function (inside an OpenMP
    region it would run on a worker thread, where the run cannot be ended),
    or when an `llvm.alloca` has a size that is not a constant (a stack
    allocation sized by the input).
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

#endif // VMGPU_TRANSFORMS_PASSES
