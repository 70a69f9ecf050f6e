//===- LoomToGPU.h - Kernel generators of convert-loom-to-gpu --*- C++ -*-===//

#ifndef LOOM_LIB_CONVERSION_LOOMTOGPU_LOOMTOGPU_H
#define LOOM_LIB_CONVERSION_LOOMTOGPU_LOOMTOGPU_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"

#include <string>

namespace mlir::loom {

/// What the fused linear-attention kernel is specialized for.
struct LinearAttentionKernelConfig {
  Type elementType;       // q, k, v and o: bf16 or f16
  int64_t headDimK = 0;   // K
  int64_t headDimV = 0;   // V
  int64_t valueTile = 64; // V columns per CTA
  /// The head counts H (of v) and Hk (of q and k) where the types fix them;
  /// 0 where they are dynamic and read from the kernel's arguments.
  int64_t heads = 0, keyHeads = 0;
  bool scalarDecay = false;
  /// GLA: a decay per key [B, T, H, K]; the state decays row by row.
  bool perKeyDecay = false;
  /// The delta rule: a beta operand, and the chunk's values replaced by
  /// U = (I + L)^-1 beta (V - exp(G) K S) before they enter O and S.
  bool deltaRule = false;
  bool initialState = false;
  /// cu_seqlens: CTAs walk the segments of one packed batch row; the
  /// offsets are `offsetType` (i32 or i64).
  bool varlen = false;
  Type offsetType;
  /// Rows of q and k divided by their L2 norm first (qk_l2norm).
  bool qkL2norm = false;
  float scale = 1.0f;
  /// loom.ssd: the decay operand is dt, v is x scaled by dt' = dt (+ bias,
  /// softplus), the decay is dt' * A, the state is stored [V, K], and the
  /// D and z epilogue follows.
  bool ssd = false;
  bool ssdD = false, ssdZ = false, dtBias = false, dtSoftplus = false;
  /// Sequence splitting (additive forms, when B * H leaves the GPU idle):
  /// CTA z takes chunks [z * segmentChunks, ...) of its sequence
  /// (segmentChunks even: every segment starts in ring stage 0).
  /// LocalStates walks them from a zero state and writes the segment's
  /// final state and total log2 decay to the workspace; FromStates starts
  /// from the incoming state the combine kernel left there (segment 0 from
  /// the initial state) and writes o, the last segment the final state.
  enum class Split { None, LocalStates, FromStates };
  Split split = Split::None;
  /// Where the delta rule's chunk inverse T = (I + L)^-1 comes from. Inline:
  /// solved in the chunk loop, per value tile. Write: the inverse pass, a
  /// CTA per (sequence, head) and run of segmentChunks chunks, reads Q, K,
  /// beta and the gates only and stores each chunk's T, its scores P =
  /// (Q K^T) decayed and masked, and its cumulated decays G to the
  /// workspace. Read: the chunk loop copies T, P and G in with the chunk,
  /// so that it holds only the V-dependent products.
  enum class DeltaInverse { Inline, Write, Read };
  DeltaInverse deltaInverse = DeltaInverse::Inline;

  bool writesDeltaInverse() const {
    return deltaRule && deltaInverse == DeltaInverse::Write;
  }
  /// sm_90a: the loop that reads the delta inverse runs its products on
  /// wgmma, its operands in core-matrix tiles (else mma.sync + ldmatrix).
  bool warpgroupMma = false;
  /// The mma.sync loop that reads the delta inverse: warpgroups per CTA,
  /// each on valueTile / columnGroups columns of the tile and all sharing
  /// the chunk's Q, K, T and P in shared memory, so that two warps share
  /// each scheduler (1 or 2; 2 needs tiles of 32 columns or more).
  int64_t columnGroups = 1;
  /// The mma.sync loop that reads the delta inverse, with one column
  /// group: a second warpgroup computes O = scale (exp2(G) Q S + P U) one
  /// chunk behind the first, which keeps only the state's chain (K S, U,
  /// the state update); named barriers pass S and U between them.
  bool outputWarpgroup = false;

