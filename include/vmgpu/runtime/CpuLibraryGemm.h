//===- CpuLibraryGemm.h - GEMMs through a BLAS on the CPU -------*- C++ -*-===//
//
// What `vmgpuCpuGemm` (LibraryGemmAbi.h), the call of the CPU's `library`
// contraction strategy, does. The block asks for a plan on its calling
// thread (the problem is checked there; one the BLAS cannot compute ends
// the run). A problem the partition would split into rectangles of one
// matrix along both its rows and its columns is computed by the plan call
// itself: one BLAS call per batch with the library's own threads, as many
// as the machine's cores (the library packs each panel of A and B once and
// shares it between its threads, where each tile packs its own: 4 x 4
// single-threaded tiles ran at 0.79x and 0.91x of such a call's speed at
// 1024^3 and 4096^3 on 16 cores). Otherwise (row or column panels, whole
// matrices per tile, one tile, or a library whose calls do not run on the
// thread count vmgpu gives them) the block computes every tile of the plan from its OpenMP threads;
// each tile is a rectangle of C (and a range of batches) that one
// single-threaded BLAS call per batch computes with the whole K. Row panels
// stay tiles: an im2col convolution's 100352 x 64 x 576 product ran 1.65x
// longer as one threaded call than as 16 row panels on 16 cores.
//
// Determinism: the partition and the library's thread count depend on the
// problem's sizes and on the machine's core count (cpuGemmPartitionCores),
// never on OMP_NUM_THREADS, and each call runs with the thread count its
// plan gave it (CpuBlasCall), so a result has the same bits whatever the
// number of threads and whatever else the process runs (OpenBLAS's bits
// change with its thread count and with the partition of C).
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_CPULIBRARYGEMM_H
#define VMGPU_RUNTIME_CPULIBRARYGEMM_H

#include "vmgpu/runtime/CpuBlas.h"
#include "vmgpu/runtime/GemmProblem.h"
#include "vmgpu/runtime/LibraryGemmAbi.h"

#include <optional>
#include <string>

namespace vmgpu::runtime {

/// The least work (multiply-adds) worth a tile of its own: below it a
/// tile's share of the library's per-call packing costs more than the
/// parallelism gains.
inline constexpr int64_t kCpuGemmMinTileMacs = int64_t(1) << 21;

/// How a problem is split: `batchGroups` ranges of batches, and each matrix
/// of a range into rowPanels x colPanels rectangles of C.
struct CpuGemmTiling {
  int64_t batchGroups = 0, rowPanels = 0, colPanels = 0;
  /// The number of tiles (0 when C is empty).
  int64_t count() const { return batchGroups * rowPanels * colPanels; }
};

/// One tile: batches [batchBegin, batchEnd), rows [rowBegin, rowEnd) and
/// columns [colBegin, colEnd) of C.
struct CpuGemmTile {
  int64_t batchBegin = 0, batchEnd = 0;
  int64_t rowBegin = 0, rowEnd = 0;
  int64_t colBegin = 0, colEnd = 0;
};

/// The partition of a batch x m x n x k problem for `cores` cores: at most
/// one tile per core and per kCpuGemmMinTileMacs of work; whole matrices
/// per tile when there are as many batches as tiles, else rectangles of at
/// least 16 rows and 64 columns, as many as fit and the squarest of those
/// (each tile's call packs its own rows of A and columns of B). No tile when
/// batch, m or n is 0 (k = 0 still writes C).
CpuGemmTiling planCpuGemmTiles(int64_t batch, int64_t m, int64_t n, int64_t k,
                               int64_t cores);

/// Tile `index` (< tiling.count()) of `tiling` over batch x m x n. Panels
/// are balanced; their boundaries fall on multiples of 16 rows or columns
/// where the panels are at least 64 wide.
CpuGemmTile cpuGemmTile(const CpuGemmTiling &tiling, int64_t batch, int64_t m,
                        int64_t n, int64_t index);

/// Whether the plan call computes the problem itself with the library's
/// threads (see the file comment): when `tiling` splits a matrix along both
/// its rows and its columns and the library runs calls on the thread count
/// vmgpu gives it (CpuBlas::canRunThreadedCalls).
bool cpuGemmUsesLibraryThreads(const CpuGemmTiling &tiling,
                               bool libraryRunsThreadedCalls);

/// The cores the partition is made for, and the library's thread count in a
/// threaded call: $VMGPU_CPU_GEMM_CORES when it is a number from 1 to 1024
/// (read once per process: a plan and its tiles must agree), else the
/// machine's online processors, whatever OMP_NUM_THREADS or the process's
/// affinity say (or the count a test set with
/// setCpuGemmPartitionCoresForTesting).
int64_t cpuGemmPartitionCores();

/// $VMGPU_CPU_GEMM_CORES's value as a count from 1 to 1024; nullopt for
/// anything else (then ignored).
std::optional<int64_t> parseCpuGemmCores(const std::string &text);

/// Makes cpuGemmPartitionCores() return `cores` (0: the machine's count
/// again), so that tests see the plans of other machines.
void setCpuGemmPartitionCoresForTesting(int64_t cores);

/// Ok when a BLAS whose integers are `integerBits` wide (32 or 64,
/// CpuBlas::integerBits) can compute `problem`: f32 or f64 (one type), sizes
/// and leading dimensions that fit those integers, and every operand with a
/// contiguous dim (toColumnMajorGemm). Unimplemented (types) or Internal
/// (sizes, strides) otherwise, saying which.
Status checkCpuLibraryGemm(const GemmProblem &problem, int integerBits);

/// Computes `tile` of `problem` with `blas`, one call per batch, with the
/// thread count the caller's CpuBlasCall gave the library. `problem` passed
/// checkCpuLibraryGemm; a tile of such a problem always has a column-major
/// form.
void runCpuGemmTile(const CpuBlas &blas, const GemmProblem &problem,
                    const CpuGemmTile &tile);

/// The function CPU blocks call (stored in their kCpuGemmHookSymbol global).
/// A plan the process's BLAS (CpuBlas::get()) cannot compute, or with no
/// BLAS, ends the current CpuBlockRun with the error.
CpuGemmFunction cpuLibraryGemmFunction();

/// How many library GEMMs CPU blocks of this process have planned.
uint64_t cpuLibraryGemmCalls();

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_CPULIBRARYGEMM_H
