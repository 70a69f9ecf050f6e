//===- KernelEmitter.cpp - Warp-level building blocks of GPU kernels ------===//

#include "KernelEmitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::loom;

static constexpr llvm::StringLiteral kSharedSymbol = "__loom_dynamic_smem";

KernelEmitter::KernelEmitter(OpBuilder &builder, Location loc, Type elementType)
    : b(builder), loc(loc), elt(elementType) {
  MLIRContext *ctx = b.getContext();
  i1 = b.getI1Type();
  i32 = b.getI32Type();
  i64 = b.getI64Type();
  f32 = b.getF32Type();
  globalPtr = LLVM::LLVMPointerType::get(ctx, 1);
  sharedPtr = LLVM::LLVMPointerType::get(ctx, 3);
}

gpu::GPUFuncOp KernelEmitter::beginKernel(Operation *module, StringRef name,
                                          TypeRange params, int64_t threads) {
  b.setInsertionPointToEnd(&module->getRegion(0).front());
  auto func =
      gpu::GPUFuncOp::create(b, loc, name, b.getFunctionType(params, {}));
  func->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), b.getUnitAttr());
  func.setKnownBlockSizeAttr(
      b.getDenseI32ArrayAttr({int32_t(threads), 1, 1}));
  b.setInsertionPointToStart(&func.getBody().front());
  return func;
}

Value KernelEmitter::i64c(int64_t v) {
  return arith::ConstantIntOp::create(b, loc, i64, v);
}
Value KernelEmitter::i32c(int32_t v) {
  return arith::ConstantIntOp::create(b, loc, i32, v);
}
Value KernelEmitter::f32c(float v) {
  return arith::ConstantFloatOp::create(b, loc, b.getF32Type(),
                                        APFloat(v));
}
Value KernelEmitter::add(Value x, Value y) {
  return arith::AddIOp::create(b, loc, x, y);
}
Value KernelEmitter::sub(Value x, Value y) {
  return arith::SubIOp::create(b, loc, x, y);
}
Value KernelEmitter::mul(Value x, Value y) {
  return arith::MulIOp::create(b, loc, x, y);
}
Value KernelEmitter::divu(Value x, Value y) {
  return arith::DivUIOp::create(b, loc, x, y);
}
Value KernelEmitter::remu(Value x, Value y) {
  return arith::RemUIOp::create(b, loc, x, y);
}
Value KernelEmitter::minu(Value x, Value y) {
  return arith::MinUIOp::create(b, loc, x, y);
}
Value KernelEmitter::ult(Value x, Value y) {
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, y);
}
Value KernelEmitter::ule(Value x, Value y) {
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule, x, y);
}
Value KernelEmitter::eq(Value x, Value y) {
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x, y);
}
Value KernelEmitter::sle(Value x, Value y) {
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, x, y);
}
Value KernelEmitter::andi(Value x, Value y) {
  return arith::AndIOp::create(b, loc, x, y);
}
Value KernelEmitter::i1c(bool v) {
  return arith::ConstantIntOp::create(b, loc, i1, v);
}
Value KernelEmitter::select(Value c, Value x, Value y) {
  return arith::SelectOp::create(b, loc, c, x, y);
}
Value KernelEmitter::fadd(Value x, Value y) {
  return arith::AddFOp::create(b, loc, x, y);
}
Value KernelEmitter::fsub(Value x, Value y) {
  return arith::SubFOp::create(b, loc, x, y);
}
Value KernelEmitter::fmul(Value x, Value y) {
  return arith::MulFOp::create(b, loc, x, y);
}

Value KernelEmitter::threadId() {
  Value id = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
  return arith::IndexCastUIOp::create(b, loc, i64, id);
}

Value KernelEmitter::blockId(int dim) {
  Value id = gpu::BlockIdOp::create(b, loc, static_cast<gpu::Dimension>(dim));
  return arith::IndexCastUIOp::create(b, loc, i64, id);
}

void KernelEmitter::check(Value cond, const Twine &message) {
  cf::AssertOp::create(b, loc, cond, message.str());
}

Value KernelEmitter::gep(Value ptr, Type type, Value index) {
  return LLVM::GEPOp::create(b, loc, ptr.getType(), type, ptr,
                             ValueRange{index});
}

Value KernelEmitter::load(Type type, Value ptr, unsigned alignment) {
  return LLVM::LoadOp::create(b, loc, type, ptr, alignment);
}

Value KernelEmitter::loadIndex(Type type, Value ptr, Value index) {
  Value x = load(type, gep(ptr, type, index), type.getIntOrFloatBitWidth() / 8);
  if (type == i64)
    return x;
  return arith::ExtSIOp::create(b, loc, i64, x);
}