  bool readsDeltaInverse() const {
    return deltaRule && deltaInverse == DeltaInverse::Read;
  }
  /// Whether the loop that reads the delta inverse runs on wgmma (K = 192's
  /// rows of 24 segments do not split into the copies' passes of 16
  /// core-matrix strips: it keeps mma.sync).
  bool loopOnWarpgroupMma() const { return warpgroupMma && headDimK != 192; }
  /// Whether the inverse pass leaves each chunk's T, G and P as one
  /// contiguous image of their lower 16x16 blocks (PackedInverse), which
  /// the mma.sync loop copies in by block rows; the wgmma loop reads
  /// [64][64] rows into its core tiles instead.
  bool packedInverse() const {
    return deltaRule && deltaInverse != DeltaInverse::Inline &&
           !loopOnWarpgroupMma();
  }
};

/// The widest value tile the kernel fits in registers without spilling:
/// the delta rule's solve leaves no room for a 64-column state; reading
/// its inverse, the loop fits one (without an initial state).
int64_t maxLinearAttentionValueTile(const LinearAttentionKernelConfig &config);

/// Fails with the reason when no kernel exists for `config`.
LogicalResult checkLinearAttentionKernelConfig(
    const LinearAttentionKernelConfig &config, std::string &why);

/// Appends the kernel to `module`. Parameters: q, k, v, [g | dt, A, [D],
/// [z], [dt_bias]], [beta], [s0], [cu_seqlens], o, final state (may be
/// null), T, H, Hk, [segmentChunks, NH, slots, workspace] (a split, or a
/// delta inverse written or read); grid (sequences*H, V/valueTile,
/// segments).
gpu::GPUFuncOp buildLinearAttentionKernel(
    OpBuilder &builder, Location loc, gpu::GPUModuleOp module, StringRef name,
    const LinearAttentionKernelConfig &config);

/// The kernel (one per op name and offset type in `module`) that checks
/// cu_seqlens before a kernel walks its segments: cu[0] = 0,
/// non-decreasing, cu[N] = T, each failure a device-side assert naming
/// `opName`. Parameters: cu, N, T; one thread per offset.
gpu::GPUFuncOp getSequenceCheckKernel(OpBuilder &builder, Location loc,
                                      gpu::GPUModuleOp module, Type offsetType,
                                      StringRef opName);
int64_t sequenceCheckThreads();

/// The kernel between a split's two passes: per (sequence, head) and 512
/// state elements, S = s0 (or 0), then for each segment s but the last
/// S = exp2(D_s) S + L_s, left in L_s's slot as segment s+1's incoming
/// state. Parameters: [s0], workspace, NH, slots; grid (NH, K*V/512, 1).
gpu::GPUFuncOp buildSegmentCombineKernel(
    OpBuilder &builder, Location loc, gpu::GPUModuleOp module, StringRef name,
    const LinearAttentionKernelConfig &config);
/// Bytes of a split's workspace: `slots` states and decays per (sequence,
/// head), as f32 [slots][NH][K][V] then [slots][NH][K].
int64_t segmentSlotBytes(const LinearAttentionKernelConfig &config);
/// Bytes per chunk of the delta inverse pass's workspace: T and the
/// scores P, and with a decay the chunk's cumulated log2 decays G (64
/// f32). Packed (packedInverse), a chunk's image of their lower blocks;
/// otherwise [64][64] of the element type each, the workspace holding T,
/// then P, then G of [sequences * H][chunks] chunks.
int64_t deltaInverseChunkBytes(const LinearAttentionKernelConfig &config);

int64_t linearAttentionSharedBytes(const LinearAttentionKernelConfig &config);
/// Threads of a chunk-kernel CTA: 128 per column group.
int64_t linearAttentionThreads(const LinearAttentionKernelConfig &config);
/// Tokens per chunk of the chunk kernel.
int64_t linearAttentionChunk();

/// The token-by-token kernel (RecurrentKernel.cpp) for the linear-attention
/// forms the chunk kernel does not take: f32 inputs, KDA, other head dims,
/// GLA short of shared memory. Same config (valueTile and split unused)
/// and parameters as the chunk kernel's unsplit form; grid (sequences*H,
/// ceil(V / recurrentColumnsPerBlock()), 1).
LogicalResult checkRecurrentKernelConfig(
    const LinearAttentionKernelConfig &config, std::string &why);
gpu::GPUFuncOp buildRecurrentKernel(OpBuilder &builder, Location loc,
                                    gpu::GPUModuleOp module, StringRef name,
                                    const LinearAttentionKernelConfig &config);
int64_t recurrentThreads();
int64_t recurrentColumnsPerBlock();

/// What the selective-scan kernel is specialized for.
struct SelectiveScanKernelConfig {
  Type inputType;       // u, z and y
  Type deltaType;       // delta: inputType or f32
  Type bType, cType;    // B and C
  int64_t channels = 0; // Dc
  int64_t groups = 0;   // G
  int64_t stateDim = 0; // N
  bool d = false, z = false, deltaBias = false, initialState = false;
  bool deltaSoftplus = false;
  /// L is a multiple of selectiveScanLengthMultiple(), so that every row
  /// starts 16-byte aligned and is read and written in vectors.
  bool alignedLength = false;
};

LogicalResult checkSelectiveScanKernelConfig(
    const SelectiveScanKernelConfig &config, std::string &why);

/// Appends the kernel to `module`. Parameters: u, delta, A, B, C, [D], [z],
/// [delta_bias], [initial_state], y, final state (may be null), L, B*Dc;
/// grid (ceil(B*Dc / selectiveScanChannelsPerBlock()), 1, 1).
gpu::GPUFuncOp buildSelectiveScanKernel(
    OpBuilder &builder, Location loc, gpu::GPUModuleOp module, StringRef name,
    const SelectiveScanKernelConfig &config);

int64_t selectiveScanThreads();
int64_t selectiveScanChannelsPerBlock();
int64_t selectiveScanSharedBytes(const SelectiveScanKernelConfig &config);
int64_t selectiveScanLengthMultiple();

/// What the causal-convolution kernel is specialized for.
struct CausalConv1dKernelConfig {
  Type elementType;     // x and y
  int64_t channels = 0; // C
  int64_t width = 0;    // W
  bool bias = false;
  bool silu = false;
};

/// How a CTA covers [T, C]: `timeTile` steps of `channelsPerBlock` channels.
struct CausalConv1dTiling {
  int64_t threads, timeTile, channelsPerBlock;
};
CausalConv1dTiling causalConv1dTiling(const CausalConv1dKernelConfig &config);

LogicalResult checkCausalConv1dKernelConfig(
    const CausalConv1dKernelConfig &config, std::string &why);

/// Appends the kernel to `module`. Parameters: x, w, [bias], y, T; grid
/// (ceil(T / timeTile), ceil(C / channelsPerBlock), B).
gpu::GPUFuncOp buildCausalConv1dKernel(
    OpBuilder &builder, Location loc, gpu::GPUModuleOp module, StringRef name,
    const CausalConv1dKernelConfig &config);

} // namespace mlir::loom

#endif // LOOM_LIB_CONVERSION_LOOMTOGPU_LOOMTOGPU_H
