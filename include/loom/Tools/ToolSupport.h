//===- ToolSupport.h - What Loom's command-line tools share -----*- C++ -*-===//

#ifndef LOOM_TOOLS_TOOLSUPPORT_H
#define LOOM_TOOLS_TOOLSUPPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>

namespace llvm {
class SourceMgr;
} // namespace llvm

namespace mlir::loom {

/// Opens and parses `path` (`-` is stdin) into a module, refusing input
/// nested deeper than MLIR's parser can take. Parse errors go to the
/// context's diagnostic handler; other failures set `error`.
OwningOpRef<ModuleOp> parseInputFile(StringRef path, MLIRContext &context,
                                     llvm::SourceMgr &sourceMgr,
                                     std::string &error);

} // namespace mlir::loom

#endif // LOOM_TOOLS_TOOLSUPPORT_H
