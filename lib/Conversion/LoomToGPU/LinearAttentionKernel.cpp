//===- LinearAttentionKernel.cpp - Fused chunked linear attention kernel --===//
//
// One CTA of four warps walks the chunks of one (sequence, value head,
// value tile) in order. Per chunk of C = 64 tokens, with G the in-chunk
// inclusive cumsum of the log decay (log2 domain):
//
//   P = (Q K^T) * exp2(G_i - G_j) * [j <= i]           (warp w: rows 16w..)
//   O = scale * (exp2(G_i) * (Q S) + P V)
//   S = exp2(G_last) * S + K^T (exp2(G_last - G_j) * V)  (warp w: K/4 rows)
//
// S lives in f32 registers as mma accumulators across the chunk loop; a bf16
// copy in shared memory feeds Q S. Every exponent is <= 0. Q, K, V and the
// decays of chunk c+1 stream into the other half of a double-buffered
// shared-memory ring with cp.async while chunk c computes, so HBM sees q, k,
// v, g, o and the final state once: no per-chunk state is written.
//
// The delta rule replaces V by the chunk's U before the lines above:
//
//   L = beta_i (K K^T) * exp2(G_i - G_j) * [j < i]
//   U = (I + L)^-1 beta (V - exp2(G) * (K S))            (warp w: rows 16w..)
//
// with (I + L)^-1 built in shared memory from its 16x16 diagonal blocks.
// Q is first read after U, so it has one buffer, refilled after the chunk.
// By default the inverse pass (DeltaInverse::Write) builds T, P and G for
// every chunk in parallel and the loop (Read) copies them in instead; up
// to 32 columns that loop takes Q S beside K S, with Q in the ring. By
// default that loop is two warpgroups (outputWarpgroup): one walks the
// state's chain (K S, U, the state update), the other computes O a chunk
// behind it from the S and U the first passes on through named barriers.
//
//===----------------------------------------------------------------------===//

#include "LinearAttentionParams.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <cmath>
#include <numeric>

using namespace mlir;
using namespace mlir::loom;

namespace {
constexpr int64_t kChunk = 64;
constexpr int64_t kWarps = 4;
constexpr int64_t kThreads = 32 * kWarps;
/// Row padding (in 16-bit elements) that makes ldmatrix conflict-free.
constexpr int64_t kPad = 8;
constexpr double kLog2e = 1.4426950408889634;
/// Shared memory of an sm_90 multiprocessor (sm_80: 164 KB).
constexpr int64_t kSharedPerMultiprocessor = 228 * 1024;
/// Named barriers of a loop with an output warpgroup (0 is the CTA's).
constexpr int kStateBarrier = 1, kReady = 2, kFree = 4;

/// How a 16-bit [rows][cols] region is laid out: rows padded to `stride`
/// elements, for conflict-free ldmatrix; or, `core`, as wgmma reads its
/// operands without swizzle: 8x8 core matrices of 128 contiguous bytes,
/// row-major over the grid of them (`stride` is then the column count).
/// Eight consecutive columns from a multiple of 8 are one 16-byte segment
/// in both.
struct Tile {
  int64_t stride;
  bool core = false;
  /// Bytes between 8-row groups (core matrices along the rows).
  int64_t rowGroupBytes() const { return 16 * stride; }
  int64_t offset(int64_t row, int64_t col) const {
    if (!core)
      return (row * stride + col) * 2;
    return (row / 8) * rowGroupBytes() + (col / 8) * 128 + (row % 8) * 16 +
           (col % 8) * 2;
  }
};

/// A chunk's T, G and P as the inverse pass leaves them for the mma.sync
/// loop (LinearAttentionKernelConfig::packedInverse): one contiguous image
/// a chunk in the workspace, which the loop copies in by block rows. T and P
/// are each their ten 16x16 blocks on and below the diagonal (the others
/// are zero and not stored), block (i, j) the (i (i + 1) / 2 + j)-th, 16
/// rows of 32 bytes; the two 16-byte halves of row r trade places where
/// r / 4 is odd, so that the eight rows of an ldmatrix phase fall in
/// distinct banks. With a decay G, 64 f32, sits between them. In shared
/// memory the loop keeps each matrix as the 4 x 4 grid of its blocks (row
/// i from byte 4 i kBlockBytes), zero above the diagonal, so that a warp's
/// fragment of k-step ks is an immediate offset from its row's.
struct PackedInverse {
  static constexpr int64_t kBlockBytes = 16 * 16 * 2;
  static constexpr int64_t kMatrixBytes = 10 * kBlockBytes;
  static constexpr int64_t kRows = kChunk / 16;
  static constexpr int64_t kGridBytes = kRows * kRows * kBlockBytes;
  int64_t gBytes;
  explicit PackedInverse(const LinearAttentionKernelConfig &c)
      : gBytes(c.scalarDecay ? kChunk * 4 : 0) {}
  int64_t g() const { return kMatrixBytes; }
  int64_t p() const { return kMatrixBytes + gBytes; }
  int64_t chunkBytes() const { return 2 * kMatrixBytes + gBytes; }
  /// Block row i of a matrix: its bytes in the image, from the matrix's
  /// start, and in the shared grid.
  static int64_t imageRow(int64_t i) { return i * (i + 1) / 2 * kBlockBytes; }
  static int64_t rowBytes(int64_t i) { return (i + 1) * kBlockBytes; }
  static int64_t gridRow(int64_t i) { return i * kRows * kBlockBytes; }
};

/// Byte offsets of the shared-memory regions.
struct SharedLayout {
  int64_t qStride, vStride;     // padded row lengths, in elements
  // The layouts of Q and K, of V, of the other [64 or K][BV] regions (S,
  // R, U, exp2-scaled U) and of the [64][64] ones (T, P, L). With wgmma
  // (`coreTiled`: the delta rule's loop reading its inverse) all but V,
  // which threads read, are core-tiled.
  bool coreTiled;
  Tile qkTile, vTile, valuesTile, tTile;
  // Double-buffered inputs: stage s starts at s * stageBytes. The delta
  // rule reads Q late in a chunk, so one Q buffer refilled after the chunk
  // suffices (and keeps two CTAs of 32 value columns on a multiprocessor);
  // its loop that reads the inverse on mma.sync takes Q S at the top
  // (`earlyQ`) and has Q in the ring.
  bool earlyQ, singleQ;
  // With an output warpgroup (LinearAttentionKernelConfig::outputWarpgroup)
  // the stage also holds its own copy of G (gOut), and S's 16-bit copy and
  // U are double-buffered, chunk c's in buffer c % 2 (stateBytes and
  // solutionBytes apart): the output warpgroup reads them while the state
  // warpgroup computes the next chunk.
  bool outputGroup;
  int64_t gOut[2], stateBytes, solutionBytes;
  // Reading a packed inverse, each stage holds T's and P's block grids
  // (PackedInverse) and G, with an output warpgroup a copy of G of its
  // own.
  bool packed;
  // Reading the delta inverse, g holds the chunk's cumulated log2 decays
  // G as the inverse pass wrote them, and loadedScores its scores P.
  int64_t q[2], k[2], v[2], g[2], beta[2], loadedInverse[2], loadedScores[2],
      stageBytes;
  // Every warp cumulates the chunk's decays into its own copy, with no
  // barrier; loom.ssd's kernels, whose 64-column split pass sits at the
  // register limit (ptxas spills there with the per-warp form), keep one
  // copy cumulated by warps 0 and 1 behind two barriers.
  bool cumsumPerWarp;
  int64_t vScaled, state, cumsum, cumsumBytes, dt, warpSum;
  // GLA: the gates' stage holds [C][K] f32, cumulated in place; Q and K
  // with their in-block decays folded in; per-key factor tables.
  int64_t qTilde, keyF, blockRef, pairFactor, interFactor, stateFactor,
      lastDecay;
  // The delta rule: each warp's diagonal block of L in f32 (sharing its
  // region with a 16x16 merge scratch tile per warp), L in 16 bits,
  // T = (I + L)^-1 (solved here, or a stage input when read), the
  // right-hand side R and the solution U.
  int64_t lStride, tStride, scratchStride;
  int64_t lower, lowerPacked, inverse, scores, scratch, rhs, solution;
  int64_t total;

  SharedLayout(const LinearAttentionKernelConfig &c) {
    const bool delta = c.deltaRule;
    const bool writeInverse = c.writesDeltaInverse();
    const bool readInverse = c.readsDeltaInverse();
    // f32 rows of 20 words: a warp's accumulator stores hit distinct
    // banks; 16-bit rows padded by kPad for ldmatrix.
    coreTiled = readInverse && c.loopOnWarpgroupMma();
    const int64_t pad = coreTiled ? 0 : kPad;
    lStride = 16 + 4;
    tStride = kChunk + pad;
    scratchStride = 16 + kPad;
    qStride = c.headDimK + pad;
    vStride = c.valueTile + kPad;
    qkTile = Tile{qStride, coreTiled};
    vTile = Tile{vStride};
    valuesTile = Tile{c.valueTile + pad, coreTiled};
    tTile = Tile{tStride, coreTiled};
    int64_t qBytes = kChunk * qStride * 2, vBytes = kChunk * vStride * 2;
    int64_t valuesBytes = kChunk * valuesTile.stride * 2;
    int64_t tBytes = kChunk * tStride * 2;
    int64_t offset = 0;
    auto take = [&](int64_t bytes) {
      int64_t at = offset;
      offset += (bytes + 15) / 16 * 16;
      return at;
    };
    // The inverse pass reads no V and keeps no state; a split's first pass
    // reads no Q and never reads S back (no Q S, no K S).
    const bool localStates =
        c.split == LinearAttentionKernelConfig::Split::LocalStates;
    // O's accumulators live through U: up to 32 columns a warpgroup.
    outputGroup = c.outputWarpgroup && readInverse && !coreTiled &&
                  c.columnGroups == 1;
    earlyQ = readInverse && !coreTiled && !outputGroup &&
             c.valueTile / c.columnGroups <= 32;
    singleQ = delta && !writeInverse && !earlyQ && !outputGroup;
    packed = readInverse && c.packedInverse();
    const PackedInverse image(c);
    for (int s = 0; s < 2; ++s) {
      q[s] = singleQ || localStates ? 0 : take(qBytes);
      k[s] = take(qBytes);
      v[s] = take(writeInverse ? 0 : vBytes);
      if (packed) {
        beta[s] = take(kChunk * 4);
        loadedInverse[s] = take(PackedInverse::kGridBytes);
        g[s] = take(image.gBytes);
        gOut[s] = take(outputGroup ? image.gBytes : 0);
        loadedScores[s] = take(PackedInverse::kGridBytes);
      } else {
        g[s] = take(c.scalarDecay   ? kChunk * 4
                    : c.perKeyDecay ? kChunk * c.headDimK * 4
                                    : 0);
        beta[s] = take(delta ? kChunk * 4 : 0);
        loadedInverse[s] = take(readInverse ? tBytes : 0);
        loadedScores[s] = take(readInverse ? tBytes : 0);
        gOut[s] = take(outputGroup && c.scalarDecay ? kChunk * 4 : 0);
      }
      if (s == 0)
        stageBytes = offset;
    }
    if (singleQ)
      q[0] = q[1] = take(qBytes);
    vScaled = take(c.scalarDecay && !writeInverse ? valuesBytes : 0);
    const int64_t copies = outputGroup ? 2 : 1;
    stateBytes = writeInverse || localStates
                     ? 0
                     : c.headDimK * valuesTile.stride * 2;
    state = take(copies * stateBytes);
    // G, and loom.ssd's dt' right after it: per warp, cumsumBytes apart.
    cumsumPerWarp = !c.ssd;
    cumsumBytes = c.scalarDecay && !readInverse
                      ? (c.ssd ? 2 : 1) * kChunk * 4
                      : 0;
    cumsum = take((cumsumPerWarp ? kWarps : 1) * cumsumBytes);
    dt = cumsum + kChunk * 4;
    warpSum = take(cumsumBytes && !cumsumPerWarp ? 16 : 0);
    bool perKey = c.perKeyDecay;
    int64_t keyFloats = c.headDimK * 4;
    qTilde = take(perKey && !localStates ? qBytes : 0);
    keyF = take(perKey ? qBytes : 0);
    blockRef = take(perKey ? 5 * keyFloats : 0);
    pairFactor = take(perKey && !localStates ? 16 * keyFloats : 0);
    interFactor = take(perKey && !localStates ? 4 * keyFloats : 0);
    stateFactor = take(perKey ? 4 * keyFloats : 0);
    lastDecay = take(perKey ? keyFloats : 0);
    // The f32 diagonal blocks are dead once solved, before any warp uses
    // its scratch tile: one region serves both.
    bool solves = delta && !readInverse;
    lower = take(solves ? std::max(kWarps * 16 * lStride * 4,
                                   kWarps * 16 * scratchStride * 2)
                        : 0);
    scratch = lower;
    lowerPacked = take(solves ? tBytes : 0);
    inverse = take(solves ? tBytes : 0);
    scores = take(writeInverse ? tBytes : 0);
    rhs = take(delta && !writeInverse ? valuesBytes : 0);
    solutionBytes = delta && !writeInverse ? valuesBytes : 0;
    solution = take(copies * solutionBytes);
    total = offset;
  }
};
} // namespace

namespace {
/// A split's workspace, f32: each slot's [K][V] state of every (sequence,
/// head), then each slot's K log2 decays. The first pass writes it, the
/// combine chains it, the second pass reads it; segmentSlotBytes sizes it.
struct SegmentSlots {
  KernelEmitter &e;
  Value slots, NH;
  int64_t K, V;

  /// Element (key, col) of slot `slot`'s state of (sequence, head) `bh`.
  Value state(Value slot, Value bh, Value key, Value col) const {
    Value row = e.add(e.mul(slot, NH), bh);
    return e.add(e.mul(e.add(e.mul(row, e.i64c(K)), key), e.i64c(V)), col);
  }
  /// Decay `key` (0 for a scalar decay) of slot `slot` of `bh`.
  Value decay(Value slot, Value bh, Value key) const {
    Value states = e.mul(e.mul(slots, NH), e.i64c(K * V));
    Value row = e.add(e.mul(slot, NH), bh);
    return e.add(states, e.add(e.mul(row, e.i64c(K)), key));
  }
};
} // namespace

int64_t mlir::loom::linearAttentionSharedBytes(
    const LinearAttentionKernelConfig &config) {
  return SharedLayout(config).total;
}

int64_t mlir::loom::linearAttentionThreads(
    const LinearAttentionKernelConfig &config) {
  return kThreads * config.columnGroups *
         (SharedLayout(config).outputGroup ? 2 : 1);
}
int64_t mlir::loom::linearAttentionChunk() { return kChunk; }

int64_t mlir::loom::maxLinearAttentionValueTile(
    const LinearAttentionKernelConfig &config) {
  // Beyond K = 128 a 64-column state leaves ptxas too few registers (it
  // spills 48-212 bytes).
  if (!config.deltaRule)
    return config.headDimK > 128 ? 32 : 64;
  // The solve leaves no room for a 64-column state. Reading T, the loop
  // holds one at K = 128, but ptxas spills (8 bytes) once an initial
  // state's index stays live across it, and 8-12 bytes at K = 192 or 256.
  return config.readsDeltaInverse() && !config.initialState &&
                 config.headDimK <= 128
             ? 64
             : 32;
}

