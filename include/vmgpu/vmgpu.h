//===- vmgpu.h - C API: compile vm IR, run blocks with fallback ---*- C -*-===//
//
// The interface a JIT written in any language uses: create an engine, hand it
// a block of vm IR as text, run the compiled block on host tensors, read the
// metrics. Pure C (C99 and later, and C++): opaque handles, status codes and
// error objects; no C++ types cross it. See docs/c-api.md.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_VMGPU_H
#define VMGPU_VMGPU_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define VMGPU_EXPORT __attribute__((visibility("default")))
#else
#define VMGPU_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

//===----------------------------------------------------------------------===
// Conventions
//===----------------------------------------------------------------------===
//
// Ownership. A function named `..._create` (or a `vmgpu_engine_compile` /
// `vmgpu_engine_run` out-parameter) gives the caller a new object, which the
// caller owns and releases with the matching `..._destroy`. Every destroy
// function accepts NULL. Strings returned as `const char *` belong to the
// object they were read from and stay valid until it is destroyed; strings
// returned as `char *` belong to the caller (`vmgpu_string_destroy`). Input
// buffers passed in (IR text, tensor data, shapes) are copied before the
// call returns; the caller may reuse them at once.
//
// Errors. Every function that can fail returns a `vmgpu_status_t`
// (VMGPU_STATUS_OK is 0) and takes a last parameter `vmgpu_error_t **error`.
// When `error` is not NULL, `*error` is always written: NULL on success, a
// new error object (code, message, compiler diagnostics) on failure, owned by
// the caller. Pass NULL to get the code alone. Errors are per call, not a
// thread-local "last error", so they work from languages whose threads
// migrate (goroutines, async runtimes). No function throws, aborts or
// crashes on bad input: NULL handles, unknown element types, bad shapes and
// mismatched inputs are VMGPU_STATUS_INVALID_ARGUMENT with a message.
//
// Thread-safety. An engine may be used from any number of threads at once:
// compile, run and the metrics functions are thread-safe, and blocks are
// immutable, so one block may be run by several threads concurrently.
// Tensors and error objects are not synchronized: concurrent reads are
// fine (the same input tensor may feed several concurrent runs), a write
// needs exclusive access. Destroying an object while another thread uses it
// is a caller bug.
//
// ABI growth. Option structs start with `struct_size`, which the caller sets to
// `sizeof` the struct it was compiled with (the `..._init` functions do this,
// inline in the caller). The library accepts the size of every published
// version of the struct and reads only that version's fields, so old callers
// keep working with new libraries; a larger size (a newer header, a multiple
// of the struct's alignment, at most 4096) is accepted while the bytes the
// library does not know are zero, so new callers get
// VMGPU_STATUS_UNIMPLEMENTED from old libraries only when they set a field the
// library does not know. Any other size (one that ends inside a field) is
// VMGPU_STATUS_INVALID_ARGUMENT.

/// The release this header belongs to, MAJOR.MINOR.PATCH. The shared
/// library's SONAME carries the major number (libvmgpu.so.0): a major
/// release may remove or change exported functions, a minor one only adds.
/// CMake reads the project version from these lines.
#define VMGPU_VERSION_MAJOR 0
#define VMGPU_VERSION_MINOR 1
#define VMGPU_VERSION_PATCH 0

/// The version of this header's API. Incremented when functions or fields
/// are added; existing ones never change meaning.
#define VMGPU_API_VERSION 4

/// The largest rank a tensor created through this API may have.
#define VMGPU_MAX_RANK 64

//===----------------------------------------------------------------------===
// Status codes and errors
//===----------------------------------------------------------------------===

/// A status code: one of the VMGPU_STATUS_* values, which mirror the
/// runtime's `vmgpu::runtime::StatusCode` (stable numbers).
typedef int32_t vmgpu_status_t;

