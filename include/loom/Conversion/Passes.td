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

#endif // LOOM_CONVERSION_PASSES_TD
