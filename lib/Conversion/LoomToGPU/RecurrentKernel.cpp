//===- RecurrentKernel.cpp - Token-by-token linear attention kernel -------===//
//
// The forms the chunk kernel does not take run the op's recurrence as the
// spec writes it, one token at a time (fla's fused_recurrent kernels):
// f32 inputs (the chunk kernel's operands are 16-bit), KDA (per-key decay
// with beta), head dims off its 64-key tiles, and GLA where shared memory
// is too small for its gate tables (sm_80). Per step,
//
//   S = diag(exp(g_t)) S   (or exp(g_t) S)
//   S = S + beta_t k_t (v_t - S^T k_t)^T   (or S + k_t v_t^T)
//   o_t = scale S^T q_t
//
// in f32, with loom.ssd's dt', D and z folded in as in the chunk kernel.
//
// - A warp owns kColumns value columns of one (sequence, head); lane l
//   holds rows l, l + 32, ... of them, so the state is ceil(K/32) *
//   kColumns registers a lane and any K up to kMaxKeys fits.
// - The sums over keys (S^T k, S^T q, the L2 norms) are xor-butterfly
//   reductions across the warp, the kColumns of them independent.
// - Loads are per lane (q, k and a per-key gate: one coalesced row) or
//   broadcasts (v's columns, the scalar gate, beta); no shared memory.
//
// It is the correctness path for these forms, not a fast one: every step
// waits on its loads and reductions.
//
//===----------------------------------------------------------------------===//

#include "LinearAttentionParams.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::loom;

namespace {
constexpr int64_t kWarps = 4;
constexpr int64_t kThreads = 32 * kWarps;
constexpr int64_t kColumns = 4;
constexpr int64_t kMaxKeys = 512;
constexpr float kLog2e = 1.4426950408889634f;
} // namespace

int64_t mlir::loom::recurrentThreads() { return kThreads; }
int64_t mlir::loom::recurrentColumnsPerBlock() { return kWarps * kColumns; }

LogicalResult mlir::loom::checkRecurrentKernelConfig(
    const LinearAttentionKernelConfig &c, std::string &why) {
  Type t = c.elementType;
  if (!t.isF32() && !t.isBF16() && !t.isF16()) {
    why = "q, k and v must be f32, f16 or bf16 on the GPU";
    return failure();
  }
  if (c.headDimK > kMaxKeys) {
    why = "the key head dim K must be at most " + std::to_string(kMaxKeys) +
          " on the GPU (got " + std::to_string(c.headDimK) + ")";
    return failure();
  }
  return success();
}