enum {
  VMGPU_STATUS_OK = 0,
  VMGPU_STATUS_CANCELLED = 1,
  /// Bad input from the caller: NULL handles, unknown element types, a shape
  /// that does not match the data, IR that does not parse or verify, inputs
  /// the block rejects.
  VMGPU_STATUS_INVALID_ARGUMENT = 2,
  VMGPU_STATUS_NOT_FOUND = 3,
  VMGPU_STATUS_ALREADY_EXISTS = 4,
  VMGPU_STATUS_PERMISSION_DENIED = 5,
  /// A bound exceeded: a tensor larger than the runtime allows (1 TiB), a
  /// size that overflows, a program larger than 64 MiB. The message gives
  /// the size and the bound.
  VMGPU_STATUS_RESOURCE_EXHAUSTED = 6,
  VMGPU_STATUS_FAILED_PRECONDITION = 7,
  VMGPU_STATUS_ABORTED = 8,
  VMGPU_STATUS_OUT_OF_RANGE = 9,
  /// A feature this library does not have (e.g. an option field it does not
  /// know, set by a caller built against a newer header).
  VMGPU_STATUS_UNIMPLEMENTED = 10,
  VMGPU_STATUS_INTERNAL = 11,
  /// The selected GPU is missing or failed and fallback to the CPU is off.
  VMGPU_STATUS_UNAVAILABLE = 12,
  VMGPU_STATUS_DATA_LOSS = 13,
  VMGPU_STATUS_DEADLINE_EXCEEDED = 14,
  /// An allocation failed (host or device memory); the message gives the
  /// size.
  VMGPU_STATUS_OUT_OF_MEMORY = 15,
};

/// The code's name ("OK", "INVALID_ARGUMENT", ...); "UNKNOWN" for a value
/// outside the list. Returns a static string. Thread-safe.
VMGPU_EXPORT const char *vmgpu_status_get_name(vmgpu_status_t status);

/// The details of a failed call. Owned by the caller, who releases it with
/// vmgpu_error_destroy. Not synchronized (read it from one thread at a time,
/// or from several without writing).
typedef struct vmgpu_error_t vmgpu_error_t;

/// The error's code (never VMGPU_STATUS_OK); VMGPU_STATUS_INVALID_ARGUMENT
/// for a NULL error.
VMGPU_EXPORT vmgpu_status_t vmgpu_error_get_status(const vmgpu_error_t *error);

/// A one-line description of what went wrong, e.g. `input #0 has type
/// tensor<4xf32> but the function expects tensor<8xf32> (dimension 0
/// differs)`. Owned by `error`; "" for a NULL error.
VMGPU_EXPORT const char *vmgpu_error_get_message(const vmgpu_error_t *error);

/// The compiler's diagnostics for a failed compile, in MLIR's
/// `<ir>:LINE:COL: error: ...` form (several lines, each ending in a
/// newline); "" for errors that have none. Owned by `error`.
VMGPU_EXPORT const char *
vmgpu_error_get_diagnostics(const vmgpu_error_t *error);

/// Releases `error`. NULL is a no-op.
VMGPU_EXPORT void vmgpu_error_destroy(vmgpu_error_t *error);

/// Releases a string the library handed to the caller as `char *`. NULL is
/// a no-op.
VMGPU_EXPORT void vmgpu_string_destroy(char *string);

//===----------------------------------------------------------------------===
// Version
//===----------------------------------------------------------------------===

/// The library's version, "MAJOR.MINOR.PATCH": the VMGPU_VERSION_* numbers
/// it was built with. A caller may check that the library it loaded has its
/// header's major number and at least its minor number. Static string.
/// Thread-safe.
VMGPU_EXPORT const char *vmgpu_get_version(void);

/// The VMGPU_API_VERSION the library was built with; a caller may compare it
/// with its own to detect an older library. Thread-safe.
VMGPU_EXPORT int32_t vmgpu_get_api_version(void);

//===----------------------------------------------------------------------===
// Element types
//===----------------------------------------------------------------------===

/// An element type: one of the VMGPU_ELEMENT_TYPE_* values, which mirror the
/// runtime's `vmgpu::runtime::ElementType` (stable numbers). Integers are
/// signless.
typedef int32_t vmgpu_element_type_t;

enum {
  /// Returned by accessors given a NULL handle; never valid as input.
  VMGPU_ELEMENT_TYPE_INVALID = -1,
  /// Booleans (masks): one byte per element holding 0 or 1.
  VMGPU_ELEMENT_TYPE_I1 = 0,
  VMGPU_ELEMENT_TYPE_I8 = 1,
  VMGPU_ELEMENT_TYPE_I16 = 2,
  VMGPU_ELEMENT_TYPE_I32 = 3,
  VMGPU_ELEMENT_TYPE_I64 = 4,
  /// IEEE half, stored as its 16 bits.
  VMGPU_ELEMENT_TYPE_F16 = 5,
  /// bfloat16, stored as its 16 bits.
  VMGPU_ELEMENT_TYPE_BF16 = 6,
  VMGPU_ELEMENT_TYPE_F32 = 7,
  VMGPU_ELEMENT_TYPE_F64 = 8,
};