void KernelEmitter::store(Value value, Value ptr, unsigned alignment) {
  LLVM::StoreOp::create(b, loc, value, ptr, alignment);
}

Value KernelEmitter::sharedBase(Operation *gpuModule) {
  auto global = dyn_cast_or_null<LLVM::GlobalOp>(
      SymbolTable::lookupSymbolIn(gpuModule, kSharedSymbol));
  if (!global) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&gpuModule->getRegion(0).front());
    global = LLVM::GlobalOp::create(
        b, loc, LLVM::LLVMArrayType::get(b.getI8Type(), 0),
        /*isConstant=*/false, LLVM::Linkage::External, kSharedSymbol,
        Attribute(), /*alignment=*/16, /*addrSpace=*/3);
  }
  return LLVM::AddressOfOp::create(b, loc, global);
}

void KernelEmitter::barrier() { gpu::BarrierOp::create(b, loc); }

void KernelEmitter::barrierSync(Value id, int threads) {
  NVVM::BarrierOp::create(b, loc, TypeRange{}, id, i32c(threads),
                          /*reductionOp=*/nullptr,
                          /*reductionPredicate=*/Value());
}

void KernelEmitter::barrierArrive(Value id, int threads) {
  NVVM::BarrierArriveOp::create(b, loc, id, i32c(threads));
}

Value KernelEmitter::barrierAny(Value pred) {
  Value asInt = arith::ExtUIOp::create(b, loc, i32, pred);
  auto any = NVVM::BarrierOp::create(
      b, loc, TypeRange{i32}, /*barrierId=*/Value(),
      /*numberOfThreads=*/Value(),
      NVVM::BarrierReductionAttr::get(b.getContext(),
                                      NVVM::BarrierReduction::OR),
      asInt);
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                               any.getResult(0), i32c(0));
}

void KernelEmitter::cpAsync(Value sharedDst, Value globalSrc, int bytes,
                            Value valid) {
  // cp.async.cg (L2 only) exists for 16-byte copies; smaller ones use .ca.
  auto modifier = bytes == 16 ? NVVM::LoadCacheModifierKind::CG
                              : NVVM::LoadCacheModifierKind::CA;
  Value srcBytes = select(valid, i32c(bytes), i32c(0));
  NVVM::CpAsyncOp::create(b, loc, sharedDst, globalSrc, bytes, modifier,
                          srcBytes);
}

void KernelEmitter::cpAsyncCommit() {
  NVVM::CpAsyncCommitGroupOp::create(b, loc);
}

void KernelEmitter::cpAsyncWait(int pending) {
  NVVM::CpAsyncWaitGroupOp::create(b, loc, pending);
}

SmallVector<Value, 4> KernelEmitter::ldmatrix(Value sharedPtr, int count,
                                              bool transpose) {
  SmallVector<Type> fields(count, i32);
  Type resultType = LLVM::LLVMStructType::getLiteral(b.getContext(), fields);
  auto shape = NVVM::LdStMatrixShapeAttr::get(b.getContext(), 8, 8);
  Value result = NVVM::LdMatrixOp::create(
      b, loc, resultType, sharedPtr, count,
      transpose ? NVVM::MMALayout::col : NVVM::MMALayout::row, shape,
      NVVM::LdStMatrixEltType::B16);
  SmallVector<Value, 4> regs;
  for (int i = 0; i < count; ++i)
    regs.push_back(LLVM::ExtractValueOp::create(b, loc, result, i));
  return regs;
}

Value KernelEmitter::wgmmaDescriptor(Value smem, Value offset,
                                     int64_t leadingBytes,
                                     int64_t strideBytes) {
  // Bits 0-13: the start address >> 4 (of the 18-bit shared window);
  // 16-29 and 32-45: the two strides >> 4; swizzle bits 62-63 zero.
  Value address = add(LLVM::PtrToIntOp::create(b, loc, i64, smem), offset);
  Value start = LLVM::LShrOp::create(
      b, loc, LLVM::AndOp::create(b, loc, address, i64c(0x3FFFF)), i64c(4));
  int64_t strides = ((leadingBytes >> 4) << 16) | ((strideBytes >> 4) << 32);
  return LLVM::OrOp::create(b, loc, start, i64c(strides));
}

Value KernelEmitter::advanceDescriptor(Value descriptor, int64_t bytes) {
  return bytes == 0 ? descriptor : add(descriptor, i64c(bytes >> 4));
}