gpu::GPUFuncOp mlir::loom::buildRecurrentKernel(
    OpBuilder &builder, Location loc, gpu::GPUModuleOp module, StringRef name,
    const LinearAttentionKernelConfig &config) {
  const int64_t K = config.headDimK, V = config.headDimV;
  const int64_t keyRegs = (K + 31) / 32;
  const bool decay = config.scalarDecay, perKey = config.perKeyDecay;
  Type elt = config.elementType;

  KernelEmitter e(builder, loc, elt);
  OpBuilder::InsertionGuard guard(builder);
  auto func = e.beginKernel(module, name,
                            LinearAttentionParams::types(e, config), kThreads);
  unsigned argIndex = 0;
  auto args =
      LinearAttentionParams::unpack(func.getBody().front(), config, argIndex);
  Value qPtr = args.q, kPtr = args.k, vPtr = args.v, gPtr = args.g;
  Value zPtr = args.z, betaPtr = args.beta, s0Ptr = args.s0;
  Value oPtr = args.o, sOutPtr = args.sOut, H = args.H, Hk = args.Hk;

  const unsigned eltAlign = elt.getIntOrFloatBitWidth() / 8;
  auto widen = [&](Value x) {
    return elt.isF32() ? x : arith::ExtFOp::create(builder, loc, e.f32, x);
  };
  auto narrow = [&](Value x) {
    return elt.isF32() ? x : arith::TruncFOp::create(builder, loc, elt, x);
  };
  Value zero = e.f32c(0.0f);
  Value tid = e.threadId();
  Value lane = e.remu(tid, e.i64c(32));
  Value warp = e.divu(tid, e.i64c(32));
  Value bh = e.blockId(0);
  Value sequence = e.divu(bh, H), head = e.remu(bh, H);
  Value qkHead = e.divu(head, e.divu(H, Hk));
  Value col0 = e.mul(e.add(e.mul(e.blockId(1), e.i64c(kWarps)), warp),
                     e.i64c(kColumns));
  // This lane's keys and the warp's columns; past K or V they read row or
  // column 0 (in bounds) and count as zero.
  SmallVector<Value> keys, keyValid, cols, colValid;
  for (int64_t i = 0; i < keyRegs; ++i) {
    Value key = e.add(lane, e.i64c(32 * i));
    keyValid.push_back(e.ult(key, e.i64c(K)));
    keys.push_back(32 * (i + 1) <= K ? key
                                     : e.select(keyValid.back(), key,
                                                e.i64c(0)));
  }
  for (int64_t c = 0; c < kColumns; ++c) {
    Value col = e.add(col0, e.i64c(c));
    colValid.push_back(e.ult(col, e.i64c(V)));
    cols.push_back(e.select(colValid.back(), col, e.i64c(0)));
  }
  auto valid = [&](int64_t i, int64_t c) {
    return e.andi(keyValid[i], colValid[c]);
  };

  SequenceRows rows = sequenceRows(e, config, args, sequence);
  Value rowStart = rows.start, length = rows.length;
  SsdHeadScalars ssdHead = loadSsdHeadScalars(e, args, head);
  Value headA = ssdHead.a, headD = ssdHead.d, headBias = ssdHead.dtBias;
  // loom.ssd keeps its state as [V, K].
  Value stateBase = e.mul(bh, e.i64c(K * V));
  auto stateIndex = [&](int64_t i, int64_t c) {
    return e.add(stateBase, config.ssd
                                ? e.add(e.mul(cols[c], e.i64c(K)), keys[i])
                                : e.add(e.mul(keys[i], e.i64c(V)), cols[c]));
  };
  auto at = [&](int64_t i, int64_t c) { return i * kColumns + c; };

  SmallVector<Value> initial;
  for (int64_t i = 0; i < keyRegs; ++i)
    for (int64_t c = 0; c < kColumns; ++c) {
      Value s = zero;
      if (s0Ptr)
        s = e.select(valid(i, c),
                     e.load(e.f32, e.gep(s0Ptr, e.f32, stateIndex(i, c)), 4),
                     zero);
      initial.push_back(s);
    }

  auto loop = scf::ForOp::create(builder, loc, e.i64c(0), length, e.i64c(1),
                                 initial);
  builder.setInsertionPointToStart(loop.getBody());
  SmallVector<Value> S(loop.getRegionIterArgs());
  Value row = e.add(rowStart, loop.getInductionVar());
  Value qkRow = e.mul(e.add(e.mul(row, Hk), qkHead), e.i64c(K));
  Value headRow = e.add(e.mul(row, H), head);
  Value vRow = e.mul(headRow, e.i64c(V));

  auto loadKeys = [&](Value ptr) {
    SmallVector<Value> x;
    for (int64_t i = 0; i < keyRegs; ++i)
      x.push_back(e.select(
          keyValid[i],
          widen(e.load(elt, e.gep(ptr, elt, e.add(qkRow, keys[i])), eltAlign)),
          zero));
    if (config.qkL2norm) {
      // x / sqrt(sum x^2 + 1e-6), the inverse root as 2^(-log2(.) / 2).
      Value sum = zero;
      for (Value xi : x)
        sum = e.fadd(sum, e.fmul(xi, xi));
      Value inv = e.exp2(e.fmul(e.log2(e.fadd(e.warpSum(sum), e.f32c(1e-6f))),
                                e.f32c(-0.5f)));
      for (Value &xi : x)
        xi = e.fmul(xi, inv);
    }
    return x;
  };
  SmallVector<Value> k = loadKeys(kPtr), q = loadKeys(qPtr);

  // The decay, and loom.ssd's dt'.
  Value dt;
  if (decay) {
    Value g = e.load(e.f32, e.gep(gPtr, e.f32, headRow), 4);
    if (config.ssd) {
      dt = headBias ? e.fadd(g, headBias) : g;
      if (config.dtSoftplus)
        dt = e.softplus(dt);
      g = e.fmul(dt, headA);
    }
    Value w = e.exp2(e.fmul(g, e.f32c(kLog2e)));
    for (Value &s : S)
      s = e.fmul(s, w);
  }
  if (perKey)
    for (int64_t i = 0; i < keyRegs; ++i) {
      Value g = e.load(
          e.f32, e.gep(gPtr, e.f32, e.add(e.mul(headRow, e.i64c(K)), keys[i])),
          4);
      Value w = e.exp2(e.fmul(g, e.f32c(kLog2e)));
      for (int64_t c = 0; c < kColumns; ++c)
        S[at(i, c)] = e.fmul(S[at(i, c)], w);
    }

  SmallVector<Value> x, v;
  for (int64_t c = 0; c < kColumns; ++c) {
    x.push_back(widen(e.load(elt, e.gep(vPtr, elt, e.add(vRow, cols[c])), eltAlign)));
    v.push_back(dt ? e.fmul(x.back(), dt) : x.back());
  }
  // The keys' sum of this lane's rows times `w`, per column, over the warp.
  auto keySums = [&](ArrayRef<Value> w) {
    SmallVector<Value> sums;
    for (int64_t c = 0; c < kColumns; ++c) {
      Value sum = zero;
      for (int64_t i = 0; i < keyRegs; ++i)
        sum = e.fadd(sum, e.fmul(w[i], S[at(i, c)]));
      sums.push_back(e.warpSum(sum));
    }
    return sums;
  };
  SmallVector<Value> u(v);
  if (betaPtr) {
    Value beta = e.load(e.f32, e.gep(betaPtr, e.f32, headRow), 4);
    SmallVector<Value> predicted = keySums(k);
    for (int64_t c = 0; c < kColumns; ++c)
      u[c] = e.fmul(beta, e.fsub(v[c], predicted[c]));
  }
  for (int64_t i = 0; i < keyRegs; ++i)
    for (int64_t c = 0; c < kColumns; ++c)
      S[at(i, c)] = e.fadd(S[at(i, c)], e.fmul(k[i], u[c]));

  SmallVector<Value> o = keySums(q);
  e.ifThen(e.eq(lane, e.i64c(0)), [&] {
    for (int64_t c = 0; c < kColumns; ++c)
      e.ifThen(colValid[c], [&] {
        Value y = e.fmul(o[c], e.f32c(config.scale));
        if (headD)
          y = e.fadd(y, e.fmul(headD, x[c]));
        Value index = e.add(vRow, cols[c]);
        if (zPtr) {
          Value z = widen(e.load(elt, e.gep(zPtr, elt, index), eltAlign));
          y = e.fmul(y, e.silu(z));
        }
        e.store(narrow(y), e.gep(oPtr, elt, index), eltAlign);
      });
  });
  scf::YieldOp::create(builder, loc, S);

  builder.setInsertionPointAfter(loop);
  Value nullPtr = LLVM::ZeroOp::create(builder, loc, e.globalPtr);
  Value hasOut = LLVM::ICmpOp::create(builder, loc, LLVM::ICmpPredicate::ne,
                                      sOutPtr, nullPtr);
  e.ifThen(hasOut, [&] {
    for (int64_t i = 0; i < keyRegs; ++i)
      for (int64_t c = 0; c < kColumns; ++c)
        e.ifThen(valid(i, c), [&] {
          e.store(loop.getResult(at(i, c)),
                  e.gep(sOutPtr, e.f32, stateIndex(i, c)), 4);
        });
  });
  gpu::ReturnOp::create(builder, loc);
  return func;
}