LogicalResult mlir::loom::checkLinearAttentionKernelConfig(
    const LinearAttentionKernelConfig &c, std::string &why) {
  if (!c.elementType.isBF16() && !c.elementType.isF16()) {
    why = "the chunk kernel takes q, k and v in bf16 or f16";
    return failure();
  }
  if (c.headDimK % 64 != 0 || c.headDimK > 256) {
    why = "the chunk kernel's key head dim K must be 64, 128, 192 or 256 "
          "(got " + std::to_string(c.headDimK) + ")";
    return failure();
  }
  if (c.perKeyDecay && c.deltaRule) {
    why = "the chunk kernel has no per-key decay with beta (KDA)";
    return failure();
  }
  if (c.perKeyDecay && c.headDimK > 128) {
    why = "the chunk kernel's per-key decay runs with K of 64 or 128 (got " +
          std::to_string(c.headDimK) + ")";
    return failure();
  }
  if (c.valueTile > maxLinearAttentionValueTile(c)) {
    why = std::string(c.deltaRule
                          ? "the delta rule with an initial state, K > 128 "
                            "or cu_seqlens"
                          : "the chunk kernel with K > 128") +
          " runs with value tiles of 16 or 32 columns (asked for " +
          std::to_string(c.valueTile) +
          "); use value-tile=32, or 0 to choose at launch";
    return failure();
  }
  if (c.valueTile % 16 != 0 || c.headDimV % c.valueTile != 0) {
    why = "the value head dim V must be a multiple of the value tile " +
          std::to_string(c.valueTile) + " (got " +
          std::to_string(c.headDimV) + ")";
    return failure();
  }
  return success();
}

