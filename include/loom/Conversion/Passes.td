//===- Passes.td - Loom conversion passes -----------------*- tablegen -*-===//

#ifndef LOOM_CONVERSION_PASSES_TD
#define LOOM_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertLoomToLoops : Pass<"convert-loom-to-loops", "func::FuncOp"> {
  let summary = "Lower loom ops to their reference loop nests";
  let description = [{
    Rewrites every loom op into the loops that SPEC.md's math describes, on
    buffers: recurrences step through time one token at a time (no
    chunking), softmaxes take two passes, top-k selects greedily. Operands
    are read through `bufferization.to_buffer` (read only, any layout) and
    results are fresh allocations wrapped by `bufferization.to_tensor`
    (`restrict`), so One-Shot Bufferize finishes the function afterwards.

    All arithmetic is f32; f16 and bf16 data is extended on load and
    truncated on store. Shapes that the verifier could not check statically
    (dynamic B, T, S, N), `cu_seqlens` contents, index ranges and offsets are
    checked at run time with `cf.assert`. Final states without uses are not
    written.

    This is the numeric oracle of the CPU path: slow, simple and obviously
    right; the chunked forms are checked against it.
  }];
  let dependentDialects = [
    "arith::ArithDialect", "bufferization::BufferizationDialect",
    "cf::ControlFlowDialect", "linalg::LinalgDialect", "math::MathDialect",
    "memref::MemRefDialect", "scf::SCFDialect", "tensor::TensorDialect"
  ];
}

def LowerRuntimeChecks : Pass<"loom-lower-runtime-checks", "ModuleOp"> {
  let summary = "Turn cf.assert into calls of the runtime's error handler";
  let description = [{
    Rewrites each `cf.assert %cond, "message"` (in unstructured control flow,
    after `convert-scf-to-cf`) into a branch to a block that calls
    `loom_runtime_error(const char *message)` and ends in `llvm.unreachable`.
    The host that runs the code provides the handler: `loom-run` prints the
    message as an error and exits with code 1, where upstream's lowering
    would abort the process.
  }];
  let dependentDialects = ["LLVM::LLVMDialect", "cf::ControlFlowDialect",
                           "func::FuncDialect"];
}

