//===- loom-run.cpp - Run a function of loom IR on .npy inputs ------------===//
//
//   loom-run FILE.mlir [--entry=NAME] [--target=cpu|cuda] [--input=A.npy]...
//            [--output-dir=DIR] [--reference] [--chunk-size=N]
//            [--gpu-arch=sm_90a|sm_80] [--poison]
//
// Compiles the function through the full pipeline for the target, reads one
// .npy per argument in order and writes out0.npy, out1.npy, ... per result.
//
//===----------------------------------------------------------------------===//

#include "loom/Dialect/Loom/IR/LoomDialect.h"
#include "loom/Pipelines/Pipelines.h"
#include "loom/Support/Npy.h"
#include "loom/Runtime/HostRun.h"
#include "loom/Target/CPU/JitRunner.h"
#include "loom/Target/NVPTX/Bundle.h"
#include "loom/Tools/ToolSupport.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<input .mlir file>"));
static cl::opt<std::string> entry("entry", cl::init("main"),
                                  cl::desc("The function to run"));
static cl::opt<std::string> target("target", cl::init("cpu"),
                                   cl::desc("Where to run: cpu or cuda"));
static cl::list<std::string> inputs("input",
                                    cl::desc("A .npy file per argument, in order"));
static cl::opt<std::string> outputDir("output-dir", cl::init("."),
                                      cl::desc("Where out<i>.npy are written"));
static cl::opt<bool> reference(
    "reference",
    cl::desc("Run the plain reference lowering (recurrences as loops, no "
             "chunking)"));

static cl::opt<int64_t> chunkSize(
    "chunk-size", cl::init(64),
    cl::desc("Tokens per chunk of the chunked recurrences (default 64)"));

static cl::opt<std::string> gpuArch(
    "gpu-arch", cl::init("sm_90a"),
    cl::desc("With --target=cuda: the architecture to compile for (sm_90a or "
             "sm_80)"));
static cl::opt<bool> poison(
    "poison", cl::desc("With --target=cuda: fill the results with NaN bytes "
                       "before the launch"));

static int fail(const llvm::Twine &message) {
  llvm::errs() << "error: " << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // The usual MLIR switches: --mlir-timing, --mlir-print-ir-after-all,
  // --mlir-pass-pipeline-crash-reproducer=..., and so on.
  mlir::loom::registerToolCLOptions();
  cl::ParseCommandLineOptions(argc, argv, "Loom: run a function on .npy inputs\n");

  if (chunkSize < 1)
    return fail("--chunk-size must be at least 1, got " +
                std::to_string(chunkSize));
  if (target != "cpu" && target != "cuda")
    return fail("unknown --target '" + target + "' (expected cpu or cuda)");

  std::vector<::loom::npy::Array> arrays(inputs.size());
  for (auto [path, array] : llvm::zip_equal(inputs, arrays)) {
    std::string error;
    if (!::loom::npy::readFile(path, array, error))
      return fail(error);
  }

  DialectRegistry registry;
  mlir::loom::registerToolDialects(registry);
  MLIRContext context(registry);
  mlir::loom::configureToolContext(context);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  std::string openError;
  OwningOpRef<ModuleOp> module =
      mlir::loom::parseInputFile(inputFile, context, sourceMgr, openError);
  if (!module && !openError.empty())
    return fail(openError);
  if (!module)
    return 1;

  std::vector<::loom::npy::Array> results;
  if (target == "cuda") {
    // Compile a bundle, then run it through the runtime as loom-launch does.
    mlir::loom::GpuTargetOptions gpu;
    gpu.chip = gpuArch;
    gpu.configurePassManager = mlir::loom::applyToolPassManagerOptions;
    FailureOr<mlir::loom::CompiledBundle> compiled =
        mlir::loom::compileBundle(*module, gpu);
    if (failed(compiled))
      return 1;
    llvm::SmallString<128> dir;
    if (std::error_code ec =
            llvm::sys::fs::createUniqueDirectory("loom-bundle", dir))
      return fail("cannot create a temporary directory: " + ec.message());
    struct RemoveDir {
      llvm::SmallString<128> path;
      ~RemoveDir() { llvm::sys::fs::remove_directories(path); }
    } removeDir{dir};
    std::string error;
    if (failed(mlir::loom::writeBundle(dir, *compiled, error)))
      return fail(error);
    LoomBundle *bundle = nullptr;
    char err[8192];
    if (loomBundleLoad(dir.c_str(), &bundle, err, sizeof(err)))
      return fail(err);
    struct FreeBundle {
      LoomBundle *bundle;
      ~FreeBundle() { loomBundleFree(bundle); }
    } freeBundle{bundle};
    ::loom::runtime::HostRunOptions runOptions;
    runOptions.poison = poison;
    if (!::loom::runtime::runOnHostArrays(bundle, entry, arrays, runOptions,
                                          results, error))
      return fail(error);
  } else {
    mlir::loom::CpuRunOptions options;
    options.entry = entry;
    options.reference = reference;
    options.chunkSize = chunkSize;
    options.configurePassManager = mlir::loom::applyToolPassManagerOptions;
    FailureOr<std::vector<::loom::npy::Array>> cpuResults =
        mlir::loom::runOnCpu(*module, arrays, options);
    if (failed(cpuResults))
      return 1;
    results = std::move(*cpuResults);
  }

  if (std::error_code ec = llvm::sys::fs::create_directories(outputDir))
    return fail("cannot create " + outputDir + ": " + ec.message());
  for (auto [i, result] : llvm::enumerate(results)) {
    llvm::SmallString<256> path(outputDir);
    llvm::sys::path::append(path, "out" + std::to_string(i) + ".npy");
    std::string error;
    if (!::loom::npy::writeFile(path.str().str(), result.dtype, result.shape,
                              result.bytes.data(), error))
      return fail(error);
  }
  return 0;
}