/// The type's MLIR spelling ("i1", "i32", "bf16", "f64"); NULL for a value
/// that is not an element type. Static string. Thread-safe.
VMGPU_EXPORT const char *vmgpu_element_type_get_name(vmgpu_element_type_t type);

/// Bytes per element in memory (1 for i1); 0 for a value that is not an
/// element type. Thread-safe.
VMGPU_EXPORT size_t vmgpu_element_type_get_size(vmgpu_element_type_t type);

/// Parses an MLIR spelling ("f32") into `*out_type`. INVALID_ARGUMENT for
/// anything else (including NULL). Thread-safe.
VMGPU_EXPORT vmgpu_status_t vmgpu_element_type_parse(
    const char *name, vmgpu_element_type_t *out_type, vmgpu_error_t **error);

//===----------------------------------------------------------------------===
// Tensors
//===----------------------------------------------------------------------===

/// A dense, row-major tensor in host memory that owns its buffer (aligned to
/// 64 bytes). Inputs and results of blocks. Owned by the caller
/// (vmgpu_tensor_destroy); not synchronized: concurrent reads are fine, a
/// write to its data needs exclusive access.
typedef struct vmgpu_tensor_t vmgpu_tensor_t;

/// Creates a tensor of `type` and shape `shape[0..rank)` (rank 0 is a
/// scalar; `shape` may be NULL then) and copies its contents from `data`,
/// which must hold exactly `data_size` = elements * element size bytes, row
/// major. With `data` NULL (and `data_size` 0) the tensor is zero-filled. For
/// i1, every nonzero byte is stored as 1. The caller owns `*out_tensor`.
/// INVALID_ARGUMENT for an unknown type, a negative dimension, a rank above
/// VMGPU_MAX_RANK, a NULL `shape` with rank > 0 or a `data_size` that does
/// not match; RESOURCE_EXHAUSTED for sizes that overflow or exceed 1 TiB;
/// OUT_OF_MEMORY when allocation fails. Thread-safe.
VMGPU_EXPORT vmgpu_status_t vmgpu_tensor_create(vmgpu_element_type_t type,
                                                const int64_t *shape,
                                                size_t rank, const void *data,
                                                size_t data_size,
                                                vmgpu_tensor_t **out_tensor,
                                                vmgpu_error_t **error);

/// Releases `tensor` and its buffer. NULL is a no-op.
VMGPU_EXPORT void vmgpu_tensor_destroy(vmgpu_tensor_t *tensor);

/// The element type; VMGPU_ELEMENT_TYPE_INVALID for NULL.
VMGPU_EXPORT vmgpu_element_type_t
vmgpu_tensor_get_element_type(const vmgpu_tensor_t *tensor);

/// The rank; 0 for NULL.
VMGPU_EXPORT size_t vmgpu_tensor_get_rank(const vmgpu_tensor_t *tensor);

/// Dimension `index`; -1 for NULL or an index >= rank.
VMGPU_EXPORT int64_t vmgpu_tensor_get_dim(const vmgpu_tensor_t *tensor,
                                          size_t index);

/// The product of the dimensions (1 for rank 0); 0 for NULL.
VMGPU_EXPORT int64_t
vmgpu_tensor_get_num_elements(const vmgpu_tensor_t *tensor);

/// The size of the data in bytes (elements * element size); 0 for NULL.
VMGPU_EXPORT size_t vmgpu_tensor_get_byte_size(const vmgpu_tensor_t *tensor);

/// The data, row major (never NULL for a tensor, even an empty one; NULL for
/// a NULL tensor). Owned by `tensor`, valid until it is destroyed.
VMGPU_EXPORT const void *vmgpu_tensor_get_data(const vmgpu_tensor_t *tensor);

/// The data, for writing (e.g. to refill an input between runs). Owned by
/// `tensor`; do not write it while a run reads the tensor. For i1, store only
/// 0 or 1.
VMGPU_EXPORT void *vmgpu_tensor_get_mutable_data(vmgpu_tensor_t *tensor);