gpu::GPUFuncOp mlir::loom::buildLinearAttentionKernel(
    OpBuilder &builder, Location loc, gpu::GPUModuleOp module, StringRef name,
    const LinearAttentionKernelConfig &config) {
  const int64_t K = config.headDimK, BV = config.valueTile;
  const bool decay = config.scalarDecay, perKey = config.perKeyDecay;
  SharedLayout layout(config);
  // Column groups: warpgroup g of the CTA holds columns [g GV, (g+1) GV)
  // of the value tile (S, R, U and O); all share the chunk's inputs.
  const int64_t groups = config.columnGroups;
  const int64_t GV = BV / groups;
  // With an output warpgroup, warpgroup 0 walks the state's chain and
  // warpgroup 1 computes O a chunk behind it; each copies its own inputs.
  const bool outputGroup = layout.outputGroup;
  assert((!outputGroup || (config.readsDeltaInverse() && groups == 1)) &&
         "the output warpgroup is a form of the loop that reads the inverse");
  const int64_t threads = linearAttentionThreads(config);
  const int64_t copyThreads = outputGroup ? kThreads : threads;
  assert((groups == 1 || (config.readsDeltaInverse() && !layout.coreTiled &&
                          GV >= 16)) &&
         "column groups split the mma.sync loop's tiles of 32 columns up");

  KernelEmitter e(builder, loc, config.elementType);
  SmallVector<Type> params = LinearAttentionParams::types(e, config);
  const bool split = config.split != LinearAttentionKernelConfig::Split::None;
  const bool statesOnly =
      config.split == LinearAttentionKernelConfig::Split::LocalStates;
  const bool writeInverse = config.writesDeltaInverse();
  const bool readInverse = config.readsDeltaInverse();
  const bool withWorkspace = split || writeInverse || readInverse;
  if (withWorkspace) // segmentChunks NH slots workspace
    params.append({e.i64, e.i64, e.i64, e.globalPtr});

  OpBuilder::InsertionGuard guard(builder);
  auto func = e.beginKernel(module, name, params, threads);
  // Without a minimum of one CTA per multiprocessor ptxas may cap
  // registers at 168 (three CTAs' worth) and spill. Where shared memory
  // allows two CTAs at most, 255 registers a thread still fit two; the
  // delta rule and qk_l2norm need them at any size.
  const bool registersForOneCta =
      config.deltaRule || config.qkL2norm ||
      config.split == LinearAttentionKernelConfig::Split::FromStates ||
      3 * layout.total > kSharedPerMultiprocessor;
  if (registersForOneCta)
    func->setAttr(NVVM::NVVMDialect::getMinctasmAttrName(),
                  builder.getI32IntegerAttr(1));
  Block &entry = func.getBody().front();

  unsigned argIndex = 0;
  auto args = LinearAttentionParams::unpack(entry, config, argIndex);
  Value qPtr = args.q, kPtr = args.k, vPtr = args.v, gPtr = args.g;
  Value zPtr = args.z, betaPtr = args.beta, s0Ptr = args.s0;
  Value oPtr = args.o, sOutPtr = args.sOut;
  // Static head counts fold into the address arithmetic (row strides
  // become immediates).
  Value H = config.heads ? e.i64c(config.heads) : args.H;
  Value Hk = config.keyHeads ? e.i64c(config.keyHeads) : args.Hk;
  Value segmentChunks, NH, slots, workspace;
  if (withWorkspace) {
    segmentChunks = entry.getArgument(argIndex++);
    NH = entry.getArgument(argIndex++);
    slots = entry.getArgument(argIndex++);
    workspace = entry.getArgument(argIndex++);
  }

  Type elt = config.elementType;
  Value smem = e.sharedBase(module);
  Value thread = e.threadId();
  // A role numbers its threads from 0.
  Value tid = outputGroup ? e.remu(thread, e.i64c(kThreads)) : thread;
  Value lane = e.remu(tid, e.i64c(32));
  // The warp's place in its warpgroup: its 16 rows of a chunk, its K/4
  // rows of the state.
  Value warp = groups > 1 ? e.remu(e.divu(tid, e.i64c(32)), e.i64c(kWarps))
                          : e.divu(tid, e.i64c(32));
  // The warpgroup's first column of the value tile; a column of its
  // share as a column of the tile, and a region of 16-bit rows at its
  // share's first column. With one warpgroup both are the identity (no
  // ops: the kernel is as it was).
  Value groupCol = groups > 1
                       ? e.mul(e.divu(tid, e.i64c(kThreads)), e.i64c(GV))
                       : e.i64c(0);
  auto inGroup = [&](Value col) {
    return groups > 1 ? e.add(groupCol, col) : col;
  };
  auto groupColumns = [&](Value regionBytes) {
    return groups > 1 ? e.add(regionBytes, e.mul(groupCol, e.i64c(2)))
                      : regionBytes;
  };
  Value bh = e.blockId(0);
  Value sequence = e.divu(bh, H);
  Value head = e.remu(bh, H);
  Value qkHead = e.divu(head, e.divu(H, Hk));
  Value v0 = e.mul(e.blockId(1), e.i64c(BV));
  SequenceRows rows = sequenceRows(e, config, args, sequence);
  Value rowStart = rows.start, length = rows.length;
  Value numChunks =
      e.divu(e.add(length, e.i64c(kChunk - 1)), e.i64c(kChunk));
  // The chunks this CTA walks: all, or its segment's.
  Value chunkBegin = e.i64c(0), chunkEnd = numChunks, segment;
  if (split || writeInverse) {
    segment = e.blockId(2);
    chunkBegin = e.mul(segment, segmentChunks);
    chunkEnd = e.minu(e.add(chunkBegin, segmentChunks), numChunks);
  }
  // Per-head scalars of loom.ssd.
  SsdHeadScalars ssdHead = loadSsdHeadScalars(e, args, head);
  Value headA = ssdHead.a, headD = ssdHead.d, headBias = ssdHead.dtBias;

  // Shared-memory element pointers.
  auto sharedAt = [&](int64_t byteOffset, Type type, Value index) {
    Value base = e.gep(smem, e.b.getI8Type(), e.i64c(byteOffset));
    return e.gep(base, type, index);
  };
  // Stages are laid out back to back, so a region's address is one
  // multiply-add per iteration and every fragment address below is a
  // per-lane pattern plus a constant that folds into the instruction.
  auto stageOffset = [&](const int64_t (&offsets)[2], Value stage) {
    return e.add(e.i64c(offsets[0]), e.mul(stage, e.i64c(layout.stageBytes)));
  };
  /// Buffer `index` (0 or 1) of a region of two, `bytes` apart.
  auto sharedBuffer = [&](int64_t base, int64_t bytes, Value index) {
    return e.add(e.i64c(base), e.mul(index, e.i64c(bytes)));
  };
  /// Byte offset of element (row, col) in a region of row stride `stride`.
  auto byteOffset = [&](Value row, Value col, int64_t stride) {
    return e.mul(e.add(e.mul(row, e.i64c(stride)), col), e.i64c(2));
  };
  /// Whether element (row, col) of a chunk's [64][64] T or P lies in a
  /// 16x16 block on or below the diagonal: the blocks the inverse pass
  /// stores and the loop copies (the others are zero).
  auto inLowerBlock = [&](Value row, Value col) {
    return e.ule(e.divu(col, e.i64c(16)), e.divu(row, e.i64c(16)));
  };
  /// Zeroes [64][tStride] 16-bit regions (T's and P's shape), `count`
  /// threads from thread index `first`.
  auto zeroTRegions = [&](ArrayRef<int64_t> regions, Value first,
                          int64_t count) {
    int64_t words = kChunk * layout.tStride / 2;
    for (int64_t region : regions)
      for (int64_t i = 0; i < words / count; ++i)
        e.store(e.i32c(0),
                sharedAt(region, e.i32, e.add(first, e.i64c(i * count))), 4);
  };
  /// Byte offset of element (row, col) of a region laid out as `tile`.
  auto tileOffset = [&](const Tile &tile, Value row, Value col) {
    if (!tile.core)
      return byteOffset(row, col, tile.stride);
    Value eight = e.i64c(8);
    Value group = e.mul(e.divu(row, eight), e.i64c(tile.rowGroupBytes()));
    Value matrix = e.mul(e.divu(col, eight), e.i64c(128));
    Value inside = e.add(e.mul(e.remu(row, eight), e.i64c(16)),
                         e.mul(e.remu(col, eight), e.i64c(2)));
    return e.add(e.add(group, matrix), inside);
  };
  /// ldmatrix at region + lane pattern + constant (all in bytes).
  auto ldm = [&](Value region, Value pattern, int64_t constant,
                 bool transpose) {
    Value base = e.gep(smem, e.b.getI8Type(), e.add(region, pattern));
    return e.ldmatrix(e.gep(base, e.b.getI8Type(), e.i64c(constant)), 4,
                      transpose);
  };
  /// Which 16-byte half of row `row` (of a PackedInverse block) holds the
  /// row's half `half`: they trade places where row / 4 is odd.
  auto swizzledHalf = [&](Value half, Value row) {
    return e.remu(e.add(half, e.divu(row, e.i64c(4))), e.i64c(2));
  };
  auto sharedAtDyn = [&](Value byteOffset, Type type, Value index) {
    Value base = e.gep(smem, e.b.getI8Type(), byteOffset);
    return e.gep(base, type, index);
  };
  /// Element (row, col) of the `tile` region at byte `region`. Padded rows
  /// keep the element-index form they had before core tiles existed, which
  /// leaves the mma.sync kernels' PTX as it was.
  auto tileAt = [&](Value region, const Tile &tile, Value row, Value col) {
    if (!tile.core)
      return sharedAtDyn(region, elt,
                         e.add(e.mul(row, e.i64c(tile.stride)), col));
    return e.gep(e.gep(smem, e.b.getI8Type(), region), e.b.getI8Type(),
                 tileOffset(tile, row, col));
  };

  // The delta inverse pass's workspace (deltaInverseChunkBytes). Packed,
  // chunk c of (sequence, head) bh is image bh * chunks + c. Otherwise T
  // of every chunk of every (sequence, head) as [NH][chunks][64][64], the
  // scores P likewise, then with a decay G as [NH][chunks][64] f32: the
  // row of T or P of token t of bh is row bh * chunks * 64 + t of 64
  // elements; inverseRows and scoreRows index bh's first, cumsumRows its
  // first G.
  Value inverseRows, scoreRows, cumsumRows;
  const bool packed = config.packedInverse();
  const PackedInverse image(config);
  auto imageAt = [&](Value chunk) {
    return e.gep(
        workspace, e.b.getI8Type(),
        e.mul(e.add(e.mul(bh, numChunks), chunk), e.i64c(image.chunkBytes())));
  };
  if ((writeInverse || readInverse) && !packed) {
    Value perHead = e.mul(numChunks, e.i64c(kChunk * kChunk));
    inverseRows = e.mul(bh, perHead);
    scoreRows = e.add(inverseRows, e.mul(NH, perHead));
    // T and P take 2 * 2 bytes per element of NH * perHead: one f32 each.
    cumsumRows = e.add(e.mul(NH, perHead),
                       e.mul(bh, e.mul(numChunks, e.i64c(kChunk))));
  }

  // The copies of loadChunk (below) for the chunk at token t0; `interior`
  // when none of its rows lies past the sequence. `outputShare`: the output
  // warpgroup's Q, P and G only (the rest then leaves P to it).
  auto copyChunk = [&](Value t0, Value stage, bool withQ, bool withRest,
                       bool interior, bool outputShare) {
    // Whether token t lies in the sequence, and the row to read for it:
    // rows past the sequence zero-fill from the last row's address, which
    // stays in bounds.
    auto insideSequence = [&](Value t) {
      return interior ? e.i1c(true) : e.ult(t, length);
    };
    auto clampToSequence = [&](Value t) {
      return interior ? t : e.minu(t, e.sub(length, e.i64c(1)));
    };
    // `lowerBlocks`: T or P, of which only the 16x16 blocks on and below
    // the diagonal are written and copied; the others hold the zeros the
    // kernel stored at its start.
    auto copyRows = [&](Value globalBase, int64_t rowElems,
                        Value rowStrideGlobal, Value colOffset, Value region,
                        const Tile &tile, bool lowerBlocks = false) {
      int64_t vecsPerRow = rowElems / 8;
      int64_t total = kChunk * vecsPerRow;
      assert(total % copyThreads == 0 && "a copy pass per thread and region");
      // Padded rows: consecutive threads copy consecutive segments, row by
      // row. Where a row's segments do not divide the threads (K = 192: 24
      // segments, 128 threads), `period` passes cover whole rows, so pass
      // i starts from pattern i % period. Core tiles: eight consecutive
      // threads copy one core matrix (eight rows' segments of one column
      // block, 128 contiguous bytes: no bank conflicts), a warp 64-byte
      // runs of eight rows; pass i moves on by threads / 8 such strips.
      // Either way pass i is a constant offset (rows, columns, bytes) from
      // its pattern.
      const int64_t period =
          tile.core ? 1 : vecsPerRow / std::gcd(copyThreads, vecsPerRow);
      const int64_t rowsPerPeriod = copyThreads * period / vecsPerRow;
      auto passOffset = [&](int64_t i) {
        if (!tile.core)
          return std::make_pair((i / period) * rowsPerPeriod, int64_t(0));
        int64_t strips = i * (copyThreads / 8);
        return std::make_pair(8 * (strips / vecsPerRow),
                              8 * (strips % vecsPerRow));
      };
      SmallVector<Value> row0s, cols, dstPatterns, firsts;
      for (int64_t j = 0; j < period; ++j) {
        Value row0, col;
        if (tile.core) {
          Value strip = e.divu(tid, e.i64c(8));
          row0 = e.add(e.remu(tid, e.i64c(8)),
                       e.mul(e.divu(strip, e.i64c(vecsPerRow)), e.i64c(8)));
          col = e.mul(e.remu(strip, e.i64c(vecsPerRow)), e.i64c(8));
        } else {
          Value id = j ? e.add(tid, e.i64c(j * copyThreads)) : tid;
          row0 = e.divu(id, e.i64c(vecsPerRow));
          col = e.mul(e.remu(id, e.i64c(vecsPerRow)), e.i64c(8));
        }
        row0s.push_back(row0);
        cols.push_back(col);
        dstPatterns.push_back(tileOffset(tile, row0, col));
        firsts.push_back(
            interior ? e.gep(globalBase, elt,
                             e.add(e.mul(e.add(t0, row0), rowStrideGlobal),
                                   e.add(colOffset, col)))
                     : Value());
      }
      for (int64_t i = 0; i < total / copyThreads; ++i) {
        auto [rowStep, colStep] = passOffset(i);
        Value row0 = row0s[i % period], col = cols[i % period];
        Value src, valid = e.i1c(true);
        if (interior) {
          src = e.gep(firsts[i % period], elt,
                      e.add(e.mul(e.i64c(rowStep), rowStrideGlobal),
                            e.i64c(colStep)));
        } else {
          Value t = e.add(t0, e.add(row0, e.i64c(rowStep)));
          valid = insideSequence(t);
          Value tc = clampToSequence(t);
          src = e.gep(globalBase, elt,
                      e.add(e.mul(tc, rowStrideGlobal),
                            e.add(colOffset, colStep
                                                 ? e.add(col, e.i64c(colStep))
                                                 : col)));
        }
        Value dst = e.gep(
            e.gep(smem, e.b.getI8Type(), e.add(region, dstPatterns[i % period])),
            e.b.getI8Type(), e.i64c(tile.offset(rowStep, colStep)));
        if (!lowerBlocks) {
          e.cpAsync(dst, src, 16, valid);
          continue;
        }
        // Skipped, not zero-filled: a copy with a run-time source size is
        // slower even where it copies all 16 bytes (bench/NOTES.md d21).
        e.ifThen(inLowerBlock(e.add(row0, e.i64c(rowStep)),
                              e.add(col, e.i64c(colStep))),
                 [&] { e.cpAsync(dst, src, 16, valid); });
      }
    };
    // Token t of the sequence sits at ((rowStart + t) * heads + head) * dim.
    Value qkBase = e.mul(e.add(e.mul(rowStart, Hk), qkHead), e.i64c(K));
    Value qkStride = e.mul(Hk, e.i64c(K));
    if (withQ || outputShare)
      copyRows(e.gep(qPtr, elt, qkBase), K, qkStride, e.i64c(0),
               layout.singleQ ? e.i64c(layout.q[0])
                              : stageOffset(layout.q, stage),
               layout.qkTile);
    auto copyScores = [&] {
      copyRows(e.gep(workspace, elt, scoreRows), kChunk, e.i64c(kChunk),
               e.i64c(0), stageOffset(layout.loadedScores, stage), layout.tTile,
               /*lowerBlocks=*/true);
    };
    // G as the inverse pass cumulated it (all 64 rows of every chunk).
    auto copyCumsum = [&](const int64_t (&offsets)[2]) {
      e.ifThen(e.ult(tid, e.i64c(kChunk)), [&] {
        Value src = e.gep(workspace, e.f32,
                          e.add(cumsumRows, e.add(t0, tid)));
        Value dst = sharedAtDyn(stageOffset(offsets, stage), e.f32, tid);
        e.cpAsync(dst, src, 4, e.i1c(true));
      });
    };
    if (outputShare) {
      if (!packed) {
        copyScores();
        if (decay)
          copyCumsum(layout.gOut);
      }
      return;
    }
    if (!withRest)
      return;
    copyRows(e.gep(kPtr, elt, qkBase), K, qkStride, e.i64c(0),
             stageOffset(layout.k, stage), layout.qkTile);
    Value vBase = e.mul(e.add(e.mul(rowStart, H), head),
                        e.i64c(config.headDimV));
    Value vStride = e.mul(H, e.i64c(config.headDimV));
    if (!writeInverse)
      copyRows(e.gep(vPtr, elt, vBase), BV, vStride, v0,
               stageOffset(layout.v, stage), layout.vTile);
    // The chunk's T and P from the workspace; rows past the sequence
    // zero-fill, like R's.
    if (readInverse && !packed) {
      copyRows(e.gep(workspace, elt, inverseRows), kChunk, e.i64c(kChunk),
               e.i64c(0), stageOffset(layout.loadedInverse, stage),
               layout.tTile, /*lowerBlocks=*/true);
      if (!outputGroup)
        copyScores();
    }
    // Per-token f32 gates [B, T, H]; tokens past the sequence read as 0
    // (beta = 0 keeps them out of the delta rule's solve).
    auto copyGate = [&](Value gatePtr, const int64_t (&offsets)[2]) {
      e.ifThen(e.ult(tid, e.i64c(kChunk)), [&] {
        Value t = e.add(t0, tid);
        Value src = e.gep(
            gatePtr, e.f32,
            e.add(e.mul(e.add(rowStart, clampToSequence(t)), H), head));
        Value dst = sharedAtDyn(stageOffset(offsets, stage), e.f32, tid);
        e.cpAsync(dst, src, 4, insideSequence(t));
      });
    };
    if (decay && readInverse) {
      if (!packed)
        copyCumsum(layout.g);
    } else if (decay) {
      copyGate(gPtr, layout.g);
    }
    if (perKey) {
      // Per-key gates [B, T, H, K] f32: rows of K/4 16-byte copies.
      int64_t vecsPerRow = K / 4, rowsPerPass = kThreads / vecsPerRow;
      Value row0 = e.divu(tid, e.i64c(vecsPerRow));
      Value col = e.mul(e.remu(tid, e.i64c(vecsPerRow)), e.i64c(4));
      Value region = stageOffset(layout.g, stage);
      for (int64_t i = 0; i < kChunk * vecsPerRow / kThreads; ++i) {
        Value row = e.add(row0, e.i64c(i * rowsPerPass));
        Value t = e.add(t0, row);
        Value tc = clampToSequence(t);
        Value src = e.gep(
            gPtr, e.f32,
            e.add(e.mul(e.add(e.mul(e.add(rowStart, tc), H), head),
                        e.i64c(K)),
                  col));
        Value dst = sharedAtDyn(region, e.f32,
                                e.add(e.mul(row, e.i64c(K)), col));
        e.cpAsync(dst, src, 16, insideSequence(t));
      }
    }
    if (betaPtr)
      copyGate(betaPtr, layout.beta);
  };
  // Chunk c's packed inverse into stage `stage`: the state warpgroup's
  // share (T and G; P too without an output warpgroup) or the output
  // warpgroup's (G and P), each block row of a matrix from its span of
  // the image into its row of the grid. The spans' 16-byte segments are
  // dealt out in passes of copyThreads, rows 3, 2, 0, 1 (128, 96 + 32 and
  // 64 segments: whole passes of 128 threads), so that every copy is the
  // thread's one offset plus a constant, and where a pass splits between
  // spans the thread's index picks one: no segment skipped, nothing but
  // predicated copies (one bulk copy from one thread lands later and is
  // slower: bench/NOTES.md d25). Rows past the sequence need no zero
  // fill: the inverse pass solved them from zeros (their T rows are the
  // identity's, P's zero).
  auto copyImage = [&](Value c, Value stage, bool outputShare) {
    struct Span {
      int64_t from, to, bytes; // image byte, stage 0 byte, length
    };
    SmallVector<Span> spans;
    auto matrix = [&](int64_t from, int64_t to) {
      for (int64_t i : {3, 2, 0, 1})
        spans.push_back({from + PackedInverse::imageRow(i),
                         to + PackedInverse::gridRow(i),
                         PackedInverse::rowBytes(i)});
    };
    static_assert(PackedInverse::kRows == 4, "four block rows a chunk");
    if (!outputShare)
      matrix(0, layout.loadedInverse[0]);
    if (outputShare || !outputGroup)
      matrix(image.p(), layout.loadedScores[0]);
    if (image.gBytes)
      spans.push_back({image.g(), outputShare ? layout.gOut[0] : layout.g[0],
                       image.gBytes});
    Value src = imageAt(c);
    Value dst =
        e.gep(smem, e.b.getI8Type(), e.mul(stage, e.i64c(layout.stageBytes)));
    Value at = e.mul(tid, e.i64c(16));
    int64_t first = 0; // the span's first segment in the deal
    for (const Span &span : spans) {
      const int64_t segments = span.bytes / 16;
      for (int64_t k = first; k < first + segments;) {
        // Pass k / copyThreads: threads [lo, hi) copy this span's
        // segments k - first + [0, hi - lo).
        int64_t pass = k / copyThreads, lo = k % copyThreads;
        int64_t hi = std::min(copyThreads, lo + (first + segments - k));
        int64_t shift = (k - first - lo) * 16;
        auto copy = [&] {
          Value from = e.gep(e.gep(src, e.b.getI8Type(), at), e.b.getI8Type(),
                             e.i64c(span.from + shift));
          Value to = e.gep(e.gep(dst, e.b.getI8Type(), at), e.b.getI8Type(),
                           e.i64c(span.to + shift));
          e.cpAsync(to, from, 16, e.i1c(true));
        };
        Value inside = e.i1c(true);
        if (lo > 0)
          inside = e.ule(e.i64c(lo), tid);
        if (hi < copyThreads)
          inside = e.andi(inside, e.ult(tid, e.i64c(hi)));
        if (lo == 0 && hi == copyThreads)
          copy();
        else
          e.ifThen(inside, copy);
        k = std::min((pass + 1) * copyThreads, first + segments);
      }
      first += segments;
    }
  };
  // Issues the cp.async copies of chunk `c` into stage `stage`: Q and/or
  // the rest (K, V and the gates). A chunk wholly inside the sequence
  // (every chunk but its last) copies each region from one pointer, a
  // constant step a pass: the loop issues these copies every chunk, and
  // clamping every row costs a dozen 64-bit instructions a copy. The last
  // chunk zero-fills its rows past the sequence from clamped addresses.
  auto loadChunk = [&](Value c, Value stage, bool withQ, bool withRest,
                       bool outputShare = false) {
    if (layout.packed && (withRest || outputShare))
      copyImage(c, stage, outputShare);
    Value t0 = e.mul(c, e.i64c(kChunk));
    // Capped at three CTAs' registers, the kernels that run three to a
    // multiprocessor spill with both forms: they keep the clamped one.
    if (!registersForOneCta)
      return copyChunk(t0, stage, withQ, withRest, /*interior=*/false,
                       outputShare);
    e.ifThenElse(
        e.ule(e.add(t0, e.i64c(kChunk)), length),
        [&] {
          copyChunk(t0, stage, withQ, withRest, /*interior=*/true,
                    outputShare);
        },
        [&] {
          copyChunk(t0, stage, withQ, withRest, /*interior=*/false,
                    outputShare);
        });
  };

  // Per-thread accumulator coordinates: rows lane/4 (+8), columns
  // 2*(lane%4) (+1) of each 16x8 tile.
  Value rowInTile = e.divu(lane, e.i64c(4));
  Value colInTile = e.mul(e.remu(lane, e.i64c(4)), e.i64c(2));
  const int64_t stateRowsPerWarp = K / kWarps;
  const int64_t stateMTiles = stateRowsPerWarp / 16;
  const int64_t vTiles = GV / 8;
  // Warp w holds state rows [w K/4, (w+1) K/4), or with wgmma rows 16w..
  // of each 64-row block (the m64 accumulator layout).
  const bool core = layout.coreTiled;
  Value stateRow0 = e.mul(warp, e.i64c(core ? 16 : stateRowsPerWarp));
  auto stateCoord = [&](int64_t mi, int64_t n, int r) {
    Value row = e.add(stateRow0, e.add(e.i64c(mi * (core ? 64 : 16) +
                                              (r / 2) * 8),
                                       rowInTile));
    Value col = inGroup(e.add(e.i64c(n * 8 + (r % 2)), colInTile));
    return std::make_pair(row, col);
  };
  // Global index of state element (row, v0 + col) of (sequence, head).
  Value stateBase = e.mul(bh, e.i64c(K * config.headDimV));
  // loom.ssd keeps its state as [V, K].
  auto stateIndex = [&](Value row, Value col) {
    if (config.ssd)
      return e.add(stateBase,
                   e.add(e.mul(e.add(v0, col), e.i64c(K)), row));
    return e.add(stateBase,
                 e.add(e.mul(row, e.i64c(config.headDimV)), e.add(v0, col)));
  };

  // The warp's 16 rows of a chunk, and the per-lane ldmatrix patterns
  // (bytes): lane l addresses row l%16, column 8*(l/16) of a 16x16 tile (A,
  // and B read transposed from [k][n]); rows 8*(l/16) + l%8, column
  // 8*((l/8)%2) for B from [n][k]; and rows l%8 + 8*(l/16), column
  // 8*((l/8)%2) for A read transposed. With an output warpgroup both roles
  // need them, so they come before the roles part; the other kernels emit
  // them at the top of the chunk loop, as they always have (LLVM hoists
  // them; their PTX stays as measured).
  Value rowBase, lane16, rowTileCol, qPattern, kPattern, kTransposedPattern,
      vPattern, tRowsPattern, packedPattern, zero;
  SmallVector<Frag> zeroTiles;
  auto emitLanePatterns = [&] {
    lane16 = e.remu(lane, e.i64c(16));
    Value laneHalf = e.divu(lane, e.i64c(16));
    Value lane8 = e.remu(lane, e.i64c(8));
    Value laneMid = e.remu(e.divu(lane, e.i64c(8)), e.i64c(2));
    rowTileCol = e.mul(laneHalf, e.i64c(8));
    Value nkRow = e.add(e.mul(laneHalf, e.i64c(8)), lane8);
    Value nkCol = e.mul(laneMid, e.i64c(8));
    qPattern = byteOffset(e.add(rowBase, lane16), rowTileCol, layout.qStride);
    kPattern = byteOffset(nkRow, nkCol, layout.qStride);
    kTransposedPattern =
        byteOffset(nkRow, e.add(stateRow0, nkCol), layout.qStride);
    vPattern = byteOffset(lane16, rowTileCol, layout.vStride);
    // This warp's rows of a [64][tStride] region as A: the delta rule's L,
    // T and P.
    tRowsPattern =
        byteOffset(e.add(rowBase, lane16), rowTileCol, layout.tStride);
    // Packed: this warp's block row of the grid; lane l reads row l%16 of
    // a block, half l/16 of it, swapped where (l%16) / 4 is odd.
    if (layout.packed) {
      Value half = swizzledHalf(laneHalf, lane16);
      Value inBlock = e.add(e.mul(lane16, e.i64c(32)), e.mul(half, e.i64c(16)));
      Value blockRow = e.divu(rowBase, e.i64c(16));
      packedPattern =
          e.add(e.mul(blockRow, e.i64c(PackedInverse::gridRow(1))), inBlock);
    }
    zero = e.f32c(0.0f);
    zeroTiles.assign(vTiles, Frag{zero, zero, zero, zero});
  };
  /// This warp's A fragment of k-step ks of a loaded T or P at `region`.
  auto loadedBlockFragment = [&](Value region, int64_t ks) {
    if (layout.packed)
      return ldm(region, packedPattern, ks * PackedInverse::kBlockBytes, false);
    return ldm(region, tRowsPattern, ks * 16 * 2, false);
  };
  if (outputGroup) {
    rowBase = e.mul(warp, e.i64c(16));
    emitLanePatterns();
  }
  // Log2 decays of this thread's two accumulator rows of the chunk, from
  // the chunk's G at byte `region`.
  Value gRow[2];
  auto loadRowDecays = [&](Value region) {
    for (int half = 0; half < 2; ++half)
      gRow[half] = e.load(
          e.f32,
          sharedAtDyn(region, e.f32,
                      e.add(rowBase, e.add(rowInTile, e.i64c(half * 8)))),
          4);
  };

  SegmentSlots segmentSlots{e, slots, NH, K, config.headDimV};
  auto slotStateIndex = [&](Value slot, Value row, Value col) {
    return segmentSlots.state(slot, bh, row, e.add(v0, col));
  };

  if (readInverse && layout.packed) {
    // The grids' blocks above the diagonal, never copied, by the first 128
    // threads before the roles part.
    e.ifThen(e.ult(thread, e.i64c(PackedInverse::kBlockBytes / 4)), [&] {
      for (int s = 0; s < 2; ++s)
        for (int64_t grid : {layout.loadedInverse[s], layout.loadedScores[s]})
          for (int64_t i = 0; i < PackedInverse::kRows; ++i)
            for (int64_t j = i + 1; j < PackedInverse::kRows; ++j)
              e.store(e.i32c(0),
                      sharedAt(grid + PackedInverse::gridRow(i) +
                                   j * PackedInverse::kBlockBytes,
                               e.i32, thread),
                      4);
    });
    e.barrier();
  } else if (readInverse) {
    // The blocks above T's and P's diagonals, never copied (copyRows), by
    // every thread before the roles part.
    zeroTRegions({layout.loadedInverse[0], layout.loadedScores[0],
                  layout.loadedInverse[1], layout.loadedScores[1]},
                 thread, threads);
    e.barrier();
  }

  // With an output warpgroup the roles part here: the state warpgroup's
  // code follows in the else region, the output warpgroup's goes into the
  // then region at the end. They meet only at named barriers: the state
  // warpgroup's own (kStateBarrier, its 128 threads), and per buffer b =
  // c % 2 kReady + b (S(c) and U(c) are in buffer b) and kFree + b (the
  // output warpgroup is done reading them), both across the CTA. A
  // barrier's arrivals of chunk c + 2 cannot come before its wait of
  // chunk c: kReady + b's because the state warpgroup waits on kFree + b
  // for chunk c first, kFree + b's because the output warpgroup waits on
  // kReady + b for chunk c + 2 first.
  scf::IfOp roles;
  if (outputGroup) {
    roles = scf::IfOp::create(builder, loc, TypeRange{},
                              e.ule(e.i64c(kThreads), thread),
                              /*withElseRegion=*/true);
    builder.setInsertionPoint(roles.elseBlock()->getTerminator());
  }
  /// Barrier `base + buffer` (buffer 0 or 1, i64), as the i32 id.
  auto bufferBarrier = [&](int base, Value buffer) -> Value {
    return arith::AddIOp::create(
        builder, loc, e.i32c(base),
        arith::TruncIOp::create(builder, loc, e.i32, buffer));
  };
  // A barrier among the warps that share a chunk's work: the CTA's, or the
  // state warpgroup's.
  auto chunkBarrier = [&] {
    if (outputGroup)
      e.barrierSync(e.i32c(kStateBarrier), kThreads);
    else
      e.barrier();
  };

  // Initial state into registers: s0 or zeros; a split's later segments
  // start from the incoming state the combine kernel left in the slot
  // before theirs.
  auto loadState = [&](Value ptr, const std::function<Value(Value, Value)>
                                      &index) {
    SmallVector<Value> values;
    for (int64_t mi = 0; mi < stateMTiles; ++mi)
      for (int64_t n = 0; n < vTiles; ++n)
        for (int r = 0; r < 4; ++r) {
          if (!ptr) {
            values.push_back(e.f32c(0.0f));
            continue;
          }
          auto [row, col] = stateCoord(mi, n, r);
          values.push_back(
              e.load(e.f32, e.gep(ptr, e.f32, index(row, col)), 4));
        }
    return values;
  };
  SmallVector<Value> state;
  if (statesOnly)
    state = loadState(Value(), stateIndex);
  else if (split)
    state = e.ifElse(
        e.ult(e.i64c(0), segment),
        [&] {
          return loadState(workspace, [&](Value row, Value col) {
            return slotStateIndex(e.sub(segment, e.i64c(1)), row, col);
          });
        },
        loadState(s0Ptr, stateIndex));
  else if (!writeInverse) // the inverse pass keeps no state
    state = loadState(s0Ptr, stateIndex);
  auto stateAt = [&](ArrayRef<Value> s, int64_t mi, int64_t n, int r) {
    return s[(mi * vTiles + n) * 4 + r];
  };
  // Writes the bf16 copy of S that Q S and K S read, at byte `region`.
  auto writeSharedState = [&](ArrayRef<Value> s, Value region) {
    for (int64_t mi = 0; mi < stateMTiles; ++mi)
      for (int64_t n = 0; n < vTiles; ++n)
        for (int half = 0; half < 2; ++half) {
          auto [row, col] = stateCoord(mi, n, half * 2);
          Value packed = e.pack(stateAt(s, mi, n, half * 2),
                                stateAt(s, mi, n, half * 2 + 1));
          e.store(packed,
                  tileAt(region, layout.valuesTile, row, col), 4);
        }
  };
  // Only Q S and K S read the shared copy.
  if (!writeInverse && !statesOnly)
    writeSharedState(state, e.i64c(layout.state));
  if (config.deltaRule && !readInverse) {
    // T's blocks above the diagonal are read as zeros and never written
    // (a loaded T carries its zeros), and so are the inverse pass's P's.
    SmallVector<int64_t, 2> zeroed = {layout.inverse};
    if (writeInverse)
      zeroed.push_back(layout.scores);
    zeroTRegions(zeroed, tid, kThreads);
  }

  // Copy groups, in order: rest(c), [Q(c)], rest(c+1), ... With one Q
  // buffer, Q(c + 1) is its own group, issued once chunk c is done.
  // An empty sequence (cu_seqlens) copies nothing: its first row may lie
  // past the buffer.
  // A split's first pass reads no Q.
  const bool singleQ = layout.singleQ;
  const bool ringQ = !singleQ && !statesOnly && !outputGroup;
  // Q S beside K S at the top of the chunk (see SharedLayout::earlyQ).
  const bool earlyQ = layout.earlyQ;
  // Only a cu_seqlens segment can be empty and start past the buffer (an
  // empty batch row copies nothing: zero-size copies read nothing).
  auto firstCopies = [&](bool withQ, bool withRest, bool outputShare = false) {
    auto copy = [&] {
      loadChunk(chunkBegin, e.i64c(0), withQ, withRest, outputShare);
    };
    if (config.varlen)
      e.ifThen(e.ult(chunkBegin, chunkEnd), copy);
    else
      copy();
    e.cpAsyncCommit();
  };
  firstCopies(/*withQ=*/ringQ, /*withRest=*/true);
  if (singleQ)
    firstCopies(/*withQ=*/true, /*withRest=*/false);

  // The state, and for a split's first pass the segment's total log2
  // decay (per key: thread k's).
  SmallVector<Value> carried(state);
  if (statesOnly)
    carried.push_back(e.f32c(0.0f));
  auto loop = scf::ForOp::create(builder, loc, chunkBegin, chunkEnd,
                                 e.i64c(1), carried);
  builder.setInsertionPointToStart(loop.getBody());
  Value c = loop.getInductionVar();
  SmallVector<Value> S(loop.getRegionIterArgs());
  Value decaySum;
  if (statesOnly) {
    decaySum = S.back();
    S.pop_back();
  }
  // Segments start at even chunks (the plan makes segmentChunks even).
  Value stage = e.remu(c, e.i64c(2));
  Value nextStage = e.sub(e.i64c(1), stage);

  // Prefetch chunk c+1 while chunk c computes: one copy group per
  // iteration (empty on the last). The delta loop reading its inverse
  // (on mma.sync) issues it past the barrier that opens the chunk, so that
  // no warp reaches that barrier late for its copies (1-4% faster,
  // bench/NOTES.md d11); the others before waiting for chunk c.
  Value next = e.add(c, e.i64c(1));
  auto prefetch = [&] {
    e.ifThen(e.ult(next, chunkEnd),
             [&] { loadChunk(next, nextStage, ringQ, true); });
    e.cpAsyncCommit();
  };
  const bool prefetchAfterBarrier = readInverse && !core;
  if (!prefetchAfterBarrier)
    prefetch();
  // Chunk c's copies are the oldest group in flight; Q(c) (its own group
  // with one Q buffer) and chunk c+1's (when already issued) may stay
  // pending.
  e.cpAsyncWait(int(singleQ) + int(!prefetchAfterBarrier));
  // wgmma reads through the async proxy: this thread's copies and its
  // stores of S must be fenced for it before the barrier publishes them.
  if (core)
    e.fenceSharedForAsyncProxy();
  chunkBarrier();
  if (prefetchAfterBarrier)
    prefetch();

  Value qBase =
      singleQ ? e.i64c(layout.q[0]) : stageOffset(layout.q, stage);
  Value kBase = stageOffset(layout.k, stage);
  Value vBase = stageOffset(layout.v, stage);

  // In-chunk cumulative log2 decays: computed here, or as the inverse pass
  // left them.
  Value gLast;
  Value cumsumBase =
      readInverse            ? stageOffset(layout.g, stage)
      : layout.cumsumPerWarp ? sharedBuffer(layout.cumsum, layout.cumsumBytes,
                                            warp)
                             : e.i64c(layout.cumsum);
  // loom.ssd's dt' per token, beside G.
  Value dtBase = config.ssd ? e.add(cumsumBase, e.i64c(layout.dt -
                                                       layout.cumsum))
                            : Value();
  if (decay && readInverse) {
    gLast = e.load(e.f32, sharedAtDyn(cumsumBase, e.f32, e.i64c(kChunk - 1)),
                   4);
  } else if (decay) {
    // Token t's log decay (loom.ssd: dt' * A, storing dt' = softplus(dt +
    // bias), 0 past the sequence).
    Value gBase = stageOffset(layout.g, stage);
    auto decayOf = [&](Value t) {
      Value g = e.load(e.f32, sharedAtDyn(gBase, e.f32, t), 4);
      if (!config.ssd)
        return g;
      Value dt = headBias ? e.fadd(g, headBias) : g;
      if (config.dtSoftplus) {
        Value soft = e.fmul(
            e.log2(e.fadd(e.f32c(1.0f), e.exp2(e.fmul(dt, e.f32c(kLog2e))))),
            e.f32c(1.0f / kLog2e));
        Value large = arith::CmpFOp::create(
            builder, loc, arith::CmpFPredicate::OGT, dt, e.f32c(20.0f));
        dt = e.select(large, dt, soft);
      }
      Value inside = e.ult(e.add(e.mul(c, e.i64c(kChunk)), t), length);
      dt = e.select(inside, dt, e.f32c(0.0f));
      e.store(dt, sharedAtDyn(dtBase, e.f32, t), 4);
      return e.fmul(dt, headA);
    };
    // Every warp cumulates the chunk into its own copy, lane l tokens l and
    // l + 32.
    auto cumulate = [&] {
      Value x[2];
      for (int half = 0; half < 2; ++half) {
        Value g = decayOf(e.add(lane, e.i64c(half * 32)));
        x[half] = e.warpInclusiveScan(e.fmul(g, e.f32c(kLog2e)), lane);
      }
      x[1] = e.fadd(x[1], e.shuffleIdx(x[0], 31));
      for (int half = 0; half < 2; ++half)
        e.store(x[half],
                sharedAtDyn(cumsumBase, e.f32,
                            e.add(lane, e.i64c(half * 32))),
                4);
      return e.shuffleIdx(x[1], 31);
    };
    if (layout.cumsumPerWarp) {
      gLast = cumulate();
      // The warp's later reads of its copy cross lanes.
      NVVM::SyncWarpOp::create(builder, loc, e.i32c(-1));
    } else {
      // Warps 0 and 1 a token a lane, warp 1 adding warp 0's total.
      e.ifThen(e.ult(tid, e.i64c(kChunk)), [&] {
        Value x = e.warpInclusiveScan(e.fmul(decayOf(tid), e.f32c(kLog2e)),
                                      lane);
        e.store(x, sharedAtDyn(cumsumBase, e.f32, tid), 4);
        e.ifThen(e.eq(tid, e.i64c(31)), [&] {
          e.store(x, sharedAt(layout.warpSum, e.f32, e.i64c(0)), 4);
        });
      });
      e.barrier();
      e.ifThen(e.eq(warp, e.i64c(1)), [&] {
        Value ptr = sharedAtDyn(cumsumBase, e.f32, tid);
        Value carry =
            e.load(e.f32, sharedAt(layout.warpSum, e.f32, e.i64c(0)), 4);
        e.store(e.fadd(e.load(e.f32, ptr, 4), carry), ptr, 4);
      });
      e.barrier();
      gLast = e.load(e.f32,
                     sharedAtDyn(cumsumBase, e.f32, e.i64c(kChunk - 1)), 4);
    }
    if (statesOnly)
      decaySum = e.fadd(decaySum, gLast);
  }
  if (decay && !config.deltaRule) {
    // V rows scaled by exp2(G_last - G_j) for the state update (the delta
    // rule scales its U instead, once U exists).
    int64_t vecsPerRow = BV / 8;
    for (int64_t i = 0; i < kChunk * vecsPerRow / kThreads; ++i) {
      Value id = e.add(tid, e.i64c(i * kThreads));
      Value row = e.divu(id, e.i64c(vecsPerRow));
      Value col = e.mul(e.remu(id, e.i64c(vecsPerRow)), e.i64c(8));
      Value index = e.add(e.mul(row, e.i64c(layout.vStride)), col);
      auto vec4 = VectorType::get({4}, e.i32);
      Value packed = e.load(vec4, sharedAtDyn(vBase, elt, index), 16);
      Value gj = e.load(e.f32, sharedAtDyn(cumsumBase, e.f32, row), 4);
      Value w = e.exp2(e.fsub(gLast, gj));
      if (config.ssd)
        w = e.fmul(w, e.load(e.f32, sharedAtDyn(dtBase, e.f32, row), 4));
      e.store(e.scalePacked(packed, w), sharedAt(layout.vScaled, elt, index),
              16);
    }
    e.barrier();
  }

  // qk_l2norm: rows of q and k divided by sqrt(sum x^2 + 1e-6) in place,
  // two threads per row, before their first use.
  auto normalizeRows = [&](Value region) {
    auto vec4 = VectorType::get({4}, e.i32);
    int64_t vecs = K / 2 / 8;
    Value row = e.divu(tid, e.i64c(2));
    Value first = e.add(e.mul(row, e.i64c(layout.qStride)),
                        e.mul(e.remu(tid, e.i64c(2)), e.i64c(K / 2)));
    auto at = [&](int64_t i) {
      if (layout.qkTile.core)
        return tileAt(region, layout.qkTile, row,
                      e.add(e.mul(e.remu(tid, e.i64c(2)), e.i64c(K / 2)),
                            e.i64c(i * 8)));
      return sharedAtDyn(region, elt, e.add(first, e.i64c(i * 8)));
    };
    Value sum = e.f32c(0.0f);
    for (int64_t i = 0; i < vecs; ++i) {
      Value packed = e.load(vec4, at(i), 16);
      for (int j = 0; j < 4; ++j) {
        auto [lo, hi] = e.unpack(LLVM::ExtractElementOp::create(
            builder, loc, packed, e.i32c(j)));
        sum = e.fadd(sum, e.fadd(e.fmul(lo, lo), e.fmul(hi, hi)));
      }
    }
    sum = e.fadd(sum, gpu::ShuffleOp::create(builder, loc, sum, e.i32c(1),
                                             e.i32c(32), gpu::ShuffleMode::XOR)
                          .getShuffleResult());
    // 1 / sqrt(x) = 2^(-log2(x) / 2).
    Value inv = e.exp2(e.fmul(e.log2(e.fadd(sum, e.f32c(1e-6f))),
                              e.f32c(-0.5f)));
    for (int64_t i = 0; i < vecs; ++i)
      e.store(e.scalePacked(e.load(vec4, at(i), 16), inv), at(i), 16);
  };
  // Two threads a row: the first warpgroup's.
  auto normalizeShared = [&](Value region) {
    if (groups == 1)
      return normalizeRows(region);
    e.ifThen(e.ult(tid, e.i64c(kThreads)), [&] { normalizeRows(region); });
  };
  if (config.qkL2norm) {
    normalizeShared(kBase);
    if (ringQ)
      normalizeShared(qBase);
    if (core)
      e.fenceSharedForAsyncProxy();
    chunkBarrier();
  }

  // GLA. With G the in-chunk cumsum per key and B_b = G before 16-token
  // block b (B_0 = 0), every exponent below is <= 0 except c_ww's:
  //   Q~ = Q exp2(G - B_b(i)), F = K exp2(B_b(j)+1 - G)     (in shared memory)
  //   P_wb = (Q~_w c_wb) F_b^T,  c_wb = exp2(B_w - B_b+1)  (b <= w)
  //   Q S  = (Q~ d_w) S,          d_w = exp2(B_w)
  //   S    = exp2(G_last) S + (F s_b)^T V,  s_b = exp2(G_last - B_b+1)
  // with the factors applied to fragments in registers. c_ww = exp2(the
  // block's own decay) grows: where it passes 2^spanLimit for some key,
  // that warp computes its diagonal block exactly instead, as
  // sum_k q_ik k_jk exp2(G_ik - G_jk) in f32 (fla's sub-chunk scheme).
  Value wideBlock[kChunk / 16];
  if (perKey) {
    Value gBase = stageOffset(layout.g, stage);
    // 16-bit operands hold c_ww Q~ with room to spare up to these spans.
    const float spanLimit = elt.isBF16() ? 64.0f : 8.0f;
    auto table = [&](int64_t region, int64_t row, Value k) {
      return sharedAt(region, e.f32, e.add(e.i64c(row * K), k));
    };
    SmallVector<Value> wide = e.ifElse(
        e.ult(tid, e.i64c(K)),
        [&] {
          // Thread k cumulates key k down the chunk, in place.
          Value run = e.f32c(0.0f);
          Value ref[kChunk / 16 + 1];
          ref[0] = run;
          for (int64_t t = 0; t < kChunk; ++t) {
            Value ptr = sharedAtDyn(gBase, e.f32,
                                    e.add(e.i64c(t * K), tid));
            run = e.fadd(run, e.fmul(e.load(e.f32, ptr, 4), e.f32c(kLog2e)));
            e.store(run, ptr, 4);
            if (t % 16 == 15)
              ref[t / 16 + 1] = run;
          }
          const int64_t blocks = kChunk / 16;
          SmallVector<Value> over;
          for (int64_t b = 0; b <= blocks; ++b)
            e.store(ref[b], table(layout.blockRef, b, tid), 4);
          for (int64_t w = 0; w < blocks; ++w) {
            Value span = e.fsub(ref[w], ref[w + 1]);
            Value small = arith::CmpFOp::create(
                builder, loc, arith::CmpFPredicate::OLE, span,
                e.f32c(spanLimit));
            over.push_back(e.select(small, e.i1c(false), e.i1c(true)));
            // P's and Q S's factors; a split's first pass computes neither.
            for (int64_t b = 0; b < blocks && !statesOnly; ++b) {
              Value c = e.f32c(0.0f);
              if (b < w)
                c = e.exp2(e.fsub(ref[w], ref[b + 1]));
              else if (b == w)
                c = e.select(small, e.exp2(span), e.f32c(0.0f));
              e.store(c, table(layout.pairFactor, w * blocks + b, tid), 4);
            }
            if (!statesOnly)
              e.store(e.exp2(ref[w]), table(layout.interFactor, w, tid), 4);
            e.store(e.exp2(e.fsub(ref[blocks], ref[w + 1])),
                    table(layout.stateFactor, w, tid), 4);
          }
          e.store(e.exp2(ref[blocks]), table(layout.lastDecay, 0, tid), 4);
          over.push_back(ref[blocks]);
          return over;
        },
        [&] {
          SmallVector<Value> none(kChunk / 16, e.i1c(false));
          none.push_back(e.f32c(0.0f));
          return none;
        }());
    if (statesOnly)
      decaySum = e.fadd(decaySum, wide.back());
    // These barriers also publish G and the tables.
    for (int64_t w = 0; w < kChunk / 16; ++w)
      wideBlock[w] = e.barrierAny(wide[w]);

    // Q~ and F, eight keys per item.
    auto vec4 = VectorType::get({4}, e.i32);
    auto vec4f = VectorType::get({4}, e.f32);
    int64_t vecsPerRow = K / 8;
    for (int64_t i = 0; i < kChunk * vecsPerRow / kThreads; ++i) {
      Value id = e.add(tid, e.i64c(i * kThreads));
      Value row = e.divu(id, e.i64c(vecsPerRow));
      Value col = e.mul(e.remu(id, e.i64c(vecsPerRow)), e.i64c(8));
      Value block = e.divu(row, e.i64c(16));
      auto floats8 = [&](Value ptr) {
        SmallVector<Value, 8> out;
        for (int h = 0; h < 2; ++h) {
          Value v = e.load(vec4f, e.gep(ptr, e.f32, e.i64c(4 * h)), 16);
          for (int j = 0; j < 4; ++j)
            out.push_back(LLVM::ExtractElementOp::create(builder, loc, v,
                                                         e.i32c(j)));
        }
        return out;
      };
      auto g = floats8(
          sharedAtDyn(gBase, e.f32, e.add(e.mul(row, e.i64c(K)), col)));
      auto refAt = [&](Value b) {
        return floats8(sharedAt(layout.blockRef, e.f32,
                                e.add(e.mul(b, e.i64c(K)), col)));
      };
      auto before = refAt(block), after = refAt(e.add(block, e.i64c(1)));
      Value index = e.add(e.mul(row, e.i64c(layout.qStride)), col);
      Value q = statesOnly ? Value()
                           : e.load(vec4, sharedAtDyn(qBase, elt, index), 16);
      Value k = e.load(vec4, sharedAtDyn(kBase, elt, index), 16);
      Value qOut = LLVM::PoisonOp::create(builder, loc, vec4);
      Value kOut = qOut;
      for (int j = 0; j < 4; ++j) {
        auto element = [&](Value v) {
          return LLVM::ExtractElementOp::create(builder, loc, v, e.i32c(j));
        };
        if (q)
          qOut = LLVM::InsertElementOp::create(
              builder, loc, qOut,
              e.scalePair(element(q),
                          e.exp2(e.fsub(g[2 * j], before[2 * j])),
                          e.exp2(e.fsub(g[2 * j + 1], before[2 * j + 1]))),
              e.i32c(j));
        kOut = LLVM::InsertElementOp::create(
            builder, loc, kOut,
            e.scalePair(element(k), e.exp2(e.fsub(after[2 * j], g[2 * j])),
                        e.exp2(e.fsub(after[2 * j + 1], g[2 * j + 1]))),
            e.i32c(j));
      }
      if (q)
        e.store(qOut, sharedAt(layout.qTilde, elt, index), 16);
      e.store(kOut, sharedAt(layout.keyF, elt, index), 16);
    }
    e.barrier();
  }

  if (!outputGroup)
    rowBase = e.mul(warp, e.i64c(16));
  if (decay)
    loadRowDecays(cumsumBase);
  if (!outputGroup)
    emitLanePatterns();

  // The warpgroup's columns of S's shared copy (chunk c's, with an output
  // warpgroup).
  Value stateBaseShared =
      groupColumns(outputGroup ? sharedBuffer(layout.state, layout.stateBytes,
                                              stage)
                               : e.i64c(layout.state));

  // wgmma on core tiles. Every B operand is stored [K][N] (N contiguous:
  // S, R, U and its scaled copy), every A [M][K] (Q, K, T, P) except the
  // state update's K^T, which is K read as stored, [tokens][keys].
  /// The descriptor of a core-tiled region at byte `region`; the product's
  /// K runs along its rows (`kAlongRows`) or its columns.
  auto descriptorOf = [&](Value region, const Tile &tile, bool kAlongRows) {
    return kAlongRows
               ? e.wgmmaDescriptor(smem, region, tile.rowGroupBytes(), 128)
               : e.wgmmaDescriptor(smem, region, 128, tile.rowGroupBytes());
  };
  /// Issues acc (+)= A B over `kSteps` steps of 16 (A transposed: stored
  /// [K][M]); the caller fences before and waits after.
  auto issueProduct = [&](Value aRegion, const Tile &aTile, bool aTransposed,
                          Value bRegion, const Tile &bTile, int64_t kSteps,
                          SmallVector<Frag> acc, bool accumulate) {
    Value a = descriptorOf(aRegion, aTile, aTransposed);
    Value bDesc = descriptorOf(bRegion, bTile, /*kAlongRows=*/true);
    int64_t aStep = aTransposed ? 2 * aTile.rowGroupBytes() : 256;
    int64_t bStep = 2 * bTile.rowGroupBytes();
    for (int64_t k = 0; k < kSteps; ++k)
      acc = e.wgmma(e.advanceDescriptor(a, k * aStep),
                    e.advanceDescriptor(bDesc, k * bStep), acc, aTransposed,
                    /*transposeB=*/true, accumulate || k > 0);
    return acc;
  };
  /// A (stored [64][k]) times B, from zero, waited for.
  auto product = [&](Value aRegion, const Tile &aTile, Value bRegion,
                     int64_t kSteps) {
    e.wgmmaFence();
    SmallVector<Frag> acc =
        issueProduct(aRegion, aTile, /*aTransposed=*/false, bRegion,
                     layout.valuesTile, kSteps, zeroTiles,
                     /*accumulate=*/false);
    return e.wgmmaCommitAndWait(acc, 0);
  };
  // B from a row-major [k][n] region: rows row0..+15, n tiles col0Tile and
  // col0Tile + 1.
  auto loadTransposedB = [&](Value byteBase, int64_t row0, int64_t col0Tile) {
    return ldm(byteBase, vPattern,
               (row0 * layout.vStride + col0Tile * 8) * 2, /*transpose=*/true);
  };
  /// Stores accumulator tiles (16 rows from `row0`, n8 tiles from `col0`)
  /// packed to 16 bits into a region of row stride `stride`.
  /// `map(x, half, n, j)` sees the element of rows half*8 + lane/4, column
  /// n*8 + 2*(lane%4) + j.
  auto storeTiles = [&](ArrayRef<Frag> tiles, Value regionBytes, Value row0,
                        Value col0, const Tile &regionTile,
                        const std::function<Value(Value, int, int, int)> &map) {
    for (auto [n, tile] : llvm::enumerate(tiles))
      for (int half = 0; half < 2; ++half) {
        Value row = e.add(row0, e.add(rowInTile, e.i64c(half * 8)));
        Value col = e.add(col0, e.add(e.i64c(n * 8), colInTile));
        Value lo = tile[half * 2], hi = tile[half * 2 + 1];
        if (map) {
          lo = map(lo, half, int(n), 0);
          hi = map(hi, half, int(n), 1);
        }
        e.store(e.pack(lo, hi), tileAt(regionBytes, regionTile, row, col), 4);
      }
  };
  /// An A fragment of keys kk*16.. (columns) times per-key factors: f32
  /// row `factors` (bytes) of a table. Lane columns are 2*(lane%4) (+1),
  /// in registers 0 and 1, and 8 more in registers 2 and 3.
  auto scaleKeyColumns = [&](SmallVector<Value, 4> a, Value factors,
                             int64_t kk) {
    auto vec2f = VectorType::get({2}, e.f32);
    for (int h = 0; h < 2; ++h) {
      Value pair = e.load(
          vec2f,
          sharedAtDyn(factors, e.f32,
                      e.add(colInTile, e.i64c(kk * 16 + h * 8))),
          8);
      Value lo = LLVM::ExtractElementOp::create(builder, loc, pair, e.i32c(0));
      Value hi = LLVM::ExtractElementOp::create(builder, loc, pair, e.i32c(1));
      for (int r = 2 * h; r < 2 * h + 2; ++r)
        a[r] = e.scalePair(a[r], lo, hi);
    }
    return a;
  };
  auto tableRow = [&](int64_t region, Value row) {
    return e.add(e.i64c(region), e.mul(row, e.i64c(K * 4)));
  };
  /// X S for the 16 rows of `rows` (q or k of this stage) into `acc`: the
  /// inter-chunk term of O (Q S) and the delta rule's K S; GLA's keys
  /// scaled by table row `keyFactors` first. `otherRows`, when given,
  /// go into `otherAcc` on the same B fragments (K S and Q S at once).
  auto timesState = [&](Value rows, SmallVector<Frag> &acc, Value keyFactors,
                        Value otherRows = Value(),
                        SmallVector<Frag> *otherAcc = nullptr) {
    for (int64_t kk = 0; kk < K / 16; ++kk) {
      auto aFrag = ldm(rows, qPattern, kk * 16 * 2, /*transpose=*/false);
      if (keyFactors)
        aFrag = scaleKeyColumns(aFrag, keyFactors, kk);
      SmallVector<Value, 4> otherFrag;
      if (otherRows)
        otherFrag = ldm(otherRows, qPattern, kk * 16 * 2, /*transpose=*/false);
      for (int64_t np = 0; np < vTiles / 2; ++np) {
        auto bFrag = loadTransposedB(stateBaseShared, kk * 16, 2 * np);
        acc[2 * np] = e.mma(aFrag, {bFrag[0], bFrag[1]}, acc[2 * np]);
        acc[2 * np + 1] = e.mma(aFrag, {bFrag[2], bFrag[3]}, acc[2 * np + 1]);
        if (!otherRows)
          continue;
        auto &other = *otherAcc;
        other[2 * np] = e.mma(otherFrag, {bFrag[0], bFrag[1]}, other[2 * np]);
        other[2 * np + 1] =
            e.mma(otherFrag, {bFrag[2], bFrag[3]}, other[2 * np + 1]);
      }
    }
  };

  /// X K^T for the 16 rows of `rows` against every key of the chunk: the
  /// intra-chunk scores Q K^T and the delta rule's K K^T. Warp 3 needs
  /// every tile anyway and sets the pace at the next barrier, and kk-outer
  /// order keeps eight independent accumulators in flight instead of
  /// chains of K/16 mmas.
  auto timesKeys = [&](Value rows) {
    SmallVector<Frag> acc(kChunk / 8, Frag{zero, zero, zero, zero});
    for (int64_t kk = 0; kk < K / 16; ++kk) {
      auto aFrag = ldm(rows, qPattern, kk * 16 * 2, /*transpose=*/false);
      for (int64_t np = 0; np < kChunk / 16; ++np) {
        auto bFrag = ldm(kBase, kPattern,
                         (np * 16 * layout.qStride + kk * 16) * 2, false);
        acc[2 * np] = e.mma(aFrag, {bFrag[0], bFrag[1]}, acc[2 * np]);
        acc[2 * np + 1] = e.mma(aFrag, {bFrag[2], bFrag[3]}, acc[2 * np + 1]);
      }
    }
    return acc;
  };
  /// GLA's P = Q K^T decayed per key, before the causal mask: this warp's
  /// 16 rows of Q~ against each 16-key block b of F, with the A fragment
  /// scaled by c_wb (zero above the diagonal).
  auto timesDecayedKeys = [&] {
    SmallVector<Frag> acc(kChunk / 8, Frag{zero, zero, zero, zero});
    Value pairRow = tableRow(layout.pairFactor, e.mul(warp, e.i64c(4)));
    Value qTilde = e.i64c(layout.qTilde), keyF = e.i64c(layout.keyF);
    for (int64_t kk = 0; kk < K / 16; ++kk) {
      auto raw = ldm(qTilde, qPattern, kk * 16 * 2, /*transpose=*/false);
      for (int64_t b = 0; b < kChunk / 16; ++b) {
        auto a = scaleKeyColumns(
            raw, e.add(pairRow, e.i64c(b * K * 4)), kk);
        auto bFrag = ldm(keyF, kPattern,
                         (b * 16 * layout.qStride + kk * 16) * 2, false);
        acc[2 * b] = e.mma(a, {bFrag[0], bFrag[1]}, acc[2 * b]);
        acc[2 * b + 1] = e.mma(a, {bFrag[2], bFrag[3]}, acc[2 * b + 1]);
      }
    }
    // A warp whose block decays past the operands' range recomputes its
    // diagonal tiles exactly from q, k and G.
    Value gBase = stageOffset(layout.g, stage);
    for (int64_t b = 0; b < kChunk / 16; ++b) {
      Value mine = e.andi(e.eq(warp, e.i64c(b)), wideBlock[b]);
      SmallVector<Value> current;
      for (int n = 0; n < 2; ++n)
        for (Value x : acc[2 * b + n])
          current.push_back(x);
      SmallVector<Value> exact = e.ifElse(
          mine,
          [&] {
            Value rows[2], cols[4];
            for (int h = 0; h < 2; ++h)
              rows[h] = e.add(e.i64c(b * 16 + h * 8), rowInTile);
            for (int c = 0; c < 4; ++c)
              cols[c] = e.add(e.i64c(b * 16 + (c / 2) * 8 + c % 2),
                              colInTile);
            auto vec2f = VectorType::get({2}, e.f32);
            auto pairAt = [&](Value region, Value row, Value k) {
              auto [lo, hi] = e.unpack(e.load(
                  e.i32,
                  sharedAtDyn(region, elt,
                              e.add(e.mul(row, e.i64c(layout.qStride)), k)),
                  4));
              return std::make_pair(lo, hi);
            };
            auto gatesAt = [&](Value row, Value k) {
              Value v = e.load(
                  vec2f,
                  sharedAtDyn(gBase, e.f32, e.add(e.mul(row, e.i64c(K)), k)),
                  8);
              return std::make_pair(
                  LLVM::ExtractElementOp::create(builder, loc, v, e.i32c(0))
                      .getResult(),
                  LLVM::ExtractElementOp::create(builder, loc, v, e.i32c(1))
                      .getResult());
            };
            auto sum = scf::ForOp::create(
                builder, loc, e.i64c(0), e.i64c(K), e.i64c(2),
                SmallVector<Value>(8, zero));
            OpBuilder::InsertionGuard inner(builder);
            builder.setInsertionPointToStart(sum.getBody());
            Value k = sum.getInductionVar();
            SmallVector<Value> next(sum.getRegionIterArgs());
            for (int h = 0; h < 2; ++h) {
              auto [q0, q1] = pairAt(qBase, rows[h], k);
              auto [gi0, gi1] = gatesAt(rows[h], k);
              for (int c = 0; c < 4; ++c) {
                auto [k0, k1] = pairAt(kBase, cols[c], k);
                auto [gj0, gj1] = gatesAt(cols[c], k);
                // Tile c/2, register h*2 + c%2 of the accumulators.
                Value &x = next[(c / 2) * 4 + h * 2 + c % 2];
                x = e.fadd(x, e.fmul(e.fmul(q0, k0),
                                     e.exp2(e.fsub(gi0, gj0))));
                x = e.fadd(x, e.fmul(e.fmul(q1, k1),
                                     e.exp2(e.fsub(gi1, gj1))));
              }
            }
            scf::YieldOp::create(builder, loc, next);
            return SmallVector<Value>(sum.getResults());
          },
          current);
      for (int n = 0; n < 2; ++n)
        for (int r = 0; r < 4; ++r)
          acc[2 * b + n][r] = exact[n * 4 + r];
    }
    return acc;
  };
  /// The causal decay mask, in registers: element (i, j) of `tiles`
  /// becomes x exp2(G_i - G_j) rowFactor_i colFactor_j for j <= i (j < i
  /// when `strict`) and 0 elsewhere. A null factor, or a null region of
  /// the per-token column factor, is 1.
  auto maskDecayed = [&](SmallVector<Frag> &tiles, bool strict,
                         ArrayRef<Value> rowFactor, Value colFactorRegion) {
    for (int64_t n = 0; n < kChunk / 8; ++n) {
      Value gCol[2], colFactor[2];
      for (int j = 0; j < 2; ++j) {
        Value col = e.add(e.i64c(n * 8 + j), colInTile);
        if (decay)
          gCol[j] = e.load(e.f32, sharedAtDyn(cumsumBase, e.f32, col), 4);
        if (colFactorRegion)
          colFactor[j] =
              e.load(e.f32, sharedAtDyn(colFactorRegion, e.f32, col), 4);
      }
      for (int r = 0; r < 4; ++r) {
        Value i = e.add(rowBase, e.add(rowInTile, e.i64c((r / 2) * 8)));
        Value j = e.add(e.i64c(n * 8 + r % 2), colInTile);
        Value x = tiles[n][r];
        if (!rowFactor.empty())
          x = e.fmul(x, rowFactor[r / 2]);
        if (decay)
          x = e.fmul(x, e.exp2(e.fsub(gRow[r / 2], gCol[r % 2])));
        if (colFactor[r % 2])
          x = e.fmul(x, colFactor[r % 2]);
        tiles[n][r] = e.select(strict ? e.ult(j, i) : e.ule(j, i), x, zero);
      }
    }
  };

  // The values that enter O and the state update: V, or the delta rule's U.
  Value pvBase = vBase;
  // O = exp2(G_i) * (Q S) + P V (P U for the delta rule); with earlyQ,
  // Q S is taken beside K S.
  SmallVector<Frag> O(zeroTiles);
  if (config.deltaRule) {
    // U = (I + L)^-1 R with L_ij = beta_i exp2(G_i - G_j) k_i.k_j (j < i)
    // and R = beta (V - exp2(G) K S): the WY/UT form with W S folded into
    // R, so neither W nor U ever leaves the CTA. T = (I + L)^-1 depends on
    // K, beta and G only; it is built per chunk from 16x16 diagonal blocks
    // (forward substitution in f32, one lane per column) merged by block
    // forward substitution on tensor cores, T_wd = -T_ww sum_m L_wm T_md:
    // here, or once per chunk by the inverse pass, which stores it for
    // this loop to read (DeltaInverse).
    Value betaBase = stageOffset(layout.beta, stage);
    Value betaRow[2];
    for (int half = 0; half < 2; ++half)
      betaRow[half] = e.load(
          e.f32,
          sharedAtDyn(betaBase, e.f32,
                      e.add(rowBase, e.add(rowInTile, e.i64c(half * 8)))),
          4);
    // The inverse pass's products: the 16x16 blocks (I, J), J <= I, of
    // L = beta K K^T (strictly lower) and of the scores P = Q K^T, both
    // decayed by exp2(G_i - G_j): 20 blocks a chunk, five a warp, where
    // every warp's 16 rows against all 64 keys would take eight (and 12 of
    // the 32 lie above the diagonal). Warp w takes L and P of (w, w) and of
    // one block below the diagonal, (1,0), (2,0), (2,1) or (3,0), each pair
    // on the same B fragments (the keys of block J), and one of L(3,1),
    // P(3,1), L(3,2), P(3,2). L's diagonal block goes to `storeDiagonal`
    // (f32, for the warp's forward substitution), the rest of L to the
    // packed L and P to its region, both 16-bit.
    auto triangularProducts =
        [&](const std::function<void(ArrayRef<Frag>)> &storeDiagonal) {
          static_assert(kWarps == 4 && kChunk == 64,
                        "the block assignment is for four warps of 16 rows");
          auto perWarp = [&](std::array<int64_t, kWarps> table) {
            Value v = e.i64c(table[0]);
            for (int64_t w = 1; w < kWarps; ++w)
              v = e.select(e.eq(warp, e.i64c(w)), e.i64c(table[w]), v);
            return v;
          };
          Value pairI = perWarp({1, 2, 2, 3}), pairJ = perWarp({0, 0, 1, 0});
          Value lastI = e.i64c(3), lastJ = perWarp({1, 1, 2, 2});
          Value lastIsL = e.eq(e.remu(warp, e.i64c(2)), e.i64c(0));
          auto rowsOf = [&](Value region, Value block) {
            return e.add(region, e.mul(block, e.i64c(16 * layout.qStride * 2)));
          };
          Value rowPattern = byteOffset(lane16, rowTileCol, layout.qStride);
          struct Product {
            Value a, i, j;
            int shareB; // the product whose B fragments this one reuses
          };
          const Product products[5] = {
              {rowsOf(kBase, warp), warp, warp, -1},
              {rowsOf(qBase, warp), warp, warp, 0},
              {rowsOf(kBase, pairI), pairI, pairJ, -1},
              {rowsOf(qBase, pairI), pairI, pairJ, 2},
              {rowsOf(e.select(lastIsL, kBase, qBase), lastI), lastI, lastJ,
               -1}};
          SmallVector<Frag> acc[5];
          for (auto &a : acc)
            a.assign(2, Frag{zero, zero, zero, zero});
          for (int64_t kk = 0; kk < K / 16; ++kk) {
            SmallVector<Value, 4> bFrag[5];
            for (int p = 0; p < 5; ++p) {
              const Product &x = products[p];
              bFrag[p] = x.shareB >= 0
                             ? bFrag[x.shareB]
                             : ldm(rowsOf(kBase, x.j), kPattern, kk * 16 * 2,
                                   false);
              auto aFrag = ldm(x.a, rowPattern, kk * 16 * 2, false);
              for (int t = 0; t < 2; ++t)
                acc[p][t] = e.mma(aFrag, {bFrag[p][2 * t], bFrag[p][2 * t + 1]},
                                  acc[p][t]);
            }
          }
          // Decay, beta where `isL` (null for P; L is known only at run
          // time for the last product), and the causal mask on diagonal
          // blocks.
          auto finish = [&](SmallVector<Frag> &tiles, Value i0, Value j0,
                            Value isL, bool diagonal, bool strict) {
            Value gI[2], betaI[2];
            for (int half = 0; half < 2; ++half) {
              Value row = e.add(e.mul(i0, e.i64c(16)),
                                e.add(rowInTile, e.i64c(half * 8)));
              if (decay)
                gI[half] = e.load(e.f32, sharedAtDyn(cumsumBase, e.f32, row), 4);
              if (isL)
                betaI[half] = e.select(
                    isL,
                    e.load(e.f32, sharedAtDyn(betaBase, e.f32, row), 4),
                    e.f32c(1.0f));
            }
            for (int t = 0; t < 2; ++t) {
              Value gJ[2];
              for (int j = 0; j < 2 && decay; ++j)
                gJ[j] = e.load(
                    e.f32,
                    sharedAtDyn(cumsumBase, e.f32,
                                e.add(e.mul(j0, e.i64c(16)),
                                      e.add(e.i64c(t * 8 + j), colInTile))),
                    4);
              for (int r = 0; r < 4; ++r) {
                Value lj = e.add(e.i64c(t * 8 + r % 2), colInTile);
                Value x = tiles[t][r];
                if (isL)
                  x = e.fmul(x, betaI[r / 2]);
                if (decay)
                  x = e.fmul(x, e.exp2(e.fsub(gI[r / 2], gJ[r % 2])));
                if (diagonal) {
                  Value li = e.add(rowInTile, e.i64c((r / 2) * 8));
                  x = e.select(strict ? e.ult(lj, li) : e.ule(lj, li), x, zero);
                }
                tiles[t][r] = x;
              }
            }
          };
          Value yes = e.i1c(true), no = Value();
          finish(acc[0], warp, warp, yes, true, true);
          finish(acc[1], warp, warp, no, true, false);
          finish(acc[2], pairI, pairJ, yes, false, false);
          finish(acc[3], pairI, pairJ, no, false, false);
          finish(acc[4], lastI, lastJ, lastIsL, false, false);
          storeDiagonal(acc[0]);
          auto store = [&](ArrayRef<Frag> tiles, Value region, Value i0,
                           Value j0) {
            storeTiles(tiles, region, e.mul(i0, e.i64c(16)),
                       e.mul(j0, e.i64c(16)), layout.tTile, nullptr);
          };
          Value packedL = e.i64c(layout.lowerPacked),
                scores = e.i64c(layout.scores);
          store(acc[1], scores, warp, warp);
          store(acc[2], packedL, pairI, pairJ);
          store(acc[3], scores, pairI, pairJ);
          store(acc[4], e.select(lastIsL, packedL, scores), lastI, lastJ);
        };
    // T of this chunk: solved below into its region, or loaded with the
    // chunk.
    Value inverseBase = readInverse
                            ? stageOffset(layout.loadedInverse, stage)
                            : e.i64c(layout.inverse);
    if (!readInverse) {
      Value diagBase = e.add(e.i64c(layout.lower),
                             e.mul(warp, e.i64c(16 * layout.lStride * 4)));
      // The warp's diagonal block of L in f32, for its forward substitution.
      auto storeDiagonal = [&](ArrayRef<Frag> tiles) {
        for (int64_t t = 0; t < 2; ++t)
          for (int half = 0; half < 2; ++half) {
            Value row = e.add(rowInTile, e.i64c(half * 8));
            Value col = e.add(e.i64c(t * 8), colInTile);
            e.store(
                e.f32x2(tiles[t][half * 2], tiles[t][half * 2 + 1]),
                sharedAtDyn(diagBase, e.f32,
                            e.add(e.mul(row, e.i64c(layout.lStride)), col)),
                8);
          }
      };
      if (writeInverse) {
        triangularProducts(storeDiagonal);
      } else {
        SmallVector<Frag> L = timesKeys(kBase);
        maskDecayed(L, /*strict=*/true, betaRow, /*colFactorRegion=*/Value());
        // The warp's diagonal block (tiles 2w, 2w+1), picked with selects,
        // since a branch here costs ptxas registers.
        SmallVector<Frag> diag = {L[0], L[1]};
        for (int64_t t = 0; t < 2; ++t)
          for (int64_t p = 1; p < kChunk / 16; ++p) {
            Value mine = arith::CmpIOp::create(
                builder, loc, arith::CmpIPredicate::eq, warp, e.i64c(p));
            for (int r = 0; r < 4; ++r)
              diag[t][r] = e.select(mine, L[2 * p + t][r], diag[t][r]);
          }
        storeDiagonal(diag);
        // The warp's rows of L, 16-bit, for the block substitution's A
        // operands (kept in shared memory: registers are the scarce
        // resource).
        storeTiles(L, e.i64c(layout.lowerPacked), rowBase, e.i64c(0),
                   layout.tTile, nullptr);
      }

      // T_ww: lane l solves column l % 16 of (I + L_ww) x = e_l, eliminating
      // one column of L per step, x -= L[:, j] x_j, so that each step is
      // independent FMAs (the reads of L are warp-wide broadcasts).
      NVVM::SyncWarpOp::create(builder, loc, e.i32c(-1));
      {
        Value column = lane16;
        SmallVector<Value, 16> x;
        for (int64_t i = 0; i < 16; ++i)
          x.push_back(e.select(
              arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::eq,
                                    column, e.i64c(i)),
              e.f32c(1.0f), zero));
        for (int64_t j = 0; j < 15; ++j)
          for (int64_t i = j + 1; i < 16; ++i) {
            Value l = e.load(
                e.f32,
                sharedAtDyn(diagBase, e.f32, e.i64c(i * layout.lStride + j)),
                4);
            x[i] = e.fsub(x[i], e.fmul(l, x[j]));
          }
        e.ifThen(e.ult(lane, e.i64c(16)), [&] {
          for (int64_t i = 0; i < 16; ++i) {
            Value narrow = arith::TruncFOp::create(builder, loc, elt, x[i]);
            Value index = e.add(e.mul(e.add(rowBase, e.i64c(i)),
                                      e.i64c(layout.tStride)),
                                e.add(rowBase, column));
            e.store(narrow, sharedAt(layout.inverse, elt, index), 2);
          }
        });
      }
    }
    // R = beta (V - exp2(G) K S) for this warp's rows. It does not depend
    // on T, so it shares the barrier after T's diagonal blocks.
    if (!writeInverse) {
      SmallVector<Frag> KS(zeroTiles);
      if (core)
        KS = product(kBase, layout.qkTile, stateBaseShared, K / 16);
      else if (earlyQ)
        timesState(kBase, KS, Value(), qBase, &O);
      else
        timesState(kBase, KS, Value());
      Value decayRow[2] = {decay ? e.exp2(gRow[0]) : Value(),
                           decay ? e.exp2(gRow[1]) : Value()};
      storeTiles(KS, e.i64c(layout.rhs), rowBase, groupCol, layout.valuesTile,
                 [&](Value ks, int half, int n, int j) {
                   Value row = e.add(rowBase,
                                     e.add(rowInTile, e.i64c(half * 8)));
                   Value col = inGroup(e.add(e.i64c(n * 8 + j), colInTile));
                   Value v = e.load(
                       elt,
                       sharedAtDyn(vBase, elt,
                                   e.add(e.mul(row, e.i64c(layout.vStride)),
                                         col)),
                       2);
                   if (decay)
                     ks = e.fmul(ks, decayRow[half]);
                   return e.fmul(
                       betaRow[half],
                       e.fsub(arith::ExtFOp::create(builder, loc, e.f32, v),
                              ks));
                 });
    }

    if (core)
      e.fenceSharedForAsyncProxy();
    chunkBarrier();

    // The inverse pass's [64][tStride] regions out to the workspace in
    // 16-byte segments. Packed, into the chunk's image at byte
    // `imageOffset`, in the image's order: consecutive threads store
    // consecutive segments, a warp one block. Otherwise into the chunk's
    // [64][64] at element `rows0`, row by row. T and P are zero above the
    // diagonal's 16x16 blocks: those stay unwritten (the loop never copies
    // them), 3/8 of the bytes.
    auto vec4 = VectorType::get({4}, e.i32);
    Value chunkOffset =
        writeInverse ? e.mul(c, e.i64c(kChunk * kChunk)) : Value();
    auto copyOutPacked = [&](int64_t region, int64_t imageOffset) {
      const int64_t segments = PackedInverse::kMatrixBytes / 16;
      Value dst = e.gep(imageAt(c), e.b.getI8Type(), e.i64c(imageOffset));
      for (int64_t i = 0; i * kThreads < segments; ++i) {
        Value id = e.add(tid, e.i64c(i * kThreads));
        auto copy = [&] {
          // Segment id: half h of row r of block b = (bi, bj).
          Value block = e.divu(id, e.i64c(32));
          Value r = e.remu(e.divu(id, e.i64c(2)), e.i64c(16));
          Value h = e.remu(id, e.i64c(2));
          // Block row bi starts at block imageRow(bi) / kBlockBytes.
          Value bi = e.i64c(0);
          for (int64_t i = 1; i < PackedInverse::kRows; ++i)
            bi = e.select(e.ule(e.i64c(PackedInverse::imageRow(i) /
                                       PackedInverse::kBlockBytes),
                                block),
                          e.i64c(i), bi);
          Value bj =
              e.sub(block, e.divu(e.mul(bi, e.add(bi, e.i64c(1))), e.i64c(2)));
          // The half stored at h (the swap is its own inverse).
          Value half = swizzledHalf(h, r);
          Value row = e.add(e.mul(bi, e.i64c(16)), r);
          Value col = e.add(e.mul(bj, e.i64c(16)), e.mul(half, e.i64c(8)));
          Value value =
              e.load(vec4,
                     sharedAt(region, elt,
                              e.add(e.mul(row, e.i64c(layout.tStride)), col)),
                     16);
          e.store(value, e.gep(dst, vec4, id), 16);
        };
        if ((i + 1) * kThreads <= segments)
          copy();
        else
          e.ifThen(e.ult(id, e.i64c(segments)), copy);
      }
    };
    auto copyOut = [&](int64_t region, Value rows0) {
      for (int64_t i = 0; i < kChunk * kChunk / 8 / kThreads; ++i) {
        Value id = e.add(tid, e.i64c(i * kThreads));
        Value row = e.divu(id, e.i64c(kChunk / 8));
        Value col = e.mul(e.remu(id, e.i64c(kChunk / 8)), e.i64c(8));
        e.ifThen(inLowerBlock(row, col), [&] {
          Value value =
              e.load(vec4,
                     sharedAt(region, elt,
                              e.add(e.mul(row, e.i64c(layout.tStride)), col)),
                     16);
          e.store(value,
                  e.gep(workspace, elt,
                        e.add(rows0, e.add(e.mul(row, e.i64c(kChunk)), col))),
                  16);
        });
      }
    };
    // P is complete: its stores overlap the block substitution.
    if (writeInverse && packed)
      copyOutPacked(layout.scores, image.p());
    else if (writeInverse)
      copyOut(layout.scores, e.add(scoreRows, chunkOffset));

    if (!readInverse) {
      // Block forward substitution, one sub-diagonal per step: warp w >= d
      // computes T_w,w-d = -T_ww sum_{w-d <= m < w} L_wm T_m,w-d from blocks
      // that earlier steps computed. Blocks above the diagonal of T are zero
      // (cleared before the loop, never written) for U = T R.
      Value tBPattern = byteOffset(lane16, rowTileCol, layout.tStride);
      Value scratchBase = e.add(e.i64c(layout.scratch),
                                e.mul(warp, e.i64c(16 * layout.scratchStride * 2)));
      Value scratchBPattern = byteOffset(lane16, rowTileCol, layout.scratchStride);
      const int64_t blocks = kChunk / 16;
      for (int64_t d = 1; d < blocks; ++d) {
        // Branch-free: a warp with w < d computes on block 0 and parks its
        // result in its own rows of the packed L, which it no longer reads
        // (a branch here costs ptxas registers).
        Value active = e.ule(e.i64c(d), warp);
        Value col0 = e.select(active, e.mul(e.sub(warp, e.i64c(d)), e.i64c(16)),
                              e.i64c(0));
        // Block (w-d, w-d) of T; T_m,w-d is i blocks below it.
        Value colBytes = e.add(
            inverseBase, e.mul(col0, e.i64c((layout.tStride + 1) * 2)));
        SmallVector<Frag> X(2, Frag{zero, zero, zero, zero});
        for (int64_t i = 0; i < d; ++i) {
          // m = w - d + i: L_wm from this warp's rows, T_m,w-d below it.
          Value m16 = e.add(col0, e.i64c(i * 16));
          auto a = ldm(e.add(e.i64c(layout.lowerPacked), e.mul(m16, e.i64c(2))),
                       tRowsPattern, 0, false);
          auto bFrag = ldm(colBytes, tBPattern, i * 16 * layout.tStride * 2,
                           true);
          X[0] = e.mma(a, {bFrag[0], bFrag[1]}, X[0]);
          X[1] = e.mma(a, {bFrag[2], bFrag[3]}, X[1]);
        }
        storeTiles(X, scratchBase, e.i64c(0), e.i64c(0),
                   Tile{layout.scratchStride},
                   [&](Value x, int, int, int) {
                     return arith::NegFOp::create(builder, loc, x);
                   });
        NVVM::SyncWarpOp::create(builder, loc, e.i32c(-1));
        auto tww = ldm(e.add(inverseBase, e.mul(rowBase, e.i64c(2))),
                       tRowsPattern, 0, false);
        auto bFrag = ldm(scratchBase, scratchBPattern, 0, true);
        SmallVector<Frag> Y(2, Frag{zero, zero, zero, zero});
        Y[0] = e.mma(tww, {bFrag[0], bFrag[1]}, Y[0]);
        Y[1] = e.mma(tww, {bFrag[2], bFrag[3]}, Y[1]);
        storeTiles(Y,
                   e.select(active, inverseBase, e.i64c(layout.lowerPacked)),
                   rowBase, col0, layout.tTile, nullptr);
        // The last step's block is read by its own warp only.
        if (d + 1 < blocks)
          e.barrier();
      }
    }
    if (writeInverse) {
      // And G, which the loop reads instead of cumulating g again.
      if (decay)
        e.ifThen(e.ult(tid, e.i64c(kChunk)), [&] {
          Value g = e.load(e.f32, sharedAtDyn(cumsumBase, e.f32, tid), 4);
          Value at =
              packed
                  ? e.gep(e.gep(imageAt(c), e.b.getI8Type(), e.i64c(image.g())),
                          e.f32, tid)
                  : e.gep(workspace, e.f32,
                          e.add(cumsumRows,
                                e.add(e.mul(c, e.i64c(kChunk)), tid)));
          e.store(g, at, 4);
        });
      // Every warp's blocks of T, to the workspace as 16-byte row
      // segments; the next chunk overwrites them (and P) only after the
      // loop's first barrier.
      e.barrier();
      if (packed)
        copyOutPacked(layout.inverse, 0);
      else
        copyOut(layout.inverse, e.add(inverseRows, chunkOffset));
      // The loop has no carried values: its terminator exists already.
      builder.setInsertionPointAfter(loop);
      gpu::ReturnOp::create(builder, loc);
      return func;
    }
    NVVM::SyncWarpOp::create(builder, loc, e.i32c(-1));

    // U = T R for this warp's rows (T's row block, all of R).
    SmallVector<Frag> U(zeroTiles);
    if (core)
      U = product(inverseBase, layout.tTile, e.i64c(layout.rhs), kChunk / 16);
    for (int64_t ks = 0; ks < kChunk / 16 && !core; ++ks) {
      auto a = loadedBlockFragment(inverseBase, ks);
      for (int64_t np = 0; np < vTiles / 2; ++np) {
        auto bFrag =
            loadTransposedB(groupColumns(e.i64c(layout.rhs)), ks * 16, 2 * np);
        U[2 * np] = e.mma(a, {bFrag[0], bFrag[1]}, U[2 * np]);
        U[2 * np + 1] = e.mma(a, {bFrag[2], bFrag[3]}, U[2 * np + 1]);
      }
    }
    Value solutionBase =
        outputGroup ? sharedBuffer(layout.solution, layout.solutionBytes, stage)
                    : e.i64c(layout.solution);
    storeTiles(U, solutionBase, rowBase, groupCol, layout.valuesTile,
               nullptr);
    if (decay) {
      // exp2(G_last - G_j) U_j for the state update.
      Value w[2] = {e.exp2(e.fsub(gLast, gRow[0])),
                    e.exp2(e.fsub(gLast, gRow[1]))};
      storeTiles(U, e.i64c(layout.vScaled), rowBase, groupCol,
                 layout.valuesTile, [&](Value x, int half, int, int) {
                   return e.fmul(x, w[half]);
                 });
    }
    // Q(c), the one copy group this chunk has not waited for yet.
    if (singleQ)
      e.cpAsyncWait(1);
    if (core)
      e.fenceSharedForAsyncProxy();
    // S(c) (written before the chunk) and U(c) to the output warpgroup.
    if (outputGroup)
      e.barrierArrive(bufferBarrier(kReady, stage), 2 * kThreads);
    chunkBarrier();
    if (singleQ && config.qkL2norm) {
      normalizeShared(qBase);
      if (core)
        e.fenceSharedForAsyncProxy();
      e.barrier();
    }
    pvBase = groupColumns(solutionBase);
  }

  // S = exp2(G_last) S + K^T (exp2(G_last - G_j) V): the decay first.
  auto decayedState = [&] {
    SmallVector<Value> decayed(S);
    if (decay) {
      Value w = e.exp2(gLast);
      for (Value &x : decayed)
        x = e.fmul(x, w);
    }
    if (perKey)
      for (int64_t mi = 0; mi < stateMTiles; ++mi)
        for (int half = 0; half < 2; ++half) {
          Value row = stateCoord(mi, 0, half * 2).first;
          Value w = e.load(e.f32, sharedAt(layout.lastDecay, e.f32, row), 4);
          for (int64_t n = 0; n < vTiles; ++n)
            for (int r = half * 2; r < half * 2 + 2; ++r)
              decayed[(mi * vTiles + n) * 4 + r] =
                  e.fmul(decayed[(mi * vTiles + n) * 4 + r], w);
        }
    return decayed;
  };
  Value vUpdateBase = decay ? groupColumns(e.i64c(layout.vScaled)) : pvBase;
  Value scoresBase =
      readInverse ? stageOffset(layout.loadedScores, stage) : Value();

  SmallVector<Value> newS;
  if (core) {
    // On wgmma the state update and O's two products only read what the
    // last barrier published: all are issued at once and waited for once.
    newS = decayedState();
    e.wgmmaFence();
    SmallVector<Frag> all;
    for (int64_t mi = 0; mi < stateMTiles; ++mi) {
      SmallVector<Frag> block;
      for (int64_t n = 0; n < vTiles; ++n)
        block.push_back(Frag{stateAt(newS, mi, n, 0), stateAt(newS, mi, n, 1),
                             stateAt(newS, mi, n, 2),
                             stateAt(newS, mi, n, 3)});
      // K^T's keys 64 mi.. are columns of K's tile.
      Value keys = e.add(kBase, e.i64c(layout.qkTile.offset(0, mi * 64)));
      block = issueProduct(keys, layout.qkTile, /*aTransposed=*/true,
                           vUpdateBase, layout.valuesTile, kChunk / 16, block,
                           /*accumulate=*/true);
      all.append(block);
    }
    SmallVector<Frag> inter =
        issueProduct(qBase, layout.qkTile, false, stateBaseShared,
                     layout.valuesTile, K / 16, zeroTiles,
                     /*accumulate=*/false);
    // Without a decay P U accumulates onto Q S; with one, O's rows scale
    // Q S only, so P U has its own accumulators.
    SmallVector<Frag> intra =
        issueProduct(scoresBase, layout.tTile, false, pvBase, layout.valuesTile,
                     kChunk / 16, decay ? zeroTiles : inter,
                     /*accumulate=*/!decay);
    if (decay)
      all.append(inter);
    all.append(intra);
    all = e.wgmmaCommitAndWait(all, 0);
    for (int64_t mi = 0; mi < stateMTiles; ++mi)
      for (int64_t n = 0; n < vTiles; ++n)
        for (int r = 0; r < 4; ++r)
          newS[(mi * vTiles + n) * 4 + r] = all[mi * vTiles + n][r];
    // Q S (with a decay) then P U, after the state's tiles.
    ArrayRef<Frag> products =
        ArrayRef<Frag>(all).drop_front(stateMTiles * vTiles);
    Value rowDecay[2];
    if (decay)
      rowDecay[0] = e.exp2(gRow[0]), rowDecay[1] = e.exp2(gRow[1]);
    for (int64_t n = 0; n < vTiles; ++n)
      for (int r = 0; r < 4; ++r)
        O[n][r] = decay ? e.fadd(e.fmul(products[n][r], rowDecay[r / 2]),
                                 products[vTiles + n][r])
                        : products[n][r];
  }

  /// O += P V (P U) on mma.sync over the chunk's 64 tokens: P's A
  /// fragments from the loaded scores at `scores`, or packed from the
  /// registers of `P`; V or U from `values`.
  auto addScoresTimesValues = [&](SmallVector<Frag> &O, ArrayRef<Frag> P,
                                  Value scores, Value values) {
    for (int64_t ks = 0; ks < kChunk / 16; ++ks) {
      // The accumulator layout of two n8 tiles is the A layout of k16;
      // tiles above the diagonal are zero after the mask.
      SmallVector<Value, 4> a =
          scores ? loadedBlockFragment(scores, ks)
                 : SmallVector<Value, 4>{
                       e.pack(P[2 * ks][0], P[2 * ks][1]),
                       e.pack(P[2 * ks][2], P[2 * ks][3]),
                       e.pack(P[2 * ks + 1][0], P[2 * ks + 1][1]),
                       e.pack(P[2 * ks + 1][2], P[2 * ks + 1][3])};
      for (int64_t np = 0; np < vTiles / 2; ++np) {
        auto bFrag = loadTransposedB(values, ks * 16, 2 * np);
        O[2 * np] = e.mma(a, {bFrag[0], bFrag[1]}, O[2 * np]);
        O[2 * np + 1] = e.mma(a, {bFrag[2], bFrag[3]}, O[2 * np + 1]);
      }
    }
  };
  /// O's rows of the chunk at token t0, scaled (with the ssd epilogue,
  /// which reads x at `xBase`), out through this warp's rows of `staging`
  /// so that global stores are 16-byte row segments instead of 4-byte
  /// pairs.
  auto storeOutput = [&](ArrayRef<Frag> O, Value t0, Value staging,
                         const Tile &stagingTile, Value xBase) {
    Value scale = e.f32c(config.scale);
    Value lastRow = e.sub(length, e.i64c(1));
    auto globalRow = [&](Value t) {
      return e.mul(e.add(e.mul(e.add(rowStart, t), H), head),
                   e.i64c(config.headDimV));
    };
    for (int half = 0; half < 2; ++half) {
      Value row = e.add(rowBase, e.add(rowInTile, e.i64c(half * 8)));
      // Rows past the sequence compute on zeros and are never stored; clamp
      // what they read.
      Value zRow = globalRow(e.minu(e.add(t0, row), lastRow));
      for (int64_t n = 0; n < vTiles; ++n) {
        Value out[2] = {e.fmul(O[n][half * 2], scale),
                        e.fmul(O[n][half * 2 + 1], scale)};
        Value localCol = inGroup(e.add(e.i64c(n * 8), colInTile));
        if (headD) {
          // y += D * x, with x as staged (before the dt' scaling).
          Value x = e.load(
              e.i32,
              sharedAtDyn(xBase, elt,
                          e.add(e.mul(row, e.i64c(layout.vStride)), localCol)),
              4);
          auto [x0, x1] = e.unpack(x);
          out[0] = e.fadd(out[0], e.fmul(headD, x0));
          out[1] = e.fadd(out[1], e.fmul(headD, x1));
        }
        if (zPtr) {
          // y *= z * sigmoid(z).
          Value col = e.add(v0, localCol);
          auto [z0, z1] = e.unpack(
              e.load(e.i32, e.gep(zPtr, elt, e.add(zRow, col)), 4));
          Value zs[2] = {z0, z1};
          for (int j = 0; j < 2; ++j) {
            Value expNeg = e.exp2(e.fmul(zs[j], e.f32c(-kLog2e)));
            Value sig = arith::DivFOp::create(builder, loc, e.f32c(1.0f),
                                              e.fadd(e.f32c(1.0f), expNeg));
            out[j] = e.fmul(out[j], e.fmul(zs[j], sig));
          }
        }
        e.store(e.pack(out[0], out[1]),
                tileAt(staging, stagingTile, row, localCol), 4);
      }
    }
    NVVM::SyncWarpOp::create(builder, loc, e.i32c(-1));
    int64_t vecsPerRow = GV / 8;
    auto vec4 = VectorType::get({4}, e.i32);
    for (int64_t i = 0; i < 16 * vecsPerRow / 32; ++i) {
      Value id = e.add(lane, e.i64c(i * 32));
      // Eight lanes read one core matrix (eight rows' segments) at once.
      Value row = e.add(rowBase, stagingTile.core
                                     ? e.remu(id, e.i64c(16))
                                     : e.divu(id, e.i64c(vecsPerRow)));
      Value col = inGroup(e.mul(stagingTile.core
                                    ? e.divu(id, e.i64c(16))
                                    : e.remu(id, e.i64c(vecsPerRow)),
                                e.i64c(8)));
      Value t = e.add(t0, row);
      e.ifThen(e.ult(t, length), [&] {
        Value v = e.load(vec4, tileAt(staging, stagingTile, row, col), 16);
        e.store(v, e.gep(oPtr, elt, e.add(globalRow(t), e.add(v0, col))),
                16);
      });
    }
  };
  /// O(c) *= exp2(G_i), row by row.
  auto decayOutputRows = [&](SmallVector<Frag> &O) {
    for (int half = 0; half < 2; ++half) {
      Value w = e.exp2(gRow[half]);
      for (int64_t n = 0; n < vTiles; ++n)
        for (int r = half * 2; r < half * 2 + 2; ++r)
          O[n][r] = e.fmul(O[n][r], w);
    }
  };

  // A split's first pass computes states only; the output warpgroup
  // computes O.
  if (!statesOnly && !outputGroup) {
    // P = Q K^T, masked and decayed (scaled by dt' for loom.ssd), unless
    // the inverse pass left it with T.
    SmallVector<Frag> P;
    if (!readInverse) {
      P = perKey ? timesDecayedKeys() : timesKeys(qBase);
      maskDecayed(P, /*strict=*/false, {}, config.ssd ? dtBase : Value());
    }

    if (!core) {
      if (perKey)
        timesState(e.i64c(layout.qTilde), O,
                   tableRow(layout.interFactor, warp));
      else if (!earlyQ)
        timesState(qBase, O, Value());
      // The last reads of this warp's Q rows: other lanes' ldmatrix reads
      // come before any lane stages O there (racecheck: a warp-level WAR
      // hazard without this).
      NVVM::SyncWarpOp::create(builder, loc, e.i32c(-1));
      if (decay)
        decayOutputRows(O);
      addScoresTimesValues(O, P, scoresBase, pvBase);
    }

    // O goes out through this warp's own rows of the Q stage, which it has
    // finished reading. With wgmma, or with column groups (whose other warp
    // on these rows may still read Q), through R's region instead: every
    // read of R was before the last barrier.
    const bool stageInRhs = core || groups > 1;
    storeOutput(O, e.mul(c, e.i64c(kChunk)),
                stageInRhs ? e.i64c(layout.rhs) : qBase,
                stageInRhs ? layout.valuesTile : layout.qkTile, vBase);
  }

  // The state update on mma.sync (on wgmma it ran with O's products).
  if (!core)
    newS = decayedState();
  for (int64_t ks = 0; ks < kChunk / 16 && !core; ++ks) {
    // B fragments of this token block, shared by the warp's row tiles.
    SmallVector<SmallVector<Value, 4>> bFrags;
    for (int64_t np = 0; np < vTiles / 2; ++np)
      bFrags.push_back(loadTransposedB(vUpdateBase, ks * 16, 2 * np));
    for (int64_t mi = 0; mi < stateMTiles; ++mi) {
      // A = K^T tile: rows = key dims, columns = tokens; K is [token][dim]
      // in shared memory, so each 8x8 matrix is loaded transposed. GLA's
      // is F^T, its key rows scaled by s_b of token block b = ks.
      auto a = ldm(perKey ? e.i64c(layout.keyF) : kBase, kTransposedPattern,
                   (ks * 16 * layout.qStride + mi * 16) * 2,
                   /*transpose=*/true);
      if (perKey)
        for (int half = 0; half < 2; ++half) {
          Value row = stateCoord(mi, 0, half * 2).first;
          Value w = e.load(
              e.f32,
              sharedAtDyn(tableRow(layout.stateFactor, e.i64c(ks)), e.f32,
                          row),
              4);
          // Registers 0 and 2 hold key row lane/4, 1 and 3 row lane/4 + 8.
          a[half] = e.scalePair(a[half], w, w);
          a[half + 2] = e.scalePair(a[half + 2], w, w);
        }
      for (int64_t n = 0; n < vTiles; ++n) {
        auto &bFrag = bFrags[n / 2];
        Frag acc{stateAt(newS, mi, n, 0), stateAt(newS, mi, n, 1),
                 stateAt(newS, mi, n, 2), stateAt(newS, mi, n, 3)};
        acc = e.mma(a, {bFrag[2 * (n % 2)], bFrag[2 * (n % 2) + 1]}, acc);
        for (int r = 0; r < 4; ++r)
          newS[(mi * vTiles + n) * 4 + r] = acc[r];
      }
    }
  }
  Value nextState = e.i64c(layout.state);
  if (outputGroup) {
    // S(c + 1) goes into chunk c - 1's buffer once the output warpgroup is
    // done with it. Nothing else needs a barrier here: this warpgroup's
    // last reads of that buffer, of this stage and of R and U came before
    // this chunk's barriers, and the next chunk's first barrier comes
    // before anything overwrites what this chunk read.
    e.ifThen(e.ult(chunkBegin, c), [&] {
      e.barrierSync(bufferBarrier(kFree, nextStage), 2 * kThreads);
    });
    nextState = sharedBuffer(layout.state, layout.stateBytes, nextStage);
  } else {
    // Every warp is done reading this stage and the old shared S.
    e.barrier();
  }
  // S's copy first: the next chunk's first products read it, while Q's
  // copies are needed only once U is.
  if (!statesOnly)
    writeSharedState(newS, nextState);
  if (singleQ) {
    e.ifThen(e.ult(next, chunkEnd),
             [&] { loadChunk(next, nextStage, true, false); });
    e.cpAsyncCommit();
  }
  if (statesOnly)
    newS.push_back(decaySum);
  scf::YieldOp::create(builder, loc, newS);

  builder.setInsertionPointAfter(loop);
  SmallVector<Value> finalState(loop.getResults());
  if (statesOnly) {
    // The segment's state and total decay into its workspace slot.
    Value total = finalState.pop_back_val();
    for (int64_t mi = 0; mi < stateMTiles; ++mi)
      for (int64_t n = 0; n < vTiles; ++n)
        for (int half = 0; half < 2; ++half) {
          auto [row, col] = stateCoord(mi, n, half * 2);
          e.store(e.f32x2(stateAt(finalState, mi, n, half * 2),
                          stateAt(finalState, mi, n, half * 2 + 1)),
                  e.gep(workspace, e.f32, slotStateIndex(segment, row, col)),
                  8);
        }
    if (decay || perKey)
      e.ifThen(e.andi(e.eq(e.blockId(1), e.i64c(0)),
                      e.ult(tid, e.i64c(perKey ? K : 1))),
               [&] {
                 e.store(total,
                         e.gep(workspace, e.f32,
                               segmentSlots.decay(segment, bh, tid)),
                         4);
               });
    gpu::ReturnOp::create(builder, loc);
    return func;
  }

  // Final state, unless the caller passed no buffer for it (or, split, the
  // CTA's segment is not the last).
  Value nullPtr = LLVM::ZeroOp::create(builder, loc, e.globalPtr);
  Value hasOut = LLVM::ICmpOp::create(builder, loc, LLVM::ICmpPredicate::ne,
                                      sOutPtr, nullPtr);
  if (split)
    hasOut = e.andi(hasOut, e.eq(chunkEnd, numChunks));
  e.ifThen(hasOut, [&] {
    for (int64_t mi = 0; mi < stateMTiles; ++mi)
      for (int64_t n = 0; n < vTiles; ++n)
        for (int half = 0; half < 2; ++half) {
          auto [row, col] = stateCoord(mi, n, half * 2);
          if (config.ssd) {
            for (int j = 0; j < 2; ++j)
              e.store(stateAt(finalState, mi, n, half * 2 + j),
                      e.gep(sOutPtr, e.f32,
                            stateIndex(row, e.add(col, e.i64c(j)))),
                      4);
            continue;
          }
          e.store(e.f32x2(stateAt(finalState, mi, n, half * 2),
                          stateAt(finalState, mi, n, half * 2 + 1)),
                  e.gep(sOutPtr, e.f32, stateIndex(row, col)), 8);
        }
  });

  // The output warpgroup: O(c) = scale (exp2(G) Q S(c) + P U(c)) chunk by
  // chunk, from its own ring of Q, P and G and the S(c) and U(c) that the
  // state warpgroup passes it. Chunk c + 1's copies go out once kReady + b
  // completes: every thread of this warpgroup is then past chunk c - 1,
  // the last reader of the stage they fill.
  if (outputGroup) {
    builder.setInsertionPoint(roles.thenBlock()->getTerminator());
    firstCopies(/*withQ=*/false, /*withRest=*/false, /*outputShare=*/true);
    auto outputLoop =
        scf::ForOp::create(builder, loc, chunkBegin, chunkEnd, e.i64c(1));
    builder.setInsertionPointToStart(outputLoop.getBody());
    Value chunk = outputLoop.getInductionVar();
    Value buffer = e.remu(chunk, e.i64c(2));
    Value following = e.add(chunk, e.i64c(1));
    Value hasFollowing = e.ult(following, chunkEnd);
    e.cpAsyncWait(0);
    e.barrierSync(bufferBarrier(kReady, buffer), 2 * kThreads);
    e.ifThen(hasFollowing, [&] {
      loadChunk(following, e.sub(e.i64c(1), buffer), /*withQ=*/false,
                /*withRest=*/false, /*outputShare=*/true);
    });
    e.cpAsyncCommit();

    Value qRows = stageOffset(layout.q, buffer);
    // Warp w normalizes and reads its own 16 rows of Q.
    if (config.qkL2norm) {
      normalizeRows(qRows);
      NVVM::SyncWarpOp::create(builder, loc, e.i32c(-1));
    }
    if (decay)
      loadRowDecays(stageOffset(layout.gOut, buffer));
    stateBaseShared = sharedBuffer(layout.state, layout.stateBytes, buffer);
    SmallVector<Frag> out(zeroTiles);
    timesState(qRows, out, Value());
    // The warp's last reads of its Q rows, before its lanes stage O there.
    NVVM::SyncWarpOp::create(builder, loc, e.i32c(-1));
    if (decay)
      decayOutputRows(out);
    addScoresTimesValues(
        out, {}, stageOffset(layout.loadedScores, buffer),
        sharedBuffer(layout.solution, layout.solutionBytes, buffer));
    // Done with S(c) and U(c); the state warpgroup waits for this from
    // chunk c + 1 on.
    e.ifThen(hasFollowing, [&] {
      e.barrierArrive(bufferBarrier(kFree, buffer), 2 * kThreads);
    });
    storeOutput(out, e.mul(chunk, e.i64c(kChunk)), qRows, layout.qkTile,
                Value());
    builder.setInsertionPointAfter(roles);
  }
  gpu::ReturnOp::create(builder, loc);
  return func;
}

