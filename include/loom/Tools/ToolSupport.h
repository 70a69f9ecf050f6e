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
} // namespace mlir

namespace mlir::loom {

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
