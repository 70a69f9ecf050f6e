//===- LinearAttentionParams.h - What both linear-attention kernels read -*- C++ -*-===//
//
// The chunk kernel and the token-by-token kernel take the same leading
// parameters, walk the same sequences and read loom.ssd's per-head scalars
// the same way; this states it once.
//
//===----------------------------------------------------------------------===//

#ifndef LOOM_CONVERSION_LOOMTOGPU_LINEARATTENTIONPARAMS_H
#define LOOM_CONVERSION_LOOMTOGPU_LINEARATTENTIONPARAMS_H

#include "KernelEmitter.h"
#include "LoomToGPU.h"

namespace mlir::loom {

/// q, k, v, [g | dt, A, [D], [z], [dt_bias]], [beta], [s0], [cu_seqlens],
/// o, final state (may be null), T, H, Hk: absent operands are null.
struct LinearAttentionParams {
  Value q, k, v, g, a, d, z, dtBias, beta, s0, cu, o, sOut, T, H, Hk;

  /// Their types, for `config`: global pointers and i64s.
  static SmallVector<Type> types(KernelEmitter &e,
                                 const LinearAttentionKernelConfig &config);
  /// The kernel's leading arguments; `next` is left at the first after them.
  static LinearAttentionParams unpack(Block &entry,
                                      const LinearAttentionKernelConfig &config,
                                      unsigned &next);
};

/// Sequence `sequence`'s tokens: rows [start, start + length) of the
/// [B * T] token rows, a batch row or a cu_seqlens segment of row 0 (whose
/// offsets the plan's check kernel has vetted).
struct SequenceRows {
  Value start, length;
};
SequenceRows sequenceRows(KernelEmitter &e,
                          const LinearAttentionKernelConfig &config,
                          const LinearAttentionParams &params, Value sequence);

/// loom.ssd's A, D and dt_bias of `head` (null where absent).
struct SsdHeadScalars {
  Value a, d, dtBias;
};
SsdHeadScalars loadSsdHeadScalars(KernelEmitter &e,
                                  const LinearAttentionParams &params,
                                  Value head);

} // namespace mlir::loom

#endif // LOOM_CONVERSION_LOOMTOGPU_LINEARATTENTIONPARAMS_H
