//===- RuntimeChecks.cpp - cf.assert to the runtime's error handler -------===//

#include "loom/Conversion/Passes.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

namespace mlir::loom {
#define GEN_PASS_DEF_LOWERRUNTIMECHECKS
#include "loom/Conversion/Passes.h.inc"
} // namespace mlir::loom

using namespace mlir;

namespace {
constexpr StringLiteral kHandler = "loom_runtime_error";

struct LowerRuntimeChecksPass
    : mlir::loom::impl::LowerRuntimeChecksBase<LowerRuntimeChecksPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<cf::AssertOp> asserts;
    module.walk([&](cf::AssertOp op) { asserts.push_back(op); });
    if (asserts.empty())
      return;

    OpBuilder b(module.getContext());
    auto ptrType = LLVM::LLVMPointerType::get(module.getContext());
    b.setInsertionPointToStart(module.getBody());
    if (!module.lookupSymbol(kHandler)) {
      auto handler = LLVM::LLVMFuncOp::create(
          b, module.getLoc(), kHandler,
          LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(b.getContext()),
                                      {ptrType}));
      handler.setPrivate();
    }

    llvm::StringMap<LLVM::GlobalOp> messages;
    for (cf::AssertOp op : asserts) {
      if (!isa<FunctionOpInterface>(op->getParentOp())) {
        op.emitOpError("must sit in unstructured control flow; run "
                       "convert-scf-to-cf before loom-lower-runtime-checks");
        return signalPassFailure();
      }
      Location loc = op.getLoc();
      // One private constant string per distinct message.
      std::string text = op.getMsg().str();
      text.push_back('\0');
      LLVM::GlobalOp &global = messages[text];
      if (!global) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(module.getBody());
        auto arrayType = LLVM::LLVMArrayType::get(b.getI8Type(), text.size());
        global = LLVM::GlobalOp::create(
            b, loc, arrayType, /*isConstant=*/true, LLVM::Linkage::Private,
            ("loom_check_" + Twine(messages.size())).str(),
            b.getStringAttr(text));
      }

      // Split after the assert: cond_br %cond, ^continue, ^fail.
      Block *before = op->getBlock();
      Block *after = before->splitBlock(std::next(op->getIterator()));
      Block *fail = b.createBlock(after);
      b.setInsertionPointToEnd(fail);
      Value address = LLVM::AddressOfOp::create(b, loc, global);
      LLVM::CallOp::create(b, loc, TypeRange{}, kHandler, ValueRange{address});
      LLVM::UnreachableOp::create(b, loc);
      b.setInsertionPointToEnd(before);
      cf::CondBranchOp::create(b, loc, op.getArg(), after, ValueRange{}, fail,
                               ValueRange{});
      op.erase();
    }
  }
};
} // namespace
