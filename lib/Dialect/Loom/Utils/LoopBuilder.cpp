//===- LoopBuilder.cpp - Scalar loop nests on buffers ---------------------===//

#include "loom/Dialect/Loom/Utils/LoopBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::loom;

//===----------------------------------------------------------------------===//
// Constants and index arithmetic
//===----------------------------------------------------------------------===//

Value LoopBuilder::index(int64_t value) {
  return arith::ConstantIndexOp::create(b, value);
}
Value LoopBuilder::f32(double value) {
  return arith::ConstantOp::create(b, b.getF32FloatAttr(value));
}
Value LoopBuilder::boolean(bool value) {
  return arith::ConstantOp::create(b, b.getBoolAttr(value));
}
Value LoopBuilder::addi(Value a, Value c) { return arith::AddIOp::create(b, a, c); }
Value LoopBuilder::subi(Value a, Value c) { return arith::SubIOp::create(b, a, c); }
Value LoopBuilder::muli(Value a, Value c) { return arith::MulIOp::create(b, a, c); }
Value LoopBuilder::divui(Value a, Value c) { return arith::DivUIOp::create(b, a, c); }
Value LoopBuilder::remui(Value a, Value c) { return arith::RemUIOp::create(b, a, c); }
Value LoopBuilder::cmpi(int predicate, Value a, Value c) {
  return arith::CmpIOp::create(b, static_cast<arith::CmpIPredicate>(predicate),
                               a, c);
}
Value LoopBuilder::eqi(Value a, Value c) {
  return cmpi(static_cast<int>(arith::CmpIPredicate::eq), a, c);
}
Value LoopBuilder::lti(Value a, Value c) {
  return cmpi(static_cast<int>(arith::CmpIPredicate::slt), a, c);
}
Value LoopBuilder::lei(Value a, Value c) {
  return cmpi(static_cast<int>(arith::CmpIPredicate::sle), a, c);
}
Value LoopBuilder::toIndex(Value integer) {
  if (integer.getType().isIndex())
    return integer;
  return arith::IndexCastOp::create(b, b.getIndexType(), integer);
}
Value LoopBuilder::fromIndex(Value idx, Type integerType) {
  return arith::IndexCastOp::create(b, integerType, idx);
}
Value LoopBuilder::andi(Value a, Value c) { return arith::AndIOp::create(b, a, c); }
Value LoopBuilder::ori(Value a, Value c) { return arith::OrIOp::create(b, a, c); }
Value LoopBuilder::noti(Value a) {
  return arith::XOrIOp::create(b, a, boolean(true));
}

//===----------------------------------------------------------------------===//
// f32 arithmetic
//===----------------------------------------------------------------------===//

Value LoopBuilder::add(Value a, Value c) { return arith::AddFOp::create(b, a, c); }
Value LoopBuilder::sub(Value a, Value c) { return arith::SubFOp::create(b, a, c); }
Value LoopBuilder::mul(Value a, Value c) { return arith::MulFOp::create(b, a, c); }
Value LoopBuilder::div(Value a, Value c) { return arith::DivFOp::create(b, a, c); }
Value LoopBuilder::neg(Value a) { return arith::NegFOp::create(b, a); }
Value LoopBuilder::exp(Value a) { return math::ExpOp::create(b, a); }
Value LoopBuilder::log(Value a) { return math::LogOp::create(b, a); }
Value LoopBuilder::log1p(Value a) { return math::Log1pOp::create(b, a); }
Value LoopBuilder::sqrt(Value a) { return math::SqrtOp::create(b, a); }
Value LoopBuilder::maximum(Value a, Value c) {
  return arith::MaximumFOp::create(b, a, c);
}
Value LoopBuilder::cmpf(int predicate, Value a, Value c) {
  return arith::CmpFOp::create(b, static_cast<arith::CmpFPredicate>(predicate),
                               a, c);
}
Value LoopBuilder::gtf(Value a, Value c) {
  return cmpf(static_cast<int>(arith::CmpFPredicate::OGT), a, c);
}
Value LoopBuilder::eqf(Value a, Value c) {
  return cmpf(static_cast<int>(arith::CmpFPredicate::OEQ), a, c);
}
Value LoopBuilder::isNaN(Value a) {
  return cmpf(static_cast<int>(arith::CmpFPredicate::UNO), a, a);
}
Value LoopBuilder::select(Value cond, Value a, Value c) {
  return arith::SelectOp::create(b, cond, a, c);
}
Value LoopBuilder::sigmoid(Value a) {
  return div(f32(1.0), add(f32(1.0), exp(neg(a))));
}
Value LoopBuilder::silu(Value a) { return mul(a, sigmoid(a)); }
Value LoopBuilder::softplus(Value a) {
  return select(gtf(a, f32(20.0)), a, log1p(exp(a)));
}
Value LoopBuilder::toF32(Value value) {
  auto type = cast<FloatType>(value.getType());
  if (type.isF32())
    return value;
  if (type.getWidth() < 32)
    return arith::ExtFOp::create(b, b.getF32Type(), value);
  return arith::TruncFOp::create(b, b.getF32Type(), value);
}

