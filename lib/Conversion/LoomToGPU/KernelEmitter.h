//===- KernelEmitter.h - Warp-level building blocks of GPU kernels -*- C++ -*-===//
//
// Loom's GPU kernels are built at the level of PTX's warp-synchronous
// instructions: 64-bit index arithmetic, global and shared pointers,
// cp.async copies, ldmatrix and mma.sync, and sm_90a's wgmma. The kernel
// generators describe tiles and fragments; this class turns them into
// `gpu`, `nvvm`, `llvm`, `arith` and `scf` ops that `convert-gpu-to-nvvm`
// (and, for wgmma, `convert-nvvm-to-llvm`) finishes.
//
// Fragments follow PTX's m16n8k16 layouts (bf16 or f16 operands, f32
// accumulators): an A fragment is 4 x i32 (two packed halves each), a B
// fragment 2 x i32, an accumulator 4 x f32 holding rows lane/4 and lane/4+8,
// columns 2*(lane%4) and 2*(lane%4)+1.
//
//===----------------------------------------------------------------------===//

#ifndef LOOM_CONVERSION_LOOMTOGPU_KERNELEMITTER_H
#define LOOM_CONVERSION_LOOMTOGPU_KERNELEMITTER_H

#include "mlir/IR/Builders.h"
#include "llvm/ADT/SmallVector.h"

#include <array>
#include <functional>

namespace mlir::gpu {
class GPUFuncOp;
} // namespace mlir::gpu

namespace mlir::loom {

using Frag = std::array<Value, 4>;

class KernelEmitter {
public:
  /// `elementType` is the 16-bit type of the tensor-core operands.
  KernelEmitter(OpBuilder &builder, Location loc, Type elementType);

  OpBuilder &b;
  Location loc;
  Type elt, i1, i32, i64, f32, globalPtr, sharedPtr;

  /// Appends kernel `name(params)` of `threads` threads a block to the
  /// gpu.module `module` and moves the builder to the start of its body
  /// (callers keep an InsertionGuard).
  gpu::GPUFuncOp beginKernel(Operation *module, StringRef name,
                             TypeRange params, int64_t threads);

  // Constants and 64-bit index arithmetic.
  Value i64c(int64_t v);
  Value i32c(int32_t v);
  Value f32c(float v);
  Value add(Value x, Value y);
  Value sub(Value x, Value y);
  Value mul(Value x, Value y);
  Value divu(Value x, Value y);
  Value remu(Value x, Value y);
  Value minu(Value x, Value y);
  Value ult(Value x, Value y);
  Value ule(Value x, Value y);
  Value eq(Value x, Value y);
  /// Signed x <= y, for values read from memory (offsets).
  Value sle(Value x, Value y);
  Value andi(Value x, Value y);
  Value i1c(bool v);
  Value select(Value c, Value x, Value y);
  Value fadd(Value x, Value y);
  Value fsub(Value x, Value y);
  Value fmul(Value x, Value y);

  // Thread geometry, as i64.
  Value threadId();
  Value blockId(int dim);

  /// Traps with `message` (a device-side assert, reported by the driver as
  /// CUDA_ERROR_ASSERT) where `cond` is false.
  void check(Value cond, const Twine &message);

  /// Pointer arithmetic in elements of `type`.
  Value gep(Value ptr, Type type, Value index);
  Value load(Type type, Value ptr, unsigned alignment);
  /// Element `index` of an i32 or i64 global array, as a signed i64.
  Value loadIndex(Type type, Value ptr, Value index);
  void store(Value value, Value ptr, unsigned alignment);

  /// The kernel's dynamic shared memory, declared once per gpu.module.
  Value sharedBase(Operation *gpuModule);

  void barrier();
  /// Named barrier `id` (an i32 of 1-15, uniform per warp) among `threads`
  /// threads (a multiple of 32): `barrierSync` waits for all of them,
  /// `barrierArrive` counts this thread in and goes on. Either orders this
  /// thread's prior memory accesses before those of the threads that wait
  /// on the barrier.
  void barrierSync(Value id, int threads);
  void barrierArrive(Value id, int threads);
  /// A CTA barrier that also returns whether `pred` held on any thread.
  Value barrierAny(Value pred);
  /// 16-byte (or 4-byte) asynchronous copy; a false `valid` zero-fills.
  void cpAsync(Value sharedDst, Value globalSrc, int bytes, Value valid);
  void cpAsyncCommit();
  void cpAsyncWait(int pending);

  /// ldmatrix of `count` 8x8 16-bit matrices; lane l gives the row address
  /// of matrix l/8.
  SmallVector<Value, 4> ldmatrix(Value sharedPtr, int count, bool transpose);
  /// d = a * b + c on one m16n8k16 tile.
  Frag mma(ArrayRef<Value> a, ArrayRef<Value> b, const Frag &c);

