//===- SequenceCheckKernel.cpp - cu_seqlens checks on the GPU -------------===//
//
// cu_seqlens lives in device memory, where the host plan cannot read it, and
// a kernel walking a segment that ends past T would read and write out of
// bounds. So the plan first launches this kernel: one thread per offset
// checks what the CPU path checks (cu[0] = 0, non-decreasing, cu[N] = T),
// each failure a device-side assert naming the op. The driver reports it as
// CUDA_ERROR_ASSERT, and the kernels queued after it on the stream never
// run, so the chunk kernels read the offsets without checking them again.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"
#include "LoomToGPU.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"

using namespace mlir;
using namespace mlir::loom;

namespace {
constexpr int64_t kThreads = 128;
} // namespace

int64_t mlir::loom::sequenceCheckThreads() { return kThreads; }

gpu::GPUFuncOp mlir::loom::getSequenceCheckKernel(OpBuilder &builder,
                                                  Location loc,
                                                  gpu::GPUModuleOp module,
                                                  Type offsetType,
                                                  StringRef opName) {
  // loom.ssd with i64 offsets: loom_check_cu_seqlens_ssd_i64.
  std::string name = ("loom_check_cu_seqlens_" + opName.drop_front(5) + "_i" +
                      Twine(offsetType.getIntOrFloatBitWidth()))
                         .str();
  if (auto existing = module.lookupSymbol<gpu::GPUFuncOp>(name))
    return existing;

  KernelEmitter e(builder, loc, builder.getBF16Type());
  OpBuilder::InsertionGuard guard(builder);
  // cu, N (the number of sequences), T.
  auto func =
      e.beginKernel(module, name, {e.globalPtr, e.i64, e.i64}, kThreads);
  Block &entry = func.getBody().front();
  Value cu = entry.getArgument(0), count = entry.getArgument(1),
        time = entry.getArgument(2);

  Value i = e.add(e.mul(e.blockId(0), e.i64c(kThreads)), e.threadId());
  e.ifThen(e.ule(i, count), [&] {
    Value at = e.loadIndex(offsetType, cu, i);
    Value isFirst = e.eq(i, e.i64c(0)), isLast = e.eq(i, count);
    e.check(e.select(isFirst, e.eq(at, e.i64c(0)), e.i1c(true)),
            opName + ": cu_seqlens must start at 0");
    e.check(e.select(isLast, e.eq(at, time), e.i1c(true)),
            opName + ": the last cu_seqlens offset must equal T");
    e.ifThen(e.ult(i, count), [&] {
      Value next = e.loadIndex(offsetType, cu, e.add(i, e.i64c(1)));
      e.check(e.sle(at, next), opName + ": cu_seqlens must be non-decreasing");
    });
  });
  gpu::ReturnOp::create(builder, loc);
  return func;
}