Value LoopBuilder::sitofp(Value integer) {
  return arith::SIToFPOp::create(b, b.getF32Type(), integer);
}

//===----------------------------------------------------------------------===//
// Buffers
//===----------------------------------------------------------------------===//

Value LoopBuilder::read(Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<int64_t> strides(type.getRank(), ShapedType::kDynamic);
  auto layout =
      StridedLayoutAttr::get(b.getContext(), ShapedType::kDynamic, strides);
  auto bufferType =
      MemRefType::get(type.getShape(), type.getElementType(), layout);
  return bufferization::ToBufferOp::create(b, bufferType, tensor,
                                           /*read_only=*/true);
}

Value LoopBuilder::allocResult(RankedTensorType type, ValueRange dynamicSizes) {
  auto bufferType = MemRefType::get(type.getShape(), type.getElementType());
  return memref::AllocOp::create(b, bufferType, dynamicSizes);
}

Value LoopBuilder::allocResultLike(Type tensorType, ArrayRef<Value> sizes) {
  auto type = cast<RankedTensorType>(tensorType);
  SmallVector<Value> dynamic;
  for (auto [i, size] : llvm::enumerate(sizes))
    if (type.isDynamicDim(i))
      dynamic.push_back(size);
  return allocResult(type, dynamic);
}

Value LoopBuilder::toTensor(Value buffer, Type tensorType) {
  return bufferization::ToTensorOp::create(b, tensorType, buffer,
                                           /*restrict=*/b.getUnitAttr(),
                                           /*writable=*/b.getUnitAttr());
}

Value LoopBuilder::allocScratch(ArrayRef<OpFoldResult> sizes,
                                Type elementType) {
  SmallVector<int64_t> shape;
  SmallVector<Value> dynamic;
  for (OpFoldResult size : sizes) {
    if (auto attr = dyn_cast<Attribute>(size)) {
      shape.push_back(cast<IntegerAttr>(attr).getInt());
    } else {
      shape.push_back(ShapedType::kDynamic);
      dynamic.push_back(cast<Value>(size));
    }
  }
  return memref::AllocOp::create(b, MemRefType::get(shape, elementType),
                                 dynamic);
}

Value LoopBuilder::allocScratch(ArrayRef<int64_t> sizes, Type elementType) {
  return memref::AllocOp::create(b, MemRefType::get(sizes, elementType));
}

Value LoopBuilder::dim(Value shaped, int64_t i) {
  auto type = cast<ShapedType>(shaped.getType());
  if (!type.isDynamicDim(i))
    return index(type.getDimSize(i));
  if (isa<RankedTensorType>(type))
    return tensor::DimOp::create(b, shaped, i);
  return memref::DimOp::create(b, shaped, i);
}

Value LoopBuilder::loadRaw(Value shaped, ValueRange indices) {
  if (isa<RankedTensorType>(shaped.getType()))
    return tensor::ExtractOp::create(b, shaped, indices);
  return memref::LoadOp::create(b, shaped, indices);
}

Value LoopBuilder::load(Value shaped, ValueRange indices) {
  Value value = loadRaw(shaped, indices);
  auto type = dyn_cast<FloatType>(value.getType());
  if (!type || type.isF32())
    return value;
  // Narrow types widen exactly; f64 (router logits) rounds to f32.
  if (type.getWidth() < 32)
    return arith::ExtFOp::create(b, b.getF32Type(), value);
  return arith::TruncFOp::create(b, b.getF32Type(), value);
}

void LoopBuilder::store(Value value, Value buffer, ValueRange indices) {
  Type elementType = cast<MemRefType>(buffer.getType()).getElementType();
  if (value.getType() != elementType) {
    if (isa<FloatType>(elementType))
      value = arith::TruncFOp::create(b, elementType, value);
    else if (value.getType().isIndex())
      value = fromIndex(value, elementType);
  }
  memref::StoreOp::create(b, value, buffer, indices);
}

void LoopBuilder::fill(Value buffer, Value value) {
  linalg::FillOp::create(b, value, buffer);
}

void LoopBuilder::copyMatrix(Value from, ValueRange fromPrefix, Value to,
                             ValueRange toPrefix, Value rows, Value cols) {
  loop(rows, [&](Value i) {
    loop(cols, [&](Value j) {
      SmallVector<Value> src(fromPrefix), dst(toPrefix);
      src.append({i, j});
      dst.append({i, j});
      store(load(from, src), to, dst);
    });
  });
}

//===----------------------------------------------------------------------===//
// Control flow
//===----------------------------------------------------------------------===//

void LoopBuilder::loop(Value lower, Value upper,
                       function_ref<void(Value)> body) {
  scf::ForOp::create(b, lower, upper, index(1), ValueRange{},
                     [&](OpBuilder &nested, Location loc, Value iv,
                         ValueRange) {
                       OpBuilder::InsertionGuard guard(b);
                       b.setInsertionPoint(nested.getInsertionBlock(),
                                           nested.getInsertionPoint());
                       body(iv);
                       scf::YieldOp::create(b);
                     });
}

