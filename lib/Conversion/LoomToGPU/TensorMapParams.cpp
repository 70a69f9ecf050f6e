//===- TensorMapParams.cpp - Tensor maps as by-value kernel params --------===//
//
// See LoomTensorMapParams in include/loom/Conversion/Passes.td.
//
//===----------------------------------------------------------------------===//

#include "loom/Conversion/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"

namespace mlir::loom {
#define GEN_PASS_DEF_LOOMTENSORMAPPARAMS
#include "loom/Conversion/Passes.h.inc"
} // namespace mlir::loom

using namespace mlir;

namespace {
/// The gpu.func attribute that lists a kernel's tensor-map arguments.
constexpr StringLiteral kTensorMapArgs = "loom.tensor_map_args";
/// A CUtensorMap: 128 bytes, 64-byte aligned.
constexpr int64_t kTensorMapBytes = 128, kTensorMapAlign = 64;

struct TensorMapParams : loom::impl::LoomTensorMapParamsBase<TensorMapParams> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    auto byteArray =
        LLVM::LLVMArrayType::get(IntegerType::get(context, 8), kTensorMapBytes);
    Builder b(context);
    WalkResult result = getOperation().walk([&](LLVM::LLVMFuncOp func) {
      auto args = func->getAttrOfType<DenseI32ArrayAttr>(kTensorMapArgs);
      if (!args)
        return WalkResult::advance();
      if (!func->hasAttr(NVVM::NVVMDialect::getKernelFuncAttrName())) {
        func.emitError() << "'" << kTensorMapArgs
                         << "' on a function that is not a kernel";
        return WalkResult::interrupt();
      }
      for (int32_t index : args.asArrayRef()) {
        if (index < 0 || unsigned(index) >= func.getNumArguments() ||
            !isa<LLVM::LLVMPointerType>(func.getArgument(index).getType())) {
          func.emitError() << "'" << kTensorMapArgs << "' names argument "
                           << index << ", which is not a pointer argument";
          return WalkResult::interrupt();
        }
        func.setArgAttr(index, LLVM::LLVMDialect::getByValAttrName(),
                        TypeAttr::get(byteArray));
        func.setArgAttr(index, LLVM::LLVMDialect::getAlignAttrName(),
                        b.getI64IntegerAttr(kTensorMapAlign));
        func.setArgAttr(index, NVVM::NVVMDialect::getGridConstantAttrName(),
                        b.getUnitAttr());
      }
      func->removeAttr(kTensorMapArgs);
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