//===----------------------------------------------------------------------===
// Engines
//===----------------------------------------------------------------------===

/// Compiles blocks (through the kernel cache, as the engine has it) and runs
/// them on the selected device, falling back to the CPU, and counts
/// everything in its metrics. Owned by the caller (vmgpu_engine_destroy).
/// Thread-safe: any number of threads may compile and run through one
/// engine at once.
typedef struct vmgpu_engine_t vmgpu_engine_t;

/// Options for vmgpu_engine_create. Initialize with
/// vmgpu_engine_options_init, then set fields.
typedef struct vmgpu_engine_options_t {
  /// sizeof(vmgpu_engine_options_t) as the caller was compiled.
  size_t struct_size;
  /// "cpu", "cuda", "cuda:N", "rocm", "rocm:N" or "auto"; NULL means
  /// $VMGPU_DEVICE when it is set, else "auto". Copied by create.
  const char *device;
  /// Nonzero (the default): run on the CPU when the selected GPU is
  /// missing, refuses the block or fails. Zero: those are errors
  /// (VMGPU_STATUS_UNAVAILABLE).
  int32_t allow_fallback;
  /// LLVM optimization level of generated code, 0-3 (default 3).
  int32_t opt_level;
  /// Nonzero (the default): CPU blocks run parallel loops on all cores.
  int32_t parallel;
  /// (VMGPU_API_VERSION 3) How CUDA builds lower contractions: "generated"
  /// kernels, cuBLASLt calls ("library"), or the cost model ("auto"); NULL
  /// means $VMGPU_CONTRACTION_STRATEGY when it is set, else "auto". Copied
  /// by create.
  const char *contraction_strategy;
  /// (VMGPU_API_VERSION 3) The directory of the kernel cache's disk level,
  /// which every process that names it shares; "" turns the level off for
  /// this engine; NULL means $VMGPU_CACHE_DIR, else $XDG_CACHE_HOME/vmgpu,
  /// else ~/.cache/vmgpu. $VMGPU_DISK_CACHE=0 turns it off whatever this
  /// says. Copied by create.
  const char *cache_directory;
  /// (VMGPU_API_VERSION 3) Nonzero (the default): the engine keeps the
  /// blocks it compiled in memory (bounded by the size of their binaries)
  /// and answers a later compile of the same IR from there. Zero: every
  /// compile goes to the disk level (or the compiler).
  int32_t memory_cache;
  /// (VMGPU_API_VERSION 4) 1: GPU blocks run again with the same shapes
  /// launch their kernels as one graph (docs/runtime.md, "Graphs"; safe
  /// only when no other thread of the process waits for the whole device
  /// meanwhile); 0: plain launches; -1 (the default): $VMGPU_GPU_GRAPHS,
  /// else 0. 64 bits wide so that it starts after version 3's struct,
  /// whose trailing padding a caller may leave unset.
  int64_t gpu_graphs;
} vmgpu_engine_options_t;

/// Sets `options` to the defaults and `struct_size` to the size this header
/// declares. Inline, so that the size is the caller's even when the library
/// is newer. NULL is a no-op.
static inline void vmgpu_engine_options_init(vmgpu_engine_options_t *options) {
  if (!options)
    return;
  options->struct_size = sizeof(vmgpu_engine_options_t);
  options->device = NULL;
  options->allow_fallback = 1;
  options->opt_level = 3;
  options->parallel = 1;
  options->contraction_strategy = NULL;
  options->cache_directory = NULL;
  options->memory_cache = 1;
  options->gpu_graphs = -1;
}

/// Creates an engine. `options` may be NULL for the defaults. The caller owns
/// `*out_engine`. INVALID_ARGUMENT for an unknown device spelling or
/// contraction strategy, an opt_level outside 0-3 or a struct_size that is
/// not the size of a published version (on 64-bit targets 32 bytes for
/// VMGPU_API_VERSION 1 and 2, 56 for version 3, 64 from version 4), a
/// gpu_graphs other than -1, 0 or 1, nor a newer one's (see "ABI
/// growth" above); UNIMPLEMENTED when the struct is larger than this library
/// knows and a field it does not know is nonzero. A malformed $VMGPU_DEVICE
/// or $VMGPU_CONTRACTION_STRATEGY is reported by every compile. Thread-safe.
VMGPU_EXPORT vmgpu_status_t
vmgpu_engine_create(const vmgpu_engine_options_t *options,
                    vmgpu_engine_t **out_engine, vmgpu_error_t **error);