SmallVector<Value>
LoopBuilder::fold(Value lower, Value upper, ValueRange inits,
                  function_ref<SmallVector<Value>(Value, ValueRange)> body) {
  auto forOp = scf::ForOp::create(
      b, lower, upper, index(1), inits,
      [&](OpBuilder &nested, Location loc, Value iv, ValueRange args) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(nested.getInsertionBlock(),
                            nested.getInsertionPoint());
        scf::YieldOp::create(b, body(iv, args));
      });
  return SmallVector<Value>(forOp.getResults());
}

Value LoopBuilder::sum(Value lower, Value upper,
                       function_ref<Value(Value)> term) {
  return fold(lower, upper, {f32(0.0)},
              [&](Value iv, ValueRange acc) -> SmallVector<Value> {
                return {add(acc[0], term(iv))};
              })[0];
}

void LoopBuilder::ifThen(Value cond, function_ref<void()> then) {
  scf::IfOp::create(b, cond, [&](OpBuilder &nested, Location loc) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(nested.getInsertionBlock(), nested.getInsertionPoint());
    then();
    scf::YieldOp::create(b);
  });
}

Value LoopBuilder::ifElse(Value cond, function_ref<Value()> then,
                          function_ref<Value()> otherwise) {
  auto branch = [&](function_ref<Value()> fn) {
    return [&, fn](OpBuilder &nested, Location loc) {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPoint(nested.getInsertionBlock(),
                          nested.getInsertionPoint());
      scf::YieldOp::create(b, fn());
    };
  };
  auto ifOp = scf::IfOp::create(b, cond, branch(then), branch(otherwise));
  return ifOp.getResult(0);
}

void LoopBuilder::check(Value cond, const Twine &message) {
  cf::AssertOp::create(b, cond, b.getStringAttr(message));
}

//===----------------------------------------------------------------------===//
// RuntimeShapes
//===----------------------------------------------------------------------===//

void RuntimeShapes::bind(StringRef name, Value buffer,
                         ArrayRef<StringRef> symbols) {
  auto type = cast<ShapedType>(buffer.getType());
  for (auto [i, symbol] : llvm::enumerate(symbols)) {
    if (symbol.empty())
      continue;
    Value size = lb.dim(buffer, i);
    bool isStatic = !type.isDynamicDim(i);
    auto it = sizes.find(symbol);
    if (it == sizes.end()) {
      sizes[symbol] = {size, isStatic};
      continue;
    }
    // Static against static was settled by the verifier.
    if (isStatic && it->second.second)
      continue;
    lb.check(lb.eqi(it->second.first, size),
             opName + ": dimension " + Twine(i) + " (" + symbol + ") of '" +
                 name + "' does not match the other operands");
    if (isStatic)
      it->second = {size, true};
  }
}

void RuntimeShapes::bindValue(StringRef name, StringRef symbol, Value size) {
  auto it = sizes.find(symbol);
  if (it == sizes.end()) {
    sizes[symbol] = {size, false};
    return;
  }
  lb.check(lb.eqi(it->second.first, size),
           opName + ": " + name + " does not match " + symbol);
}

Value RuntimeShapes::get(StringRef symbol) const {
  auto it = sizes.find(symbol);
  return it == sizes.end() ? Value() : it->second.first;
}

void mlir::loom::bindLinearAttentionShapes(RuntimeShapes &shapes, Value q,
                                           Value k, Value v, Value decay,
                                           bool perKeyDecay, Value beta) {
  shapes.bind("q", q, {"B", "T", "Hk", "K"});
  shapes.bind("k", k, {"B", "T", "Hk", "K"});
  shapes.bind("v", v, {"B", "T", "H", "V"});
  if (decay)
    shapes.bind("decay", decay,
                perKeyDecay ? ArrayRef<StringRef>{"B", "T", "H", "K"}
                            : ArrayRef<StringRef>{"B", "T", "H"});
  if (beta)
    shapes.bind("beta", beta, {"B", "T", "H"});
}

void mlir::loom::bindSsdShapes(RuntimeShapes &shapes, Value x, Value dt,
                               Value bIn, Value cIn, Value z) {
  shapes.bind("x", x, {"B", "T", "H", "P"});
  shapes.bind("dt", dt, {"B", "T", "H"});
  shapes.bind("B", bIn, {"B", "T", "G", "N"});
  shapes.bind("C", cIn, {"B", "T", "G", "N"});
  if (z)
    shapes.bind("z", z, {"B", "T", "H", "P"});
}

void mlir::loom::bindSelectiveScanShapes(RuntimeShapes &shapes, Value u,
                                         Value delta, Value bIn, Value cIn,
                                         Value z, Value initial) {
  shapes.bind("u", u, {"B", "Dc", "L"});
  shapes.bind("delta", delta, {"B", "Dc", "L"});
  shapes.bind("B", bIn, {"B", "G", "N", "L"});
  shapes.bind("C", cIn, {"B", "G", "N", "L"});
  if (z)
    shapes.bind("z", z, {"B", "Dc", "L"});
  if (initial)
    shapes.bind("initial_state", initial, {"B", "Dc", "N"});
}