def ConvertLoomToGPU : Pass<"convert-loom-to-gpu", "ModuleOp"> {
  let summary = "Generate fused GPU kernels for loom ops and a host launch plan";
  let description = [{
    Rewrites each function whose body is loom ops into a launch plan on
    buffers: the function takes its arguments and then one buffer per result
    as memrefs, checks the run-time shape relations with `cf.assert`, states
    each dynamic result extent as an asserted equality, and launches one
    kernel per op with `gpu.launch_func`. The kernels are generated into
    `gpu.module @loom_kernels` at the level of PTX's warp instructions
    (`nvvm.ldmatrix`, `nvvm.mma.sync`, `nvvm.cp.async`) plus `gpu`, `scf`,
    `arith` and `llvm` ops, specialized to the op's static head dims,
    dtypes and optional operands.

    `loom.linear_attention` with no, a scalar or a per-key decay, with or
    without `beta` (the delta rule's per-chunk triangular inverses are
    solved by a parallel pass into the call's workspace and read by the
    chunk loop, or inline in it), with or
    without `cu_seqlens`, and `loom.ssd` become one fused chunked kernel per
    (sequence, head, value tile): the K x V state stays in registers across
    chunks and no per-chunk state reaches HBM. When B * H leaves the GPU
    idle, the additive forms and ssd split long sequences into segments
    (two passes around a combine of the segments' states, in the call's
    workspace). `loom.selective_scan` runs a
    warp per (batch, channel) that walks chunks of L with a shuffle scan over
    its lanes (the N carries in shared memory), in a 16-byte-vector variant
    chosen at launch when L is a multiple of 8; `loom.causal_conv1d` streams
    each channel's timesteps with the W - 1 previous inputs in registers.
    The linear-attention forms the chunk kernel does not take (f32 inputs,
    KDA, other head dims, GLA short of shared memory) run a token-by-token
    kernel instead. Other ops and forms are reported as not yet supported
    on the GPU, naming the op and the nearest supported configuration.

    The host plan is what a bundle's manifest serializes (docs/bundle.md):
    only `memref.dim`, index/i64 arithmetic, `cf.assert`, pointer extraction
    and `gpu.launch_func` appear in it.
  }];
  let options = [
    Option<"valueTile", "value-tile", "int64_t", /*default=*/"0",
           "Value columns of the state per CTA (16, 32 or 64; at most 32 "
           "for the delta rule; 0: one kernel per tile, chosen at launch "
           "from B*H and the SM count)">,
    Option<"maxSharedBytes", "max-shared-bytes", "int64_t",
           /*default=*/"232448",
           "Dynamic shared memory a CTA may use: the target's opt-in limit "
           "(232448 on sm_90, 166912 on sm_80); value tiles whose kernel "
           "needs more are not built">,
    Option<"separateDeltaInverse", "separate-delta-inverse", "bool",
           /*default=*/"true",
           "Solve the delta rule's per-chunk triangular inverses, and "
           "compute its per-chunk scores Q K^T and cumulated decays, in a "
           "parallel pass before the chunk loop (which then reads them) "
           "instead of inside it; sequences given as cu_seqlens always "
           "solve inline">,
    Option<"warpgroupMma", "warpgroup-mma", "bool", /*default=*/"false",
           "Run the products of the delta rule's chunk loop (when it reads "
           "the inverse pass's output) on sm_90a's warpgroup MMA (wgmma) "
           "instead of mma.sync (experimental: slower so far); off for "
           "sm_80">,
    Option<"columnGroups", "column-groups", "int64_t", /*default=*/"1",
           "Warpgroups per CTA of the delta rule's mma.sync chunk loop (when "
           "it reads the inverse pass's output), each on its share of the "
           "value tile's columns: 1, or 2 (tiles of 32 columns or more; "
           "narrower tiles keep 1)">,
    Option<"earlyLaunch", "early-launch", "bool", /*default=*/"true",
           "Every kernel begins with griddepcontrol (sm_90): it lets the "
           "call's next kernel launch, then waits for the previous one, so "
           "that the runtime may launch it before the previous kernel ends "
           "(programmatic dependent launch; launches marked "
           "`loom.early_launch`); off for sm_80">,
    Option<"outputWarpgroup", "output-warpgroup", "bool", /*default=*/"true",
           "The delta rule's mma.sync chunk loop (when it reads the inverse "
           "pass's output, one column group) as two warpgroups: one keeps "
           "the state's chain, the other computes O a chunk behind it">,
  ];
  let dependentDialects = [
    "arith::ArithDialect", "cf::ControlFlowDialect", "gpu::GPUDialect",
    "LLVM::LLVMDialect", "memref::MemRefDialect", "NVVM::NVVMDialect",
    "scf::SCFDialect"
  ];
}

def LoomTensorMapParams : Pass<"loom-tensor-map-params", "gpu::GPUModuleOp"> {
  let summary = "Pass a kernel's tensor maps by value, as grid constants";
  let description = [{
    A kernel that issues tensor-map copies (`cp.async.bulk.tensor`) takes
    each map as a 128-byte parameter that the runtime encodes per call
    (docs/bundle.md, `tensor_map` params). Kernel generators type such a
    parameter `!llvm.ptr` and list its index in the gpu.func's
    `loom.tensor_map_args` (an i32 array); `convert-gpu-to-nvvm` keeps
    neither `llvm.byval` nor `nvvm.grid_constant` on a gpu.func's
    arguments. After it, this pass gives each listed argument of the
    `llvm.func` kernel `llvm.byval = !llvm.array<128 x i8>`, `llvm.align =
    64` and `nvvm.grid_constant`, so that LLVM's NVPTX backend declares
    `.param .align 64 .b8 p[128]` and hands the copies the parameter's own
    address (`cvta.param`) instead of a copy in local memory.
  }];
  let dependentDialects = ["LLVM::LLVMDialect", "NVVM::NVVMDialect"];
}

#endif // LOOM_CONVERSION_PASSES_TD