/// Releases `engine`. Blocks it compiled may be destroyed before or after it
/// (but not run after it). NULL is a no-op. Must not race with other calls
/// on `engine`.
VMGPU_EXPORT void vmgpu_engine_destroy(vmgpu_engine_t *engine);

/// The device the engine targets, as "cpu", "cuda:N", "rocm:N" or "auto".
/// Owned by `engine`; "" for NULL.
VMGPU_EXPORT const char *vmgpu_engine_get_device(const vmgpu_engine_t *engine);

/// The engine's metrics as a JSON object with the stable dotted keys of
/// docs/runtime.md ("executions.cpu", "fallbacks.reasons", ...). The caller
/// owns `*out_json` (vmgpu_string_destroy). Thread-safe; a snapshot taken
/// while other threads run is not one atomic cut.
VMGPU_EXPORT vmgpu_status_t vmgpu_engine_get_metrics_json(
    const vmgpu_engine_t *engine, char **out_json, vmgpu_error_t **error);

//===----------------------------------------------------------------------===
// Blocks: compile and run
//===----------------------------------------------------------------------===

/// A compiled block: one function of vm IR, built for the CPU and, when one
/// was selected and works, for the GPU. Immutable; owned by the caller
/// (vmgpu_block_destroy); may be run by several threads at once.
typedef struct vmgpu_block_t vmgpu_block_t;

/// Parses, verifies and compiles function `entry` (NULL means "main") of the
/// vm IR in `ir[0..ir_length)` (need not be NUL-terminated). The caller owns
/// `*out_block`. Errors: INVALID_ARGUMENT for IR that does not parse or
/// verify, a missing entry or types the runtime cannot pass, with the
/// compiler's diagnostics in the error (vmgpu_error_get_diagnostics, the
/// buffer named `<ir>`); RESOURCE_EXHAUSTED for IR longer than 64 MiB;
/// UNAVAILABLE when fallback is off and the selected GPU cannot take the
/// block. Thread-safe.
VMGPU_EXPORT vmgpu_status_t vmgpu_engine_compile(
    vmgpu_engine_t *engine, const char *ir, size_t ir_length, const char *entry,
    vmgpu_block_t **out_block, vmgpu_error_t **error);

/// Runs `block`, compiled by `engine`, on `inputs[0..num_inputs)` (one
/// tensor per function argument, in order; a scalar argument takes a rank-0
/// tensor). Inputs are only read. `outputs` must have room for exactly
/// vmgpu_block_get_num_results(block) handles: on success each slot receives
/// a new tensor owned by the caller (vmgpu_tensor_destroy each); on failure
/// every slot is set to NULL. Runs on the GPU when the block has a GPU build
/// (and, for "auto", the inputs are large enough), else on the CPU; a GPU
/// failure reruns it on the CPU when fallback is on. INVALID_ARGUMENT for
/// NULL handles, a block from another engine, a wrong input or output count,
/// inputs of the wrong type or shape, or shapes the program's run-time
/// checks reject. Thread-safe.
VMGPU_EXPORT vmgpu_status_t vmgpu_engine_run(
    vmgpu_engine_t *engine, const vmgpu_block_t *block,
    const vmgpu_tensor_t *const *inputs, size_t num_inputs,
    vmgpu_tensor_t **outputs, size_t num_outputs, vmgpu_error_t **error);

/// Releases `block`. NULL is a no-op.
VMGPU_EXPORT void vmgpu_block_destroy(vmgpu_block_t *block);

/// The number of arguments (inputs) of the block's function; 0 for NULL.
VMGPU_EXPORT size_t vmgpu_block_get_num_inputs(const vmgpu_block_t *block);

/// The number of results of the block's function; 0 for NULL.
VMGPU_EXPORT size_t vmgpu_block_get_num_results(const vmgpu_block_t *block);

/// Where the block runs: "cuda:N" or "rocm:N" when it has a GPU build (with "auto", only
/// runs with enough input bytes go there), else "cpu". Owned by `block`; ""
/// for NULL.
VMGPU_EXPORT const char *vmgpu_block_get_device(const vmgpu_block_t *block);