  // sm_90a's warpgroup MMA: the four warps of a CTA issue one m64nNk16
  // product together, both operands read from shared memory through matrix
  // descriptors. Operands sit in 8x8 core matrices of 16-bit elements (128
  // contiguous bytes each), with no swizzle.
  /// The descriptor of a matrix at byte `offset` of shared memory `smem`:
  /// `leadingBytes` is the stride between core matrices along the product's
  /// K dimension, `strideBytes` along M or N.
  Value wgmmaDescriptor(Value smem, Value offset, int64_t leadingBytes,
                        int64_t strideBytes);
  /// The same descriptor, `bytes` further on (a 16-byte multiple).
  Value advanceDescriptor(Value descriptor, int64_t bytes);
  /// d (+)= A * B over a 64 x n tile: `acc` holds this warp's n/8
  /// accumulator tiles, rows 16 * warp + lane/4 (+8) in the m16n8 layout.
  /// `transposeA` reads A stored [K][M] (M contiguous), `transposeB` B
  /// stored [K][N]; otherwise K is contiguous. `accumulate` false ignores
  /// `acc` (d = A * B).
  SmallVector<Frag> wgmma(Value descriptorA, Value descriptorB,
                          ArrayRef<Frag> acc, bool transposeA,
                          bool transposeB, bool accumulate = true);
  /// Orders prior register writes before the next wgmma (wgmma.fence).
  void wgmmaFence();
  /// Closes the issued wgmmas into a group and waits until at most
  /// `pending` groups are in flight; `tiles` are the accumulators they
  /// write, returned pinned after the wait so that no use of them is
  /// scheduled before it.
  SmallVector<Frag> wgmmaCommitAndWait(ArrayRef<Frag> tiles, int pending);
  /// Makes this thread's generic-proxy shared-memory writes (st.shared,
  /// cp.async) visible to the async proxy that wgmma reads through.
  void fenceSharedForAsyncProxy();

  /// Two f32 rounded to the operand type and packed into an i32 (lo first).
  Value pack(Value lo, Value hi);
  /// The inverse of pack, back to f32.
  std::pair<Value, Value> unpack(Value packed);
  /// Eight packed 16-bit values (a vector<4xi32>, one 16-byte segment)
  /// times `factor`, rounded back to the operand type.
  Value scalePacked(Value packed, Value factor);
  /// A packed pair times (lo, hi), rounded back to the operand type.
  Value scalePair(Value packed, Value lo, Value hi);
  /// Two f32 as a vector<2xf32>, for 8-byte stores.
  Value f32x2(Value lo, Value hi);
  /// 2^x with PTX's ex2.approx (relative error about 2^-22).
  Value exp2(Value x);
  /// log2(x) with PTX's lg2.approx.
  Value log2(Value x);
  /// Warp-inclusive prefix sum over lanes.
  Value warpInclusiveScan(Value x, Value lane);

  /// Lane `lane - offset` of a warp (lanes below `offset` keep their own).
  Value shuffleUp(Value x, int offset);
  /// The sum over a warp's lanes, to every lane (an xor butterfly).
  Value warpSum(Value x);
  /// Lane `srcLane` of a warp, to every lane.
  Value shuffleIdx(Value x, int srcLane);

  // Elementwise f32 math of the scans and the convolution.
  Value fgt(Value x, Value y);
  /// 1 / x with PTX's rcp.approx (1 ulp; 0 for x = inf).
  Value reciprocal(Value x);
  /// x * sigmoid(x), with sigmoid(x) = 1 / (1 + 2^(-x log2 e)).
  Value silu(Value x);
  /// mamba_ssm's softplus, x > 20 ? x : log(1 + e^x), through ex2 and lg2.
  Value softplus(Value x);

  /// Elements [index, index + count) of a `type` buffer, widened to f32, in
  /// loads of `vectorElems` elements each (`index` a multiple of it).
  SmallVector<Value> loadF32s(Type type, Value ptr, Value index, int64_t count,
                              int64_t vectorElems);
  /// The inverse: `values` rounded to `type`, stored from `ptr[index]` on.
  void storeF32s(ArrayRef<Value> values, Type type, Value ptr, Value index,
                 int64_t vectorElems);

  /// scf.if with results; `elseValues` are yielded when `cond` is false.
  SmallVector<Value> ifElse(Value cond,
                            const std::function<SmallVector<Value>()> &then,
                            ValueRange elseValues);
  void ifThen(Value cond, const std::function<void()> &then);
  void ifThenElse(Value cond, const std::function<void()> &then,
                  const std::function<void()> &otherwise);

private:
  /// `tiles` accumulator tiles from an LLVM struct of 4 * tiles f32
  /// (wgmma's accumulator order: tile t is fields 4t..4t+3).
  SmallVector<Frag> unpackTiles(Value aggregate, size_t tiles);
};

} // namespace mlir::loom

#endif // LOOM_CONVERSION_LOOMTOGPU_KERNELEMITTER_H