int64_t mlir::loom::deltaInverseChunkBytes(
    const LinearAttentionKernelConfig &config) {
  if (config.packedInverse())
    return PackedInverse(config).chunkBytes();
  return 2 * kChunk * kChunk * 2 + (config.scalarDecay ? kChunk * 4 : 0);
}

int64_t mlir::loom::segmentSlotBytes(const LinearAttentionKernelConfig &c) {
  return (c.headDimK * c.headDimV + c.headDimK) * 4;
}

gpu::GPUFuncOp mlir::loom::buildSegmentCombineKernel(
    OpBuilder &builder, Location loc, gpu::GPUModuleOp module, StringRef name,
    const LinearAttentionKernelConfig &config) {
  const int64_t K = config.headDimK, V = config.headDimV;
  KernelEmitter e(builder, loc, config.elementType);
  SmallVector<Type> params;
  if (config.initialState)
    params.push_back(e.globalPtr);
  params.append({e.globalPtr, e.i64, e.i64}); // workspace NH slots

  OpBuilder::InsertionGuard guard(builder);
  auto func = e.beginKernel(module, name, params, kThreads);
  Block &entry = func.getBody().front();
  unsigned argIndex = 0;
  Value s0 = config.initialState ? entry.getArgument(argIndex++) : Value();
  Value workspace = entry.getArgument(argIndex++);
  Value NH = entry.getArgument(argIndex++);
  Value slots = entry.getArgument(argIndex++);

  // Four consecutive elements (k, v..v+3) of this (sequence, head)'s state.
  Value bh = e.blockId(0);
  Value first = e.mul(e.add(e.mul(e.blockId(1), e.i64c(kThreads)),
                            e.threadId()),
                      e.i64c(4));
  e.ifThen(e.ult(first, e.i64c(K * V)), [&] {
    Value key = e.divu(first, e.i64c(V));
    Value col = e.remu(first, e.i64c(V));
    SmallVector<Value> S(4, e.f32c(0.0f));
    if (s0)
      for (int j = 0; j < 4; ++j) {
        // loom.ssd keeps its state as [V, K].
        Value c = e.add(col, e.i64c(j));
        Value index = config.ssd ? e.add(e.mul(c, e.i64c(K)), key)
                                 : e.add(e.mul(key, e.i64c(V)), c);
        S[j] = e.load(e.f32,
                      e.gep(s0, e.f32, e.add(e.mul(bh, e.i64c(K * V)), index)),
                      4);
      }
    SegmentSlots segmentSlots{e, slots, NH, K, V};
    auto loop = scf::ForOp::create(builder, loc, e.i64c(0), slots, e.i64c(1),
                                   S);
    OpBuilder::InsertionGuard inner(builder);
    builder.setInsertionPointToStart(loop.getBody());
    Value slot = loop.getInductionVar();
    SmallVector<Value> next(loop.getRegionIterArgs());
    Value factor = e.f32c(1.0f);
    if (config.scalarDecay || config.perKeyDecay) {
      Value decayAt = segmentSlots.decay(
          slot, bh, config.perKeyDecay ? key : e.i64c(0));
      factor = e.exp2(e.load(e.f32, e.gep(workspace, e.f32, decayAt), 4));
    }
    Value at =
        e.gep(workspace, e.f32, segmentSlots.state(slot, bh, key, col));
    auto vec4f = VectorType::get({4}, e.f32);
    Value local = e.load(vec4f, at, 16);
    Value out = LLVM::PoisonOp::create(builder, loc, vec4f);
    for (int j = 0; j < 4; ++j) {
      Value l = LLVM::ExtractElementOp::create(builder, loc, local, e.i32c(j));
      next[j] = e.fadd(e.fmul(factor, next[j]), l);
      out = LLVM::InsertElementOp::create(builder, loc, out, next[j],
                                          e.i32c(j));
    }
    // Segment slot+1's incoming state replaces slot's local one.
    e.store(out, at, 16);
    scf::YieldOp::create(builder, loc, next);
  });
  gpu::ReturnOp::create(builder, loc);
  return func;
}