SmallVector<Frag> KernelEmitter::wgmma(Value descriptorA, Value descriptorB,
                                       ArrayRef<Frag> acc, bool transposeA,
                                       bool transposeB, bool accumulate) {
  MLIRContext *ctx = b.getContext();
  const int64_t n = 8 * acc.size();
  SmallVector<Type> fields(4 * acc.size(), f32);
  Type structType = LLVM::LLVMStructType::getLiteral(ctx, fields);
  Value in = LLVM::PoisonOp::create(b, loc, structType);
  for (auto [t, tile] : llvm::enumerate(acc))
    for (int r = 0; r < 4; ++r)
      in = LLVM::InsertValueOp::create(b, loc, in, tile[r], 4 * t + r);
  auto type = NVVM::WGMMATypesAttr::get(
      ctx, elt.isBF16() ? NVVM::WGMMATypes::bf16 : NVVM::WGMMATypes::f16);
  auto one = NVVM::WGMMAScaleInAttr::get(ctx, NVVM::WGMMAScaleIn::one);
  // PTX's A is row-major and B column-major (K contiguous in both);
  // the other layout transposes.
  auto layout = [&](bool kMajorIsRow, bool transpose) {
    bool row = kMajorIsRow != transpose;
    return NVVM::MMALayoutAttr::get(
        ctx, row ? NVVM::MMALayout::row : NVVM::MMALayout::col);
  };
  Value out = NVVM::WgmmaMmaAsyncOp::create(
      b, loc, structType, in, descriptorA, descriptorB,
      NVVM::MMAShapeAttr::get(ctx, 64, n, 16), type, type,
      NVVM::WGMMATypesAttr::get(ctx, NVVM::WGMMATypes::f32),
      NVVM::WGMMAScaleOutAttr::get(ctx, accumulate ? NVVM::WGMMAScaleOut::one
                                                   : NVVM::WGMMAScaleOut::zero),
      one, one, layout(true, transposeA), layout(false, transposeB),
      /*satfinite=*/NVVM::MMAIntOverflowAttr());
  return unpackTiles(out, acc.size());
}

SmallVector<Frag> KernelEmitter::unpackTiles(Value aggregate, size_t tiles) {
  SmallVector<Frag> out(tiles);
  for (auto [t, tile] : llvm::enumerate(out))
    for (int r = 0; r < 4; ++r)
      tile[r] = LLVM::ExtractValueOp::create(b, loc, aggregate, 4 * t + r);
  return out;
}

void KernelEmitter::wgmmaFence() { NVVM::WgmmaFenceAlignedOp::create(b, loc); }

SmallVector<Frag> KernelEmitter::wgmmaCommitAndWait(ArrayRef<Frag> tiles,
                                                    int pending) {
  NVVM::WgmmaGroupSyncAlignedOp::create(b, loc);
  NVVM::WgmmaWaitGroupSyncOp::create(b, loc, pending);
  // An empty asm that reads and rewrites every accumulator register: it
  // has side effects, so it stays after the wait, and every use of the
  // accumulators depends on it.
  SmallVector<Value> values;
  for (const Frag &tile : tiles)
    values.append(tile.begin(), tile.end());
  std::string constraints;
  for (size_t i = 0; i < values.size(); ++i)
    constraints += (i ? ",=f" : "=f");
  for (size_t i = 0; i < values.size(); ++i)
    constraints += "," + std::to_string(i);
  SmallVector<Type> fields(values.size(), f32);
  auto pinned = LLVM::InlineAsmOp::create(
      b, loc, LLVM::LLVMStructType::getLiteral(b.getContext(), fields),
      values, /*asm_string=*/"", constraints, /*has_side_effects=*/true,
      /*is_align_stack=*/false, LLVM::tailcallkind::TailCallKind::None,
      /*asm_dialect=*/LLVM::AsmDialectAttr(),
      /*operand_attrs=*/ArrayAttr());
  return unpackTiles(pinned.getResult(0), tiles.size());
}

void KernelEmitter::fenceSharedForAsyncProxy() {
  NVVM::FenceProxyOp::create(
      b, loc, NVVM::ProxyKind::async_shared,
      NVVM::SharedSpaceAttr::get(b.getContext(),
                                 NVVM::SharedSpace::shared_cta));
}

