//===- ToolSupport.h - What Loom's command-line tools share -----*- C++ -*-===//

#ifndef LOOM_TOOLS_TOOLSUPPORT_H
#define LOOM_TOOLS_TOOLSUPPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>

namespace llvm {
class SourceMgr;
} // namespace llvm

namespace mlir {
class DialectRegistry;
class PassManager;
} // namespace mlir

namespace mlir::loom {

/// Registers what every Loom tool's command line takes: Loom's passes and
/// pipelines, and MLIR's asm-printer, context, pass-manager and timing
/// options (--mlir-timing, --mlir-print-ir-after-all, crash reproducers).
void registerToolCLOptions();

/// Applies the pass-manager and timing options to `pm`.
LogicalResult applyToolPassManagerOptions(PassManager &pm);

/// What every Loom tool registers: upstream's dialects, loom, and the GPU
/// target's serializer and translations.
void registerToolDialects(DialectRegistry &registry);

/// Diagnostics without whole-module dumps (they name the op and stage), and
/// one thread: compiling one function is quick and --mlir-print-ir-* stays
/// readable.
void configureToolContext(MLIRContext &context);

/// Opens and parses `path` (`-` is stdin) into a module, refusing input
/// nested deeper than MLIR's parser can take. Parse errors go to the
/// context's diagnostic handler; other failures set `error`.
OwningOpRef<ModuleOp> parseInputFile(StringRef path, MLIRContext &context,
                                     llvm::SourceMgr &sourceMgr,
                                     std::string &error);

} // namespace mlir::loom

#endif // LOOM_TOOLS_TOOLSUPPORT_H
