//===- SelectiveScanKernel.cpp - Mamba1 selective scan kernel -------------===//
//
// Per (batch, channel) and state index n the recurrence is scalar,
//
//   h_t = a_t h_{t-1} + b_t,   a_t = exp(dt_t A_n),   b_t = dt_t u_t B_{n,t}
//   y_t = sum_n C_{n,t} h_t + D u_t   (then times silu(z_t))
//
// and sequential in t; but steps compose associatively, (a1, b1) then
// (a2, b2) being (a1 a2, a2 b1 + b2), so a warp scans a chunk of time in
// log steps. As in mamba_ssm's selective_scan kernel:
//
// - One warp per (batch, channel); a CTA holds four, which are neighbouring
//   channels of one B/C group, so their B and C reads hit L1 together.
// - Lane l owns kItems consecutive timesteps of a chunk of 32 * kItems:
//   its u, delta, B, C, z and y are one 16-byte vector each (two for f32)
//   when L is a multiple of kItems, so every load is coalesced along L.
//   Otherwise a second variant loads element by element (same sectors,
//   more instructions); the launch plan picks by L.
// - Chunks are walked in order; inside one, the state index n is a loop
//   with B and C of n + 1 loaded while n computes. For each n a lane folds
//   its run into one (a, b) pair, a shuffle scan over the 32 lanes turns
//   those into each run's prefix, each lane replays its run from its
//   incoming state accumulating C h into y, and lane 31's final state is
//   the carry into the next chunk. The N carries (f32) are the only state,
//   in shared memory: [4 warps][N] floats, so any N fits.
// - exp is ex2 with log2(e) folded into A; dt, the state and y accumulate
//   in f32; the D and z epilogue runs once per chunk, after the n loop.
//
// Timesteps past L get dt = 0, i.e. (a, b) = (1, 0), which leaves the
// carry alone; their loads clamp to valid addresses and their stores are
// skipped.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"
#include "LoomToGPU.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::loom;

namespace {
constexpr int64_t kWarps = 4;
constexpr int64_t kThreads = 32 * kWarps;
constexpr int64_t kItems = 8;
constexpr int64_t kChunk = 32 * kItems;
/// The carries take 16 * N bytes of shared memory; 2048 keeps a CTA at
/// 32 KiB, under the default limit with room for several per SM.
constexpr int64_t kMaxStateDim = 2048;
constexpr float kLog2e = 1.4426950408889634f;
} // namespace

int64_t mlir::loom::selectiveScanThreads() { return kThreads; }
int64_t mlir::loom::selectiveScanChannelsPerBlock() { return kWarps; }
int64_t mlir::loom::selectiveScanLengthMultiple() { return kItems; }
int64_t mlir::loom::selectiveScanSharedBytes(
    const SelectiveScanKernelConfig &config) {
  return kWarps * config.stateDim * 4;
}

LogicalResult mlir::loom::checkSelectiveScanKernelConfig(
    const SelectiveScanKernelConfig &c, std::string &why) {
  if (c.stateDim > kMaxStateDim) {
    why = "the state dim N must be at most " + std::to_string(kMaxStateDim) +
          " on the GPU (got " + std::to_string(c.stateDim) + ")";
    return failure();
  }
  return success();
}