Frag KernelEmitter::mma(ArrayRef<Value> a, ArrayRef<Value> bFrag,
                        const Frag &c) {
  Type resultType =
      LLVM::LLVMStructType::getLiteral(b.getContext(), {f32, f32, f32, f32});
  NVVM::MMATypes type =
      elt.isBF16() ? NVVM::MMATypes::bf16 : NVVM::MMATypes::f16;
  // nvvm.mma.sync takes bf16 pairs as i32 and f16 pairs as vector<2xf16>.
  SmallVector<Value, 4> aRegs(a), bRegs(bFrag);
  if (elt.isF16()) {
    auto f16x2 = VectorType::get({2}, elt);
    for (Value &r : aRegs)
      r = LLVM::BitcastOp::create(b, loc, f16x2, r);
    for (Value &r : bRegs)
      r = LLVM::BitcastOp::create(b, loc, f16x2, r);
  }
  Value d = NVVM::MmaOp::create(
      b, loc, resultType, aRegs, bRegs, ValueRange(c), {16, 8, 16},
      std::nullopt, std::nullopt, std::array<NVVM::MMATypes, 2>{type, type},
      std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                     NVVM::MMALayout::col});
  Frag out;
  for (int i = 0; i < 4; ++i)
    out[i] = LLVM::ExtractValueOp::create(b, loc, d, i);
  return out;
}

Value KernelEmitter::pack(Value lo, Value hi) {
  auto f32x2 = VectorType::get({2}, f32);
  auto eltx2 = VectorType::get({2}, elt);
  Value v = LLVM::PoisonOp::create(b, loc, f32x2);
  v = LLVM::InsertElementOp::create(b, loc, v, lo, i32c(0));
  v = LLVM::InsertElementOp::create(b, loc, v, hi, i32c(1));
  // One cvt.rn.bf16x2.f32 (or f16x2) in PTX.
  Value narrow = arith::TruncFOp::create(b, loc, eltx2, v);
  return LLVM::BitcastOp::create(b, loc, i32, narrow);
}

std::pair<Value, Value> KernelEmitter::unpack(Value packed) {
  auto eltx2 = VectorType::get({2}, elt);
  Value v = LLVM::BitcastOp::create(b, loc, eltx2, packed);
  Value lo = LLVM::ExtractElementOp::create(b, loc, v, i32c(0));
  Value hi = LLVM::ExtractElementOp::create(b, loc, v, i32c(1));
  return {arith::ExtFOp::create(b, loc, f32, lo),
          arith::ExtFOp::create(b, loc, f32, hi)};
}

Value KernelEmitter::scalePacked(Value packed, Value factor) {
  Value out = LLVM::PoisonOp::create(b, loc, packed.getType());
  for (int j = 0; j < 4; ++j) {
    auto [lo, hi] =
        unpack(LLVM::ExtractElementOp::create(b, loc, packed, i32c(j)));
    out = LLVM::InsertElementOp::create(
        b, loc, out, pack(fmul(lo, factor), fmul(hi, factor)), i32c(j));
  }
  return out;
}

Value KernelEmitter::scalePair(Value packed, Value lo, Value hi) {
  auto [x, y] = unpack(packed);
  return pack(fmul(x, lo), fmul(y, hi));
}

Value KernelEmitter::f32x2(Value lo, Value hi) {
  Value v = LLVM::PoisonOp::create(b, loc, VectorType::get({2}, f32));
  v = LLVM::InsertElementOp::create(b, loc, v, lo, i32c(0));
  return LLVM::InsertElementOp::create(b, loc, v, hi, i32c(1));
}

/// A unary f32 NVVM intrinsic, called by name: convert-gpu-to-nvvm would
/// turn math.exp2 / math.log2 into libdevice calls.
static Value unaryIntrinsic(OpBuilder &b, Location loc, StringRef name,
                            Value x) {
  return LLVM::CallIntrinsicOp::create(b, loc, x.getType(),
                                       b.getStringAttr(name), ValueRange{x})
      .getResult(0);
}

Value KernelEmitter::exp2(Value x) {
  return unaryIntrinsic(b, loc, "llvm.nvvm.ex2.approx.ftz.f", x);
}

Value KernelEmitter::log2(Value x) {
  return unaryIntrinsic(b, loc, "llvm.nvvm.lg2.approx.ftz.f", x);
}

Value KernelEmitter::reciprocal(Value x) {
  return unaryIntrinsic(b, loc, "llvm.nvvm.rcp.approx.ftz.f", x);
}

Value KernelEmitter::warpInclusiveScan(Value x, Value lane) {
  for (int offset = 1; offset < 32; offset *= 2) {
    auto shuffle = gpu::ShuffleOp::create(b, loc, x, i32c(offset), i32c(32),
                                          gpu::ShuffleMode::UP);
    Value take = ule(i64c(offset), lane);
    x = select(take, fadd(x, shuffle.getShuffleResult()), x);
  }
  return x;
}

