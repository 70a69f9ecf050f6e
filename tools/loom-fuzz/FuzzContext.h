//===- FuzzContext.h - Shared setup of the MLIR fuzz harnesses --*- C++ -*-===//

#ifndef LOOM_TOOLS_LOOM_FUZZ_FUZZCONTEXT_H
#define LOOM_TOOLS_LOOM_FUZZ_FUZZCONTEXT_H

#include "loom/Dialect/Loom/IR/LoomDialect.h"
#include "loom/Pipelines/Pipelines.h"
#include "loom/Support/InputLimits.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/Parser/Parser.h"

#include <string>

namespace loom::fuzz {

/// One context per process: every dialect loom IR may use, diagnostics
/// swallowed (an input that is rejected is the expected outcome), one
/// thread so that runs are reproducible.
inline mlir::MLIRContext &context() {
  static mlir::MLIRContext *ctx = [] {
    mlir::DialectRegistry registry;
    mlir::registerAllDialects(registry);
    registry.insert<mlir::loom::LoomDialect>();
    auto *c = new mlir::MLIRContext(registry);
    c->loadAllAvailableDialects();
    c->disableMultithreading();
    c->printOpOnDiagnostic(false);
    c->getDiagEngine().registerHandler([](mlir::Diagnostic &) {
      return mlir::success();
    });
    return c;
  }();
  return *ctx;
}

/// Parses and verifies `data` as a module, or returns null.
inline mlir::OwningOpRef<mlir::ModuleOp> parseVerified(const uint8_t *data,
                                                       size_t size) {
  // MLIR's lexer reads up to a terminating NUL, as files loaded by
  // loom-opt have.
  std::string text(reinterpret_cast<const char *>(data), size), error;
  // As in the tools: refuse nesting that would overflow MLIR's parser.
  if (!loom::checkNestingDepth(text.data(), text.size(), error))
    return nullptr;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(text, &context());
  if (!module || mlir::failed(mlir::verify(*module)))
    return nullptr;
  return module;
}

} // namespace loom::fuzz

#endif // LOOM_TOOLS_LOOM_FUZZ_FUZZCONTEXT_H
