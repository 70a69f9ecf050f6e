//===- LinearAttentionParams.cpp - What both linear-attention kernels read -===//

#include "LinearAttentionParams.h"

using namespace mlir;
using namespace mlir::loom;

SmallVector<Type>
LinearAttentionParams::types(KernelEmitter &e,
                             const LinearAttentionKernelConfig &c) {
  SmallVector<Type> types(3, e.globalPtr); // q k v
  for (bool present :
       {c.scalarDecay || c.perKeyDecay, c.ssd, c.ssd && c.ssdD,
        c.ssd && c.ssdZ, c.ssd && c.dtBias, c.deltaRule, c.initialState,
        c.varlen})
    if (present)
      types.push_back(e.globalPtr);
  types.append({e.globalPtr, e.globalPtr, e.i64, e.i64, e.i64}); // o s T H Hk
  return types;
}

LinearAttentionParams
LinearAttentionParams::unpack(Block &entry,
                              const LinearAttentionKernelConfig &c,
                              unsigned &next) {
  auto take = [&](bool present) {
    return present ? entry.getArgument(next++) : Value();
  };
  LinearAttentionParams p;
  p.q = take(true);
  p.k = take(true);
  p.v = take(true);
  p.g = take(c.scalarDecay || c.perKeyDecay);
  p.a = take(c.ssd);
  p.d = take(c.ssd && c.ssdD);
  p.z = take(c.ssd && c.ssdZ);
  p.dtBias = take(c.ssd && c.dtBias);
  p.beta = take(c.deltaRule);
  p.s0 = take(c.initialState);
  p.cu = take(c.varlen);
  p.o = take(true);
  p.sOut = take(true);
  p.T = take(true);
  p.H = take(true);
  p.Hk = take(true);
  return p;
}

SequenceRows mlir::loom::sequenceRows(KernelEmitter &e,
                                      const LinearAttentionKernelConfig &c,
                                      const LinearAttentionParams &p,
                                      Value sequence) {
  if (!p.cu)
    return {e.mul(sequence, p.T), p.T};
  Value start = e.loadIndex(c.offsetType, p.cu, sequence);
  Value end = e.loadIndex(c.offsetType, p.cu, e.add(sequence, e.i64c(1)));
  return {start, e.sub(end, start)};
}

SsdHeadScalars mlir::loom::loadSsdHeadScalars(KernelEmitter &e,
                                              const LinearAttentionParams &p,
                                              Value head) {
  auto load = [&](Value ptr) {
    return ptr ? e.load(e.f32, e.gep(ptr, e.f32, head), 4) : Value();
  };
  return {load(p.a), load(p.d), load(p.dtBias)};
}