/// Why the block does not run on the GPU that was selected explicitly, e.g.
/// "cuda: no CUDA driver (libcuda.so.1 not found)"; "" when it does, or when
/// the CPU or "auto" was selected. Owned by `block`.
VMGPU_EXPORT const char *
vmgpu_block_get_fallback_reason(const vmgpu_block_t *block);

/// Warnings and remarks the compiler printed for a successful compile
/// (usually ""). Owned by `block`.
VMGPU_EXPORT const char *
vmgpu_block_get_diagnostics(const vmgpu_block_t *block);

//===----------------------------------------------------------------------===
// Device memory, pinned memory and DLPack (VMGPU_API_VERSION 2)
//===----------------------------------------------------------------------===

/// Where `tensor`'s data lives: "cpu" for host memory (pinned memory
/// included), "cuda:N" or "rocm:N" for a device-resident tensor. The data of
/// a device-resident tensor (vmgpu_tensor_get_data, _get_mutable_data) is a
/// device address: pass it to device code, never dereference it on the
/// host. Owned by `tensor` (or static); "" for NULL.
VMGPU_EXPORT const char *vmgpu_tensor_get_device(const vmgpu_tensor_t *tensor);

/// vmgpu_engine_run, except that when the block runs on the GPU its results
/// stay in device memory: device-resident tensors owned by the caller
/// (vmgpu_tensor_destroy gives the memory back to the device's pool), to
/// pass to further runs (used in place: no copy, no wait) or to read with
/// vmgpu_engine_copy_to_host. A block that runs on the CPU returns host
/// tensors. Nothing waits for the device here, so a failure of the block's
/// kernels after they were queued is reported by the next call that waits
/// (a copy to the host, an export). Inputs may be host or device-resident
/// tensors; when the GPU fails, device-resident inputs are copied to the
/// host and the block reruns on the CPU (a fallback in the metrics).
/// Errors as vmgpu_engine_run. Thread-safe.
VMGPU_EXPORT vmgpu_status_t vmgpu_engine_run_device_resident(
    vmgpu_engine_t *engine, const vmgpu_block_t *block,
    const vmgpu_tensor_t *const *inputs, size_t num_inputs,
    vmgpu_tensor_t **outputs, size_t num_outputs, vmgpu_error_t **error);

/// A device-resident copy of `tensor` on the engine's GPU ("cuda:N",
/// "rocm:N"; "auto" means cuda:0), owned by the caller. UNAVAILABLE when the
/// engine targets the CPU or the device is missing. Thread-safe.
VMGPU_EXPORT vmgpu_status_t vmgpu_engine_copy_to_device(
    vmgpu_engine_t *engine, const vmgpu_tensor_t *tensor,
    vmgpu_tensor_t **out_tensor, vmgpu_error_t **error);

/// A host copy of `tensor` (device-resident or not), owned by the caller.
/// Waits for the work that computes it and reports that work's failure.
/// Thread-safe.
VMGPU_EXPORT vmgpu_status_t
vmgpu_engine_copy_to_host(vmgpu_engine_t *engine, const vmgpu_tensor_t *tensor,
                          vmgpu_tensor_t **out_tensor, vmgpu_error_t **error);

/// A zero-filled host tensor in page-locked memory of the engine's GPU, so
/// that copies to and from the device run at link speed (the runtime copies
/// other host tensors through a staging buffer); a plain host tensor when
/// the engine has no GPU. Owned by the caller; its data is host memory.
/// Arguments and errors as vmgpu_tensor_create without data. Thread-safe.
VMGPU_EXPORT vmgpu_status_t vmgpu_engine_create_pinned_tensor(
    vmgpu_engine_t *engine, vmgpu_element_type_t type, const int64_t *shape,
    size_t rank, vmgpu_tensor_t **out_tensor, vmgpu_error_t **error);

/// DLPack's managed tensor (dlpack/dlpack.h, version 0.6 layout).
struct DLManagedTensor;