SmallVector<Value>
KernelEmitter::ifElse(Value cond,
                      const std::function<SmallVector<Value>()> &then,
                      ValueRange elseValues) {
  auto ifOp = scf::IfOp::create(b, loc, elseValues.getTypes(), cond,
                                /*withElseRegion=*/true);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&ifOp.getThenRegion().front());
    scf::YieldOp::create(b, loc, then());
    b.setInsertionPointToStart(&ifOp.getElseRegion().front());
    scf::YieldOp::create(b, loc, elseValues);
  }
  return SmallVector<Value>(ifOp.getResults());
}

void KernelEmitter::ifThen(Value cond, const std::function<void()> &then) {
  auto ifOp = scf::IfOp::create(b, loc, TypeRange{}, cond,
                                /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&ifOp.getThenRegion().front());
  then();
}

void KernelEmitter::ifThenElse(Value cond, const std::function<void()> &then,
                               const std::function<void()> &otherwise) {
  auto ifOp = scf::IfOp::create(b, loc, TypeRange{}, cond,
                                /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&ifOp.getThenRegion().front());
  then();
  b.setInsertionPointToStart(&ifOp.getElseRegion().front());
  otherwise();
}

Value KernelEmitter::shuffleUp(Value x, int offset) {
  return gpu::ShuffleOp::create(b, loc, x, i32c(offset), i32c(32),
                                gpu::ShuffleMode::UP)
      .getShuffleResult();
}

Value KernelEmitter::warpSum(Value x) {
  for (int offset = 16; offset > 0; offset /= 2)
    x = fadd(x, gpu::ShuffleOp::create(b, loc, x, i32c(offset), i32c(32),
                                       gpu::ShuffleMode::XOR)
                    .getShuffleResult());
  return x;
}

Value KernelEmitter::shuffleIdx(Value x, int srcLane) {
  return gpu::ShuffleOp::create(b, loc, x, i32c(srcLane), i32c(32),
                                gpu::ShuffleMode::IDX)
      .getShuffleResult();
}

Value KernelEmitter::fgt(Value x, Value y) {
  return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, y);
}

static constexpr float kLog2e = 1.4426950408889634f;

Value KernelEmitter::silu(Value x) {
  Value expNeg = exp2(fmul(x, f32c(-kLog2e)));
  return fmul(x, reciprocal(fadd(f32c(1.0f), expNeg)));
}

Value KernelEmitter::softplus(Value x) {
  Value soft = fmul(log2(fadd(f32c(1.0f), exp2(fmul(x, f32c(kLog2e))))),
                    f32c(1.0f / kLog2e));
  return select(fgt(x, f32c(20.0f)), x, soft);
}

/// The in-register type of `count` elements of `type`.
static Type vectorOf(Type type, int64_t count) {
  return count == 1 ? type : VectorType::get({count}, type);
}

SmallVector<Value> KernelEmitter::loadF32s(Type type, Value ptr, Value index,
                                           int64_t count, int64_t vectorElems) {
  assert(count % vectorElems == 0 && "a run of whole vectors");
  unsigned bytes = type.getIntOrFloatBitWidth() / 8;
  SmallVector<Value> out;
  for (int64_t i = 0; i < count; i += vectorElems) {
    Value v = load(vectorOf(type, vectorElems),
                   gep(ptr, type, add(index, i64c(i))), vectorElems * bytes);
    for (int64_t j = 0; j < vectorElems; ++j) {
      Value x = vectorElems == 1
                    ? v
                    : LLVM::ExtractElementOp::create(b, loc, v, i32c(j));
      out.push_back(type == f32 ? x : arith::ExtFOp::create(b, loc, f32, x));
    }
  }
  return out;
}

void KernelEmitter::storeF32s(ArrayRef<Value> values, Type type, Value ptr,
                              Value index, int64_t vectorElems) {
  assert(values.size() % vectorElems == 0 && "a run of whole vectors");
  unsigned bytes = type.getIntOrFloatBitWidth() / 8;
  Type vectorType = vectorOf(type, vectorElems);
  for (int64_t i = 0; i < int64_t(values.size()); i += vectorElems) {
    Value v =
        vectorElems == 1 ? Value() : LLVM::PoisonOp::create(b, loc, vectorType);
    for (int64_t j = 0; j < vectorElems; ++j) {
      Value x = values[i + j];
      if (type != f32)
        x = arith::TruncFOp::create(b, loc, type, x);
      v = vectorElems == 1
              ? x
              : LLVM::InsertElementOp::create(b, loc, v, x, i32c(j));
    }
    store(v, gep(ptr, type, add(index, i64c(i))), vectorElems * bytes);
  }
}
