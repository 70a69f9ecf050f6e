//===- ToolSupport.cpp - What Loom's command-line tools share -------------===//

#include "loom/Tools/ToolSupport.h"
#include "loom/Support/InputLimits.h"

#include "loom/Dialect/Loom/IR/LoomDialect.h"
#include "loom/Pipelines/Pipelines.h"
#include "loom/Target/NVPTX/Bundle.h"

#include "mlir/IR/AsmState.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

void mlir::loom::registerToolCLOptions() {
  registerLoomPasses();
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
}

LogicalResult mlir::loom::applyToolPassManagerOptions(PassManager &pm) {
  if (failed(applyPassManagerCLOptions(pm)))
    return failure();
  applyDefaultTimingPassManagerCLOptions(pm);
  return success();
}

void mlir::loom::registerToolDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registry.insert<LoomDialect>();
  registerGpuTargetExtensions(registry);
}

void mlir::loom::configureToolContext(MLIRContext &context) {
  context.printOpOnDiagnostic(false);
  context.disableMultithreading();
}

OwningOpRef<ModuleOp> mlir::loom::parseInputFile(StringRef path,
                                                 MLIRContext &context,
                                                 llvm::SourceMgr &sourceMgr,
                                                 std::string &error) {
  std::unique_ptr<llvm::MemoryBuffer> file = openInputFile(path, &error);
  if (!file)
    return nullptr;
  // MLIR's recursive-descent parser has no depth limit.
  if (!::loom::checkNestingDepth(file->getBufferStart(), file->getBufferSize(),
                                 error)) {
    error = path.str() + ":" + error;
    return nullptr;
  }
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  return parseSourceFile<ModuleOp>(sourceMgr, &context);
}