/// Hands `tensor` to a DLPack consumer without a copy. On success `tensor`
/// is consumed (do not destroy it) and `*out_managed` owns its data: the
/// consumer calls its `deleter` once. Host tensors travel as kDLCPU,
/// device-resident ones as kDLCUDA / kDLROCM with the ordinal (after a wait
/// for the device, so the data is complete). Compact row major (strides
/// NULL). i1 travels as 8-bit unsigned (0 or 1): DLPack 0.6 has no bool. On
/// failure `tensor` stays the caller's. Thread-safe.
VMGPU_EXPORT vmgpu_status_t vmgpu_tensor_export_dlpack(
    vmgpu_tensor_t *tensor, struct DLManagedTensor **out_managed,
    vmgpu_error_t **error);

/// Takes `managed` over as a tensor owned by the caller: its deleter runs
/// when the tensor is destroyed, or before this returns when the data had
/// to be copied (not 64-byte aligned) or on any error. Zero copy otherwise.
/// `type` VMGPU_ELEMENT_TYPE_INVALID takes the type from the dtype (unsigned
/// integers become the signless type of their width); VMGPU_ELEMENT_TYPE_I1
/// reads 8-bit unsigned data (0 or 1) as i1. kDLCPU, kDLCUDAHost,
/// kDLROCMHost and kDLCUDAManaged data is host memory; kDLCUDA / kDLROCM
/// data is device-resident on that device, and the producer's work on it
/// must be complete. INVALID_ARGUMENT for a NULL or malformed tensor,
/// strided data, a dtype vmgpu lacks or a `type` whose bits differ;
/// UNIMPLEMENTED for other devices; UNAVAILABLE when the device is missing.
/// Thread-safe.
VMGPU_EXPORT vmgpu_status_t vmgpu_tensor_import_dlpack(
    struct DLManagedTensor *managed, vmgpu_element_type_t type,
    vmgpu_tensor_t **out_tensor, vmgpu_error_t **error);

//===----------------------------------------------------------------------===
// Compile options and devices (VMGPU_API_VERSION 3)
//===----------------------------------------------------------------------===

/// Options for vmgpu_engine_compile_with_options. Initialize with
/// vmgpu_compile_options_init, then set fields.
typedef struct vmgpu_compile_options_t {
  /// sizeof(vmgpu_compile_options_t) as the caller was compiled.
  size_t struct_size;
  /// The function to compile; NULL means "main". Copied.
  const char *entry;
  /// The name the IR goes by in diagnostics (`NAME:LINE:COL: error: ...`)
  /// and in the messages of the block's run-time shape checks (`'vm.slice'
  /// at NAME:23:12: ...`), e.g. the file the IR came from; NULL means
  /// "<ir>". Copied.
  const char *source_name;
} vmgpu_compile_options_t;

/// Sets `options` to the defaults and `struct_size` to the size this header
/// declares. Inline, like vmgpu_engine_options_init. NULL is a no-op.
static inline void
vmgpu_compile_options_init(vmgpu_compile_options_t *options) {
  if (!options)
    return;
  options->struct_size = sizeof(vmgpu_compile_options_t);
  options->entry = NULL;
  options->source_name = NULL;
}

/// vmgpu_engine_compile with options; `options` NULL gives the defaults
/// (vmgpu_engine_compile's behaviour with entry "main"). Errors as
/// vmgpu_engine_compile, plus INVALID_ARGUMENT or UNIMPLEMENTED for a
/// struct_size as vmgpu_engine_create has them (24 bytes for version 3 on
/// 64-bit targets). Thread-safe.
VMGPU_EXPORT vmgpu_status_t vmgpu_engine_compile_with_options(
    vmgpu_engine_t *engine, const char *ir, size_t ir_length,
    const vmgpu_compile_options_t *options, vmgpu_block_t **out_block,
    vmgpu_error_t **error);

/// The GPUs the drivers on this machine report and, for each driver that
/// reports none, why, as JSON: {"devices": [{"kind": "cuda", "ordinal": 0,
/// "name": "NVIDIA H100 80GB HBM3", "architecture": "sm_90",
/// "compute_units": 132, "memory_bytes": 85017493504}], "unavailable":
/// ["rocm: no HIP runtime (...)"]}. `kind:ordinal` is the device's spelling
/// in vmgpu_engine_options_t.device. Loads the drivers on first use (each
/// once per process). The caller owns `*out_json` (vmgpu_string_destroy).
/// Thread-safe.
VMGPU_EXPORT vmgpu_status_t vmgpu_get_devices_json(char **out_json,
                                                   vmgpu_error_t **error);

#ifdef __cplusplus
}
#endif

#endif // VMGPU_VMGPU_H
