//===- CodegenOps.td - ops of vmgpu's code generation ------*- tablegen -*-===//
//
// Ops that exist only between vmgpu's passes: what the code generation
// layer needs to say that no upstream dialect can. Nothing outside the
// compiler reads or writes them.
//
//===----------------------------------------------------------------------===//

#ifndef CODEGEN_OPS_TD
#define CODEGEN_OPS_TD

include "mlir/IR/OpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Codegen_Dialect : Dialect {
  let name = "vmgpu_codegen";
  let cppNamespace = "::vmgpu::codegen";
  let summary = "Ops between vmgpu's code generation passes";
  let description = [{
    Internal ops of the code generation layer (lib/Codegen), on buffers.
    Linalg has no sort, so a GPU sort is chosen on the `vm` op and carried
    to the kernel builders as `vmgpu_codegen.sort_rows`, an op on buffers
    with declared memory effects that bufferization and buffer
    deallocation leave as it is. The CPU's paired integer contraction
    multiplies pairs of i16 with `vmgpu_codegen.pair_multiply_add`, a pure
    vector op that becomes a target intrinsic only after buffer
    deallocation (which refuses the intrinsic call's unknown effects).
  }];
}

class Codegen_Op<string mnemonic, list<Trait> traits = []>
    : Op<Codegen_Dialect, mnemonic, traits>;

def Codegen_SortRowsOp : Codegen_Op<"sort_rows"> {
  let summary = "The first k elements of each row in the contract's sort order";
  let description = [{
    `input` holds rows of `n` elements (`[rows, n]`, or one row `[n]`);
    `values` and `indices` hold `k` per row (`k <= n`, the same rows). For
    each row, result `j` is element `j` of the row sorted stably by the
    order of `vm.sort` (vmgpu::KeyOrder: NaN above every number, -0 below
    +0, `unsigned_keys` for unsigned integers; `descending` reverses the
    keys but keeps equal keys in position order), and `indices` its
    position in the row. Elements of at most 32 bits, static shapes, at
    least 2 and at most 4096 elements per row (the GPU sorts a row in one
    workgroup's memory).

    ```mlir
    vmgpu_codegen.sort_rows ins(%x : memref<8x100xf32>)
        outs(%v, %i : memref<8x20xf32>, memref<8x20xi64>) {descending}
    ```
  }];
  let arguments = (ins
    Arg<AnyStaticShapeMemRef, "rows to sort", [MemRead]>:$input,
    Arg<AnyStaticShapeMemRef, "the first k elements of each sorted row",
        [MemWrite]>:$values,
    Arg<AnyStaticShapeMemRef, "their positions in the row", [MemWrite]>:$indices,
    UnitAttr:$descending,
    UnitAttr:$unsigned_keys);
  let assemblyFormat = [{
    `ins` `(` $input `:` type($input) `)`
    `outs` `(` $values `,` $indices `:` type($values) `,` type($indices) `)`
    attr-dict
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The longest row.
    static constexpr int64_t kMaxLength = 4096;
    /// Rows, elements per row (n) and results per row (k).
    int64_t getRows();
    int64_t getLength();
    int64_t getKept();
  }];
}

def Codegen_PairMultiplyAddOp
    : Codegen_Op<"pair_multiply_add", [Pure, AllTypesMatch<["lhs", "rhs"]>]> {
  let summary = "Sums of products of adjacent pairs of i16, in i32";
  let description = [{
    `lhs` and `rhs` hold 2N i16 values, the result N i32: element i is
    `sext(lhs[2i]) * sext(rhs[2i]) + sext(lhs[2i+1]) * sext(rhs[2i+1])`,
    wrapping modulo 2^32 (only `(-32768)^2 * 2` wraps). `intrinsic` names
    the LLVM intrinsic that computes it in one instruction on the target
    (x86's pmaddwd: `llvm.x86.avx512.pmaddw.d.512` for N = 16,
    `llvm.x86.avx2.pmadd.wd` for N = 8); vm-cpu-lower-pair-multiply-add
    calls it, or writes the arithmetic out without one.

    ```mlir
    %sums = vmgpu_codegen.pair_multiply_add %a, %b
        {intrinsic = "llvm.x86.avx512.pmaddw.d.512"}
        : vector<32xi16> -> vector<16xi32>
    ```
  }];
  let arguments = (ins VectorOfRankAndType<[1], [I16]>:$lhs,
                       VectorOfRankAndType<[1], [I16]>:$rhs,
                       OptionalAttr<StrAttr>:$intrinsic);
  let results = (outs VectorOfRankAndType<[1], [I32]>:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // CODEGEN_OPS_TD