gpu::GPUFuncOp mlir::loom::buildSelectiveScanKernel(
    OpBuilder &builder, Location loc, gpu::GPUModuleOp module, StringRef name,
    const SelectiveScanKernelConfig &config) {
  const int64_t Dc = config.channels, G = config.groups, N = config.stateDim;

  KernelEmitter e(builder, loc, config.inputType);
  // u delta A B C
  SmallVector<Type> params(5, e.globalPtr);
  for (bool present :
       {config.d, config.z, config.deltaBias, config.initialState})
    if (present)
      params.push_back(e.globalPtr);
  params.append({e.globalPtr, e.globalPtr, e.i64, e.i64}); // y h L B*Dc

  OpBuilder::InsertionGuard guard(builder);
  auto func = e.beginKernel(module, name, params, kThreads);
  // Four CTAs (16 warps) per SM, up to 128 registers a thread: left to
  // itself, ptxas aims lower and spills a few bytes in some f16 variants.
  func->setAttr(NVVM::NVVMDialect::getMinctasmAttrName(),
                builder.getI32IntegerAttr(4));
  Block &entry = func.getBody().front();

  unsigned argIndex = 0;
  Value uPtr = entry.getArgument(argIndex++);
  Value deltaPtr = entry.getArgument(argIndex++);
  Value aPtr = entry.getArgument(argIndex++);
  Value bPtr = entry.getArgument(argIndex++);
  Value cPtr = entry.getArgument(argIndex++);
  Value dPtr = config.d ? entry.getArgument(argIndex++) : Value();
  Value zPtr = config.z ? entry.getArgument(argIndex++) : Value();
  Value biasPtr = config.deltaBias ? entry.getArgument(argIndex++) : Value();
  Value h0Ptr = config.initialState ? entry.getArgument(argIndex++) : Value();
  Value yPtr = entry.getArgument(argIndex++);
  Value hOutPtr = entry.getArgument(argIndex++);
  Value L = entry.getArgument(argIndex++);
  Value rows = entry.getArgument(argIndex++);

  Value smem = e.sharedBase(module);
  Value tid = e.threadId();
  Value lane = e.remu(tid, e.i64c(32));
  Value warp = e.divu(tid, e.i64c(32));
  Value row = e.add(e.mul(e.blockId(0), e.i64c(kWarps)), warp);
  Value zero = e.f32c(0.0f);
  auto syncWarp = [&] { NVVM::SyncWarpOp::create(builder, loc, e.i32c(-1)); };

  // The warp is one (batch, channel) row; a partial last CTA has idle warps.
  e.ifThen(e.ult(row, rows), [&] {
    Value channel = e.remu(row, e.i64c(Dc));
    Value batch = e.divu(row, e.i64c(Dc));
    Value group = e.divu(channel, e.i64c(Dc / G));
    Value carries = e.gep(smem, e.f32, e.mul(warp, e.i64c(N)));
    auto carryAt = [&](Value n) { return e.gep(carries, e.f32, n); };
    /// `body(n)` for this lane's state indices n = lane + 32 k < N.
    auto forLaneStates = [&](const std::function<void(Value)> &body) {
      for (int64_t k = 0; k < (N + 31) / 32; ++k) {
        Value n = e.add(lane, e.i64c(32 * k));
        if (32 * (k + 1) <= N)
          body(n);
        else
          e.ifThen(e.ult(n, e.i64c(N)), [&] { body(n); });
      }
    };
    Value stateRow = e.mul(row, e.i64c(N));
    forLaneStates([&](Value n) {
      Value h0 = h0Ptr
                     ? e.load(e.f32, e.gep(h0Ptr, e.f32, e.add(stateRow, n)), 4)
                     : zero;
      e.store(h0, carryAt(n), 4);
    });
    syncWarp();

    Value dChannel =
        dPtr ? e.load(e.f32, e.gep(dPtr, e.f32, channel), 4) : Value();
    Value biasChannel =
        biasPtr ? e.load(e.f32, e.gep(biasPtr, e.f32, channel), 4) : Value();
    Value aRow = e.gep(aPtr, e.f32, e.mul(channel, e.i64c(N)));
    Value lastStep = e.sub(L, e.i64c(1));

    // This lane's run of kItems steps from `t` of the row at `rowBase`, as
    // f32; steps past L read a valid address.
    auto loadRun = [&](Type type, Value ptr, Value rowBase, Value t) {
      if (config.alignedLength) {
        int64_t vec = std::min<int64_t>(
            kItems, 16 / (type.getIntOrFloatBitWidth() / 8));
        Value start = e.select(e.ult(t, L), t, e.i64c(0));
        return e.loadF32s(type, ptr, e.add(rowBase, start), kItems, vec);
      }
      SmallVector<Value> run;
      for (int64_t j = 0; j < kItems; ++j) {
        Value tj = e.minu(e.add(t, e.i64c(j)), lastStep);
        run.push_back(e.loadF32s(type, ptr, e.add(rowBase, tj), 1, 1)[0]);
      }
      return run;
    };
    /// Whether step j of the run from `t` is inside L.
    auto inside = [&](Value t, int64_t j) {
      return e.ult(config.alignedLength ? t : e.add(t, e.i64c(j)), L);
    };

    Value numChunks = e.divu(e.add(L, e.i64c(kChunk - 1)), e.i64c(kChunk));
    auto chunks = scf::ForOp::create(builder, loc, e.i64c(0), numChunks,
                                     e.i64c(1), ValueRange{});
    builder.setInsertionPointToStart(chunks.getBody());
    Value t = e.add(e.mul(chunks.getInductionVar(), e.i64c(kChunk)),
                    e.mul(lane, e.i64c(kItems)));
    Value rowBase = e.mul(row, L);
    SmallVector<Value> u = loadRun(config.inputType, uPtr, rowBase, t);
    SmallVector<Value> dt = loadRun(config.deltaType, deltaPtr, rowBase, t);
    SmallVector<Value> dtu;
    for (int64_t j = 0; j < kItems; ++j) {
      if (biasChannel)
        dt[j] = e.fadd(dt[j], biasChannel);
      if (config.deltaSoftplus)
        dt[j] = e.softplus(dt[j]);
      dt[j] = e.select(inside(t, j), dt[j], zero);
      dtu.push_back(e.fmul(dt[j], u[j]));
    }

    // B and C of (batch, group, n) are rows of length L.
    auto bcRow = [&](Value n) {
      return e.mul(e.add(e.mul(e.add(e.mul(batch, e.i64c(G)), group),
                               e.i64c(N)),
                         n),
                   L);
    };
    auto loadBC = [&](Value n) {
      SmallVector<Value> values = loadRun(config.bType, bPtr, bcRow(n), t);
      llvm::append_range(values, loadRun(config.cType, cPtr, bcRow(n), t));
      return values;
    };
    SmallVector<Value> inits(kItems, zero); // y
    llvm::append_range(inits, loadBC(e.i64c(0)));
    auto states = scf::ForOp::create(builder, loc, e.i64c(0), e.i64c(N),
                                     e.i64c(1), inits);
    {
      OpBuilder::InsertionGuard stateGuard(builder);
      builder.setInsertionPointToStart(states.getBody());
      Value n = states.getInductionVar();
      ValueRange iterArgs = states.getRegionIterArgs();
      SmallVector<Value> y(iterArgs.take_front(kItems));
      ValueRange bRun = iterArgs.slice(kItems, kItems);
      ValueRange cRun = iterArgs.take_back(kItems);
      // B and C of n + 1 (of n again on the last) while n computes.
      SmallVector<Value> next =
          loadBC(e.minu(e.add(n, e.i64c(1)), e.i64c(N - 1)));

      Value a2 = e.fmul(e.load(e.f32, e.gep(aRow, e.f32, n), 4),
                        e.f32c(kLog2e));
      SmallVector<Value> decay, input;
      for (int64_t j = 0; j < kItems; ++j) {
        decay.push_back(e.exp2(e.fmul(dt[j], a2)));
        input.push_back(e.fmul(dtu[j], bRun[j]));
      }
      // The run as one step (P, Q): h -> P h + Q.
      Value P = decay[0], Q = input[0];
      for (int64_t j = 1; j < kItems; ++j) {
        Q = e.fadd(e.fmul(decay[j], Q), input[j]);
        P = e.fmul(P, decay[j]);
      }
      // Inclusive scan over lanes: lane l gets the runs of lanes 0..l.
      for (int offset = 1; offset < 32; offset *= 2) {
        Value prevP = e.shuffleUp(P, offset), prevQ = e.shuffleUp(Q, offset);
        Value take = e.ule(e.i64c(offset), lane);
        Q = e.select(take, e.fadd(e.fmul(P, prevQ), Q), Q);
        P = e.select(take, e.fmul(P, prevP), P);
      }
      Value carry = e.load(e.f32, carryAt(n), 4);
      Value hEnd = e.fadd(e.fmul(P, carry), Q);
      Value h = e.select(e.eq(lane, e.i64c(0)), carry, e.shuffleUp(hEnd, 1));
      for (int64_t j = 0; j < kItems; ++j) {
        h = e.fadd(e.fmul(decay[j], h), input[j]);
        y[j] = e.fadd(y[j], e.fmul(cRun[j], h));
      }
      // Lane 31's state ends the chunk. Every lane has read the old carry
      // before lane 0 overwrites it: the shuffle's data depends on those
      // reads, but only a __syncwarp orders them for the memory model (and
      // for compute-sanitizer's racecheck, which flagged the store). The
      // next chunk reads the carry after another __syncwarp.
      Value chunkEnd = e.shuffleIdx(hEnd, 31);
      syncWarp();
      e.ifThen(e.eq(lane, e.i64c(0)),
               [&] { e.store(chunkEnd, carryAt(n), 4); });
      llvm::append_range(y, next);
      scf::YieldOp::create(builder, loc, y);
    }

    SmallVector<Value> y(states.getResults().take_front(kItems));
    SmallVector<Value> z;
    if (zPtr)
      z = loadRun(config.inputType, zPtr, rowBase, t);
    for (int64_t j = 0; j < kItems; ++j) {
      if (dChannel)
        y[j] = e.fadd(y[j], e.fmul(dChannel, u[j]));
      if (zPtr)
        y[j] = e.fmul(y[j], e.silu(z[j]));
    }
    if (config.alignedLength) {
      int64_t vec = std::min<int64_t>(
          kItems, 16 / (config.inputType.getIntOrFloatBitWidth() / 8));
      e.ifThen(inside(t, 0), [&] {
        e.storeF32s(y, config.inputType, yPtr, e.add(rowBase, t), vec);
      });
    } else {
      for (int64_t j = 0; j < kItems; ++j)
        e.ifThen(inside(t, j), [&] {
          e.storeF32s(y[j], config.inputType, yPtr,
                      e.add(rowBase, e.add(t, e.i64c(j))), 1);
        });
    }
    syncWarp();
    builder.setInsertionPointAfter(chunks);

    // The final state, unless the caller passed no buffer for it.
    Value hasOut = LLVM::ICmpOp::create(
        builder, loc, LLVM::ICmpPredicate::ne, hOutPtr,
        LLVM::ZeroOp::create(builder, loc, e.globalPtr));
    e.ifThen(hasOut, [&] {
      forLaneStates([&](Value n) {
        e.store(e.load(e.f32, carryAt(n), 4),
                e.gep(hOutPtr, e.f32, e.add(stateRow, n)), 4);
      });
    });
  });
  gpu::ReturnOp::create(builder, loc);
  return func;
}
