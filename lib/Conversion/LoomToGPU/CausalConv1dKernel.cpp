//===- CausalConv1dKernel.cpp - Depthwise causal convolution kernel -------===//
//
// y[b, t, c] = act(bias[c] + sum_{i<W} w[c, i] x[b, t - W + 1 + i, c]) reads
// and writes each element once and does W FMAs per element: it is bound by
// memory bandwidth, so the kernel is laid out for copy speed.
//
// A thread owns `vec` consecutive channels (16 bytes where C allows, so a
// warp's loads of one timestep are one contiguous run) and a run of
// kStepsPerThread consecutive timesteps, walked in order with the W - 1
// previous inputs in registers: each input is loaded once per run, plus
// W - 1 rows of halo at its start. Rows are loaded kRowsPerGroup at a time
// before any is stored, so that several loads per thread are in flight
// (a store to y may alias x as far as LLVM knows, and would otherwise
// serialize the loads behind it). The CTA's threads split into channel
// vectors x runs: wide C spreads a CTA along channels, narrow C along time.
// Tails (T not a multiple of the run, C not a multiple of the CTA's
// channels) are bounds-checked; loads clamp their address and stores are
// skipped.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"
#include "LoomToGPU.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::loom;

namespace {
constexpr int64_t kThreads = 128;
constexpr int64_t kStepsPerThread = 16;
constexpr int64_t kRowsPerGroup = 4;
/// Taps times channels a thread keeps in registers (weights and window).
constexpr int64_t kMaxTapsPerThread = 64;
constexpr int64_t kMaxWidth = kMaxTapsPerThread;

/// Channels per thread: the widest power of two up to 16 bytes that divides
/// C and keeps the taps in registers.
int64_t channelsPerThread(const CausalConv1dKernelConfig &c) {
  int64_t bytes = c.elementType.getIntOrFloatBitWidth() / 8;
  int64_t vec = std::min<int64_t>(
      16 / bytes, std::max<int64_t>(1, kMaxTapsPerThread / c.width));
  vec = int64_t(llvm::bit_floor(uint64_t(vec)));
  while (c.channels % vec != 0)
    vec /= 2;
  return vec;
}

/// Threads of a CTA along channels (a power of two dividing kThreads): all
/// of a row when it is narrow, else the widest split of it into whole
/// warps that leaves the fewest idle threads in the last channel tile.
int64_t channelThreads(const CausalConv1dKernelConfig &c) {
  int64_t vectors = c.channels / channelsPerThread(c);
  if (vectors <= 32)
    return int64_t(llvm::PowerOf2Ceil(uint64_t(vectors)));
  int64_t best = kThreads;
  auto idle = [&](int64_t threads) {
    return llvm::divideCeil(vectors, threads) * threads - vectors;
  };
  for (int64_t threads = kThreads / 2; threads >= 32; threads /= 2)
    if (idle(threads) < idle(best))
      best = threads;
  return best;
}
} // namespace

CausalConv1dTiling
mlir::loom::causalConv1dTiling(const CausalConv1dKernelConfig &config) {
  int64_t threadsAlongC = channelThreads(config);
  return {kThreads, kThreads / threadsAlongC * kStepsPerThread,
          threadsAlongC * channelsPerThread(config)};
}

LogicalResult mlir::loom::checkCausalConv1dKernelConfig(
    const CausalConv1dKernelConfig &c, std::string &why) {
  if (c.width > kMaxWidth) {
    why = "the kernel width W must be at most " + std::to_string(kMaxWidth) +
          " on the GPU (got " + std::to_string(c.width) + ")";
    return failure();
  }
  return success();
}

