//===- loomc.cpp - Compile loom IR to PTX, cubins and kernel bundles ------===//
//
//   loomc FILE.mlir --target=sm_90a|sm_80|cpu --emit=ptx|cubin|bundle|llvm|mlir
//         -o OUT [--value-tile=N] [--warpgroup-mma] [--column-groups=N]
//         [--output-warpgroup=0]
//         [--cuda-root=DIR]
//         [--ptxas-report]
//
// `--emit=bundle` writes a directory the runtime loads (docs/bundle.md);
// `llvm` is the device LLVM IR for GPU targets and the host LLVM IR (the
// `loom-to-cpu` pipeline) for `cpu`; `mlir` is the host plan with the
// kernels in the NVVM dialect.
//
//===----------------------------------------------------------------------===//

#include "loom/Dialect/Loom/IR/LoomDialect.h"
#include "loom/Pipelines/Pipelines.h"
#include "loom/Target/NVPTX/Bundle.h"
#include "loom/Tools/ToolSupport.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<input .mlir file>"));
static cl::opt<std::string> target("target", cl::init("sm_90a"),
                                   cl::desc("sm_90a, sm_80 or cpu"));
static cl::opt<std::string> emit("emit", cl::init("bundle"),
                                 cl::desc("ptx, cubin, bundle, llvm or mlir"));
static cl::opt<std::string> output("o", cl::Required,
                                   cl::desc("Output file (a directory for "
                                            "--emit=bundle)"));
static cl::opt<int64_t> valueTile(
    "value-tile", cl::init(0),
    cl::desc("Value columns of the recurrent state per CTA (16, 32 or 64; "
             "default 0: one kernel per tile, chosen at launch)"));
static cl::opt<bool> warpgroupMma(
    "warpgroup-mma", cl::init(false),
    cl::desc("sm_90a: run the delta rule's chunk loop on wgmma instead of "
             "mma.sync (experimental: slower so far)"));
static cl::opt<int64_t> columnGroups(
    "column-groups", cl::init(1),
    cl::desc("Warpgroups per CTA of the delta rule's mma.sync chunk loop, "
             "each on part of the value tile (1 or 2)"));
static cl::opt<bool> outputWarpgroup(
    "output-warpgroup", cl::init(true),
    cl::desc("The delta rule's mma.sync chunk loop as a state warpgroup and "
             "an output warpgroup a chunk behind it (default; "
             "--output-warpgroup=0: one warpgroup)"));
static cl::opt<std::string> cudaRoot(
    "cuda-root", cl::init(""),
    cl::desc("CUDA toolkit root with bin/ptxas (default: $LOOM_CUDA_ROOT, "
             "then /usr/local/cuda)"));
static cl::opt<bool> ptxasReport(
    "ptxas-report", cl::desc("Print ptxas's register, shared memory and "
                             "spill report"));

static int fail(const llvm::Twine &message) {
  llvm::errs() << "loomc: error: " << message << "\n";
  return 1;
}

static int writeOutput(StringRef bytes) {
  std::string error;
  auto file = openOutputFile(output, &error);
  if (!file)
    return fail(error);
  file->os() << bytes;
  file->keep();
  return 0;
}

static int emitCpuLlvm(ModuleOp module) {
  PassManager pm(module.getContext());
  mlir::loom::LoomToCpuOptions options;
  mlir::loom::buildLoomToCpuPipeline(pm, options);
  if (failed(mlir::loom::runLoomPipeline(
          module, pm, "builtin.module(loom-to-cpu)",
          mlir::loom::applyToolPassManagerOptions)))
    return 1;
  llvm::LLVMContext llvmContext;
  auto llvmModule = translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return fail("translation to LLVM IR failed");
  std::string text;
  llvm::raw_string_ostream os(text);
  llvmModule->print(os, nullptr);
  return writeOutput(text);
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  mlir::loom::registerToolCLOptions();
  cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << "loomc (Loom " << LOOM_VERSION_STRING << ", LLVM "
       << LLVM_VERSION_STRING << ")\n";
  });
  cl::ParseCommandLineOptions(argc, argv,
                              "Loom: compile loom IR for the GPU or the CPU\n");

  bool gpuTarget = target == "sm_90a" || target == "sm_80";
  if (!gpuTarget && target != "cpu")
    return fail("unknown --target '" + target +
                "' (expected sm_90a, sm_80 or cpu)");
  if (emit != "ptx" && emit != "cubin" && emit != "bundle" && emit != "llvm" &&
      emit != "mlir")
    return fail("unknown --emit '" + emit +
                "' (expected ptx, cubin, bundle, llvm or mlir)");
  if (!gpuTarget && emit != "llvm")
    return fail("--target=cpu emits only llvm (use loom-run to run on the "
                "CPU)");

  DialectRegistry registry;
  mlir::loom::registerToolDialects(registry);
  MLIRContext context(registry);
  mlir::loom::configureToolContext(context);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  std::string error;
  OwningOpRef<ModuleOp> module =
      mlir::loom::parseInputFile(inputFile, context, sourceMgr, error);
  if (!module)
    return error.empty() ? 1 : fail(error);

  if (!gpuTarget)
    return emitCpuLlvm(*module);

  mlir::loom::GpuTargetOptions options;
  options.chip = target;
  options.valueTile = valueTile;
  options.warpgroupMma = warpgroupMma;
  options.columnGroups = columnGroups;
  options.outputWarpgroup = outputWarpgroup;
  options.cudaRoot = cudaRoot;
  options.configurePassManager = mlir::loom::applyToolPassManagerOptions;

  if (emit == "mlir" || emit == "llvm") {
    if (failed(mlir::loom::lowerToNvvm(*module, options)))
      return 1;
    auto kernels = module->lookupSymbol<gpu::GPUModuleOp>("loom_kernels");
    std::string text;
    llvm::raw_string_ostream os(text);
    if (emit == "mlir") {
      module->print(os);
      return writeOutput(text);
    }
    // The kernels alone, as the LLVM module NVPTX compiles.
    OwningOpRef<ModuleOp> device = ModuleOp::create(kernels.getLoc());
    OpBuilder b(device->getBodyRegion());
    for (Operation &op : kernels.getBody()->getOperations())
      b.clone(op);
    llvm::LLVMContext llvmContext;
    auto llvmModule = translateModuleToLLVMIR(*device, llvmContext, "loom");
    if (!llvmModule)
      return fail("translation to LLVM IR failed");
    llvmModule->setTargetTriple(llvm::Triple("nvptx64-nvidia-cuda"));
    llvmModule->print(os, nullptr);
    return writeOutput(text);
  }

  if (emit == "ptx") {
    FailureOr<std::string> ptx = mlir::loom::lowerToPtx(*module, options);
    return failed(ptx) ? 1 : writeOutput(*ptx);
  }

  FailureOr<mlir::loom::CompiledBundle> bundle =
      mlir::loom::compileBundle(*module, options);
  if (failed(bundle))
    return 1;
  if (ptxasReport)
    llvm::errs() << bundle->ptxasLog;
  if (mlir::loom::ptxasReportsSpills(bundle->ptxasLog))
    llvm::errs() << "loomc: warning: ptxas reports register spills:\n"
                 << bundle->ptxasLog;
  if (emit == "cubin")
    return writeOutput(bundle->cubin);
  if (failed(mlir::loom::writeBundle(output, *bundle, error)))
    return fail(error);
  return 0;
}