gpu::GPUFuncOp mlir::loom::buildCausalConv1dKernel(
    OpBuilder &builder, Location loc, gpu::GPUModuleOp module, StringRef name,
    const CausalConv1dKernelConfig &config) {
  const int64_t C = config.channels, W = config.width;
  const int64_t vec = channelsPerThread(config);
  const int64_t threadsAlongC = channelThreads(config);
  const int64_t vectorsPerRow = C / vec;
  Type elt = config.elementType;

  KernelEmitter e(builder, loc, elt);
  SmallVector<Type> params{e.globalPtr, e.globalPtr}; // x w
  if (config.bias)
    params.push_back(e.globalPtr);
  params.append({e.globalPtr, e.i64}); // y T

  OpBuilder::InsertionGuard guard(builder);
  auto func = e.beginKernel(module, name, params, kThreads);
  Block &entry = func.getBody().front();

  unsigned argIndex = 0;
  Value xPtr = entry.getArgument(argIndex++);
  Value wPtr = entry.getArgument(argIndex++);
  Value biasPtr = config.bias ? entry.getArgument(argIndex++) : Value();
  Value yPtr = entry.getArgument(argIndex++);
  Value T = entry.getArgument(argIndex++);

  Value tid = e.threadId();
  Value vector = e.add(e.mul(e.blockId(1), e.i64c(threadsAlongC)),
                       e.remu(tid, e.i64c(threadsAlongC)));
  Value run = e.add(e.mul(e.blockId(0), e.i64c(kThreads / threadsAlongC)),
                    e.divu(tid, e.i64c(threadsAlongC)));
  Value t0 = e.mul(run, e.i64c(kStepsPerThread));
  Value batch = e.blockId(2);

  auto body = [&] {
    Value c0 = e.mul(vector, e.i64c(vec));
    // w[c0 .. c0 + vec, 0 .. W] is one contiguous run of vec * W floats.
    int64_t wVec = std::min<int64_t>(4, vec * W & -(vec * W));
    SmallVector<Value> weights =
        e.loadF32s(e.f32, wPtr, e.mul(c0, e.i64c(W)), vec * W, wVec);
    SmallVector<Value> bias(vec, e.f32c(0.0f));
    if (biasPtr)
      bias = e.loadF32s(e.f32, biasPtr, c0, vec, std::min<int64_t>(4, vec));
    auto rowIndex = [&](Value t) {
      return e.add(e.mul(e.add(e.mul(batch, T), t), e.i64c(C)), c0);
    };

    // The W - 1 inputs before the run, oldest first; x before 0 is 0.
    SmallVector<Value> window;
    for (int64_t back = W - 1; back >= 1; --back) {
      Value inside = e.ule(e.i64c(back), t0);
      Value t = e.select(inside, e.sub(t0, e.i64c(back)), e.i64c(0));
      for (Value x : e.loadF32s(elt, xPtr, rowIndex(t), vec, vec))
        window.push_back(e.select(inside, x, e.f32c(0.0f)));
    }

    Value steps = e.minu(e.i64c(kStepsPerThread), e.sub(T, t0));
    Value groups =
        e.divu(e.add(steps, e.i64c(kRowsPerGroup - 1)), e.i64c(kRowsPerGroup));
    auto loop =
        scf::ForOp::create(builder, loc, e.i64c(0), groups, e.i64c(1), window);
    builder.setInsertionPointToStart(loop.getBody());
    Value tGroup =
        e.add(t0, e.mul(loop.getInductionVar(), e.i64c(kRowsPerGroup)));
    // Rows, oldest first: the window, then this group's (loaded together;
    // rows past T read row T - 1 and are not stored).
    SmallVector<Value> rows(loop.getRegionIterArgs());
    Value lastRow = e.sub(T, e.i64c(1));
    for (int64_t r = 0; r < kRowsPerGroup; ++r) {
      Value t = e.minu(e.add(tGroup, e.i64c(r)), lastRow);
      llvm::append_range(rows, e.loadF32s(elt, xPtr, rowIndex(t), vec, vec));
    }
    for (int64_t r = 0; r < kRowsPerGroup; ++r) {
      SmallVector<Value> out;
      for (int64_t j = 0; j < vec; ++j) {
        Value acc = bias[j];
        for (int64_t i = 0; i < W; ++i)
          acc = e.fadd(acc,
                       e.fmul(weights[j * W + i], rows[(r + i) * vec + j]));
        out.push_back(config.silu ? e.silu(acc) : acc);
      }
      Value t = e.add(tGroup, e.i64c(r));
      e.ifThen(e.ult(t, T),
               [&] { e.storeF32s(out, elt, yPtr, rowIndex(t), vec); });
    }
    // (With W = 1 there is no window, and the loop has its yield already.)
    if (W > 1)
      scf::YieldOp::create(
          builder, loc,
          ArrayRef<Value>(rows).drop_front(kRowsPerGroup * vec));
  };

  // Runs past T (the last time tile) and vectors past C (the last channel
  // tile, when CTAs do not divide C evenly) have nothing to do.
  e.ifThen(e.ult(t0, T), [&] {
    if (vectorsPerRow % threadsAlongC == 0)
      return body();
    e.ifThen(e.ult(vector, e.i64c(vectorsPerRow)), body);
  });
  gpu::ReturnOp::create(builder, loc);
  return func;
}
