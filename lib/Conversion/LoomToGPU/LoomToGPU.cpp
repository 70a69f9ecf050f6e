//===- LoomToGPU.cpp - Host launch plans and kernels for loom ops ---------===//

#include "LoomToGPU.h"
#include "loom/Conversion/Passes.h"
#include "loom/Dialect/Loom/IR/LoomOps.h"
#include "loom/Dialect/Loom/Utils/LoopBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/ADT/TypeSwitch.h"

#include <functional>

namespace mlir::loom {
#define GEN_PASS_DEF_CONVERTLOOMTOGPU
#include "loom/Conversion/Passes.h.inc"
} // namespace mlir::loom

using namespace mlir;
using namespace mlir::loom;

namespace {

/// Builds the host side of one function: dims, checks, pointers, launches.
class HostPlanBuilder {
public:
  HostPlanBuilder(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  /// The plan's arithmetic and asserts are the loop lowering's, built at
  /// the current insertion point (which moves into scf.if regions).
  LoopBuilder loops() { return LoopBuilder(b, loc); }

  Value dim(Value memref, int64_t d) { return loops().dim(memref, d); }

  /// Asserts `x == y` unless both are the same constant.
  void checkEqual(Value x, Value y, const Twine &message) {
    auto cx = getConstantIntValue(x), cy = getConstantIntValue(y);
    if (cx && cy && *cx == *cy)
      return;
    LoopBuilder lb = loops();
    lb.check(lb.eqi(x, y), message);
  }

  /// States the extents of result buffer `out` (dynamic ones as asserts).
  void resultShape(Value out, ArrayRef<Value> extents, unsigned index) {
    auto type = cast<MemRefType>(out.getType());
    for (auto [d, extent] : llvm::enumerate(extents))
      if (type.isDynamicDim(d))
        checkEqual(memref::DimOp::create(b, loc, out, d), extent,
                   "result " + Twine(index) + " dim " + Twine(d));
  }

  /// Asserts `x >= y`, in the equality form a manifest check takes.
  void checkAtLeast(Value x, Value y, const Twine &message) {
    auto cx = getConstantIntValue(x), cy = getConstantIntValue(y);
    if (cx && cy && *cx >= *cy)
      return;
    LoopBuilder lb = loops();
    Value ge = lb.cmpi(int(arith::CmpIPredicate::sge), x, y);
    Value asInt = arith::ExtUIOp::create(b, loc, b.getI64Type(), ge);
    Value one = arith::ConstantIntOp::create(b, loc, b.getI64Type(), 1);
    lb.check(lb.eqi(asInt, one), message);
  }

  Value pointer(Value memref) {
    Value address =
        memref::ExtractAlignedPointerAsIndexOp::create(b, loc, memref);
    Value asInt = arith::IndexCastOp::create(b, loc, b.getI64Type(), address);
    return LLVM::IntToPtrOp::create(
        b, loc, LLVM::LLVMPointerType::get(b.getContext(), 1), asInt);
  }

  Value nullPointer() {
    return LLVM::ZeroOp::create(
        b, loc, LLVM::LLVMPointerType::get(b.getContext(), 1));
  }

  Value toI64(Value index) {
    return arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
  }

  Value index(int64_t v) { return loops().index(v); }

  OpBuilder &b;
  Location loc;
};

/// What the plan of one op needs from the plan of its function.
struct OpPlanContext {
  ModuleOp module;
  gpu::GPUModuleOp kernels;
  func::FuncOp func;
  OpBuilder &b;
  HostPlanBuilder &host;
  /// The plan buffer of a function argument.
  std::function<Value(Value)> argBuffer;
  /// The plan buffer of a returned value and its result index, or
  /// {null, -1} when the value is not returned.
  std::function<std::pair<Value, int>(Value)> resultBuffer;
  unsigned kernelIndex = 0;
  /// The function's workspace (one per call, `memref<?xi8>`), once an op
  /// has taken it.
  Value workspace;

  /// Allocates the function's workspace of `bytes` (one per call: the op
  /// that takes it is the only one that may).
  Value takeWorkspace(Location loc, Value bytes) {
    assert(!workspace && "the call's workspace is taken");
    workspace = memref::AllocOp::create(
        b, loc,
        MemRefType::get({ShapedType::kDynamic}, b.getI8Type()),
        ValueRange{bytes});
    return workspace;
  }

  /// `<function>_<op>_<index>`, unique in the function.
  std::string kernelName(StringRef opName) {
    return (func.getName() + "_" + opName + "_" + Twine(kernelIndex++)).str();
  }
};

struct ConvertLoomToGPUPass
    : public mlir::loom::impl::ConvertLoomToGPUBase<ConvertLoomToGPUPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> functions;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal())
        functions.push_back(func);
    if (valueTile != 0 && valueTile != 16 && valueTile != 32 &&
        valueTile != 64) {
      module.emitError(
          "convert-loom-to-gpu: value-tile must be 0 (chosen at launch), 16, "
          "32 or 64");
      return signalPassFailure();
    }
    if (columnGroups != 1 && columnGroups != 2) {
      module.emitError("convert-loom-to-gpu: column-groups must be 1 or 2");
      return signalPassFailure();
    }
    for (func::FuncOp func : functions)
      if (failed(convertFunction(module, func)))
        return signalPassFailure();
    if (earlyLaunch)
      markEarlyLaunches(module);
  }

  /// A call's kernels run in order on one stream, and most of a kernel's
  /// launch (and its CTAs' placement during the previous kernel's last
  /// wave) can overlap that kernel: each kernel lets the next one launch as
  /// soon as its own CTAs have all started, and waits for the previous
  /// one (its completion and memory) before it does anything else.
  void markEarlyLaunches(ModuleOp module) {
    auto kernels = module.lookupSymbol<gpu::GPUModuleOp>("loom_kernels");
    if (!kernels)
      return;
    for (auto kernel : kernels.getOps<gpu::GPUFuncOp>()) {
      OpBuilder b = OpBuilder::atBlockBegin(&kernel.getBody().front());
      NVVM::GriddepcontrolOp::create(
          b, kernel.getLoc(), NVVM::GridDepActionKind::launch_dependents);
      NVVM::GriddepcontrolOp::create(b, kernel.getLoc(),
                                     NVVM::GridDepActionKind::wait);
    }
    // Only launches of these kernels: another kernel does not wait.
    module.walk([&](gpu::LaunchFuncOp launch) {
      if (launch.getKernelModuleName() == kernels.getNameAttr())
        launch->setAttr("loom.early_launch",
                        UnitAttr::get(module.getContext()));
    });
  }

  /// `loom_multiprocessor_count() -> index`: the launching device's SM
  /// count, which the runtime provides to launch plans.
  func::FuncOp getMultiprocessorCount(ModuleOp module) {
    StringRef name = "loom_multiprocessor_count";
    if (auto existing = module.lookupSymbol<func::FuncOp>(name))
      return existing;
    OpBuilder b(module.getBodyRegion());
    b.setInsertionPointToStart(module.getBody());
    auto decl = func::FuncOp::create(
        b, module.getLoc(), name,
        b.getFunctionType({}, {b.getIndexType()}));
    decl.setPrivate();
    return decl;
  }

  gpu::GPUModuleOp getKernelModule(ModuleOp module) {
    if (auto existing = module.lookupSymbol<gpu::GPUModuleOp>("loom_kernels"))
      return existing;
    module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                    UnitAttr::get(module.getContext()));
    OpBuilder b(module.getBodyRegion());
    b.setInsertionPointToEnd(module.getBody());
    return gpu::GPUModuleOp::create(b, module.getLoc(), "loom_kernels");
  }

  /// Everything the host plan handles, checked before anything is rewritten.
  LogicalResult checkFunction(func::FuncOp func) {
    Block &body = func.getBody().front();
    for (Operation &op : body.without_terminator()) {
      std::string why;
      if (auto la = dyn_cast<LinearAttentionOp>(op)) {
        if (failed(checkLinearAttention(la, why)))
          return la.emitOpError() << "has no GPU kernel for this form: "
                                  << why;
      } else if (auto ssd = dyn_cast<SSDOp>(op)) {
        if (failed(checkSsd(ssd, why)))
          return ssd.emitOpError() << "has no GPU kernel for this form: "
                                   << why;
      } else if (auto scan = dyn_cast<SelectiveScanOp>(op)) {
        if (failed(checkSelectiveScanKernelConfig(configFor(scan), why)))
          return scan.emitOpError()
                 << "has no GPU kernel for this form: " << why;
      } else if (auto conv = dyn_cast<CausalConv1dOp>(op)) {
        if (failed(checkCausalConv1dKernelConfig(configFor(conv), why)))
          return conv.emitOpError()
                 << "has no GPU kernel for this form: " << why;
      } else {
        return op.emitOpError()
               << "has no GPU lowering yet; on the GPU a function may "
                  "contain only loom.linear_attention, loom.ssd, "
                  "loom.selective_scan and loom.causal_conv1d";
      }
      for (Value operand : op.getOperands())
        if (!isa<BlockArgument>(operand))
          return op.emitOpError()
                 << "on the GPU, operands must be function arguments for now";
      for (Operation *user : op.getUsers())
        if (!isa<func::ReturnOp>(user))
          return op.emitOpError()
                 << "on the GPU, results may only be returned for now";
    }
    auto ret = cast<func::ReturnOp>(body.getTerminator());
    llvm::SmallPtrSet<Value, 8> seen;
    for (Value v : ret.getOperands()) {
      if (isa<BlockArgument>(v))
        return ret.emitOpError()
               << "on the GPU, a function may not return its argument";
      if (!seen.insert(v).second)
        return ret.emitOpError()
               << "on the GPU, each value may be returned only once";
    }
    return success();
  }

  /// The kernel for keys shaped like `keys` and values like `values`
  /// ([B, T, heads, dim] each); with value-tile=0 the narrowest tile is
  /// what the checks see.
  LinearAttentionKernelConfig baseConfig(Value keys, Value values) {
    auto k = cast<RankedTensorType>(keys.getType());
    auto v = cast<RankedTensorType>(values.getType());
    LinearAttentionKernelConfig config;
    config.elementType = v.getElementType();
    config.headDimK = k.getDimSize(3);
    config.headDimV = v.getDimSize(3);
    auto staticDim = [](RankedTensorType t, unsigned d) {
      return t.isDynamicDim(d) ? int64_t(0) : t.getDimSize(d);
    };
    config.heads = staticDim(v, 2);
    config.keyHeads = staticDim(k, 2);
    config.valueTile = std::min<int64_t>(valueTile ? valueTile : 16,
                                         config.headDimV);
    return config;
  }

  static void setVarlen(LinearAttentionKernelConfig &config, Value cuSeqlens) {
    if (!cuSeqlens)
      return;
    config.varlen = true;
    config.offsetType =
        cast<RankedTensorType>(cuSeqlens.getType()).getElementType();
  }

  LinearAttentionKernelConfig configFor(LinearAttentionOp op) {
    LinearAttentionKernelConfig config = baseConfig(op.getQ(), op.getV());
    config.scalarDecay = op.getDecay() && !op.hasPerKeyDecay();
    config.perKeyDecay = op.hasPerKeyDecay();
    config.deltaRule = op.getBeta() != nullptr;
    config.qkL2norm = op.getQkL2norm();
    config.initialState = op.getInitialState() != nullptr;
    setVarlen(config, op.getCuSeqlens());
    config.scale = op.getScaleOrDefault();
    return config;
  }

  LinearAttentionKernelConfig configFor(SSDOp op) {
    LinearAttentionKernelConfig config = baseConfig(op.getC(), op.getX());
    config.scalarDecay = true;
    config.initialState = op.getInitialState() != nullptr;
    setVarlen(config, op.getCuSeqlens());
    config.scale = 1.0f;
    config.ssd = true;
    config.ssdD = op.getD() != nullptr;
    config.ssdZ = op.getZ() != nullptr;
    config.dtBias = op.getDtBias() != nullptr;
    config.dtSoftplus = op.getDtSoftplus();
    return config;
  }

  LogicalResult checkSsd(SSDOp op, std::string &why) {
    auto x = cast<RankedTensorType>(op.getX().getType());
    auto c = cast<RankedTensorType>(op.getC().getType());
    if (x.isDynamicDim(3) || c.isDynamicDim(3)) {
      why = "the head dims P and N must be static";
      return failure();
    }
    if (x.getElementType() != c.getElementType() ||
        x.getElementType() !=
            cast<RankedTensorType>(op.getB().getType()).getElementType()) {
      why = "x, B and C must share one element type";
      return failure();
    }
    if (op.getD() && cast<RankedTensorType>(op.getD().getType()).getRank() != 1) {
      why = "D must be [H]";
      return failure();
    }
    return checkKernel(configFor(op), why);
  }

  LogicalResult checkLinearAttention(LinearAttentionOp op, std::string &why) {
    auto q = cast<RankedTensorType>(op.getQ().getType());
    auto v = cast<RankedTensorType>(op.getV().getType());
    if (q.isDynamicDim(3) || v.isDynamicDim(3)) {
      why = "the head dims K and V must be static";
      return failure();
    }
    if (q.getElementType() != v.getElementType()) {
      why = "q, k and v must share one element type";
      return failure();
    }
    // The value tiles the delta rule takes are those of the loop that
    // reads the inverse pass's T, where the op gets one.
    LinearAttentionKernelConfig config = configFor(op);
    if (takesInversePass(config))
      config.deltaInverse = LinearAttentionKernelConfig::DeltaInverse::Read;
    return checkKernel(config, why);
  }

  /// Whether the delta rule solves its chunks in an inverse pass before
  /// the loop (cu_seqlens solves inline), as long as the function's
  /// workspace is still free.
  bool takesInversePass(const LinearAttentionKernelConfig &config) const {
    return config.deltaRule && separateDeltaInverse && !config.varlen;
  }

  /// Whether the op runs the token-by-token kernel: the chunk kernel takes
  /// its form at no value tile. (A value tile the user asked for that the
  /// chunk kernel refuses is an error, not a reason to fall back.)
  bool runsRecurrent(const LinearAttentionKernelConfig &config) {
    LinearAttentionKernelConfig narrowest = config;
    narrowest.valueTile = std::min<int64_t>(16, config.headDimV);
    std::string ignored;
    return failed(checkChunkKernel(narrowest, ignored));
  }

  LogicalResult checkKernel(const LinearAttentionKernelConfig &config,
                            std::string &why) {
    if (!runsRecurrent(config))
      return checkChunkKernel(config, why);
    if (succeeded(checkRecurrentKernelConfig(config, why)))
      return success();
    std::string chunkWhy;
    (void)checkChunkKernel(config, chunkWhy);
    why = chunkWhy + "; nor by token: " + why;
    return failure();
  }

  /// The chunk kernel's checks, and whether the tile fits the target's
  /// shared memory.
  LogicalResult checkChunkKernel(const LinearAttentionKernelConfig &config,
                                 std::string &why) {
    if (failed(checkLinearAttentionKernelConfig(config, why)))
      return failure();
    int64_t bytes = linearAttentionSharedBytes(config);
    if (bytes > maxSharedBytes) {
      why = "its kernel needs " + std::to_string(bytes) +
            " bytes of shared memory per CTA at " +
            std::to_string(config.valueTile) + " value columns, more than " +
            "the target's " + std::to_string(maxSharedBytes);
      return failure();
    }
    return success();
  }

  LogicalResult convertFunction(ModuleOp module, func::FuncOp func) {
    if (func.getBody().getBlocks().size() != 1)
      return func.emitOpError() << "on the GPU, a function must be one block";
    if (func.getBody().front().without_terminator().empty())
      return success();
    if (failed(checkFunction(func)))
      return failure();

    gpu::GPUModuleOp kernels = getKernelModule(module);
    Block &body = func.getBody().front();
    auto ret = cast<func::ReturnOp>(body.getTerminator());

    // The plan's signature: arguments, then one buffer per result.
    SmallVector<Type> bufferTypes;
    auto toMemRef = [](Type t) {
      auto tensor = cast<RankedTensorType>(t);
      return MemRefType::get(tensor.getShape(), tensor.getElementType());
    };
    for (Type t : func.getArgumentTypes())
      bufferTypes.push_back(toMemRef(t));
    for (Type t : func.getResultTypes())
      bufferTypes.push_back(toMemRef(t));

    OpBuilder b(func);
    auto plan = func::FuncOp::create(b, func.getLoc(), func.getName(),
                                     b.getFunctionType(bufferTypes, {}));
    plan.setVisibility(func.getVisibility());
    plan->setAttr("loom.result_count",
                  b.getI64IntegerAttr(func.getNumResults()));
    Block *entry = plan.addEntryBlock();
    b.setInsertionPointToStart(entry);
    HostPlanBuilder host(b, func.getLoc());

    unsigned numArgs = func.getNumArguments();
    auto argBuffer = [&](Value tensorArg) {
      return entry->getArgument(cast<BlockArgument>(tensorArg).getArgNumber());
    };
    auto resultBuffer = [&](Value result) -> std::pair<Value, int> {
      for (auto [i, v] : llvm::enumerate(ret.getOperands()))
        if (v == result)
          return {entry->getArgument(numArgs + i), int(i)};
      return {Value(), -1};
    };

    OpPlanContext context{module, kernels,   func,        b,
                          host,   argBuffer, resultBuffer};
    for (Operation &op : body.without_terminator()) {
      LogicalResult planned =
          llvm::TypeSwitch<Operation *, LogicalResult>(&op)
              .Case([&](SelectiveScanOp scan) {
                return planSelectiveScan(scan, context);
              })
              .Case([&](CausalConv1dOp conv) {
                return planCausalConv1d(conv, context);
              })
              .Default([&](Operation *) {
                return planLinearAttention(op, context);
              });
      if (failed(planned))
        return failure();
    }
    if (context.workspace)
      memref::DeallocOp::create(b, func.getLoc(), context.workspace);
    func::ReturnOp::create(b, func.getLoc());
    plan->setLoc(func.getLoc());
    func.erase();
    return success();
  }

  /// The plan of a loom.linear_attention or loom.ssd: the fused chunked
  /// kernel, one variant per value tile.
  LogicalResult planLinearAttention(Operation &op, OpPlanContext &context) {
    OpBuilder &b = context.b;
    HostPlanBuilder &host = context.host;
    ModuleOp module = context.module;
    gpu::GPUModuleOp kernels = context.kernels;
    auto &argBuffer = context.argBuffer;
    auto &resultBuffer = context.resultBuffer;
    // The operands of the fused kernel, in the roles of linear attention.
    Value q, k, v, g, beta, s0, cu, o, s;
    SmallVector<Value> ssdExtras; // A, [D], [z], [dt_bias]
    int oIndex = -1, sIndex = -1;
    LinearAttentionKernelConfig config;
    Location loc = op.getLoc();
    std::string opName;
    if (auto la = dyn_cast<LinearAttentionOp>(op)) {
      config = configFor(la);
      opName = "linear_attention";
      q = argBuffer(la.getQ());
      k = argBuffer(la.getK());
      v = argBuffer(la.getV());
      if (la.getDecay())
        g = argBuffer(la.getDecay());
      if (la.getBeta())
        beta = argBuffer(la.getBeta());
      if (la.getInitialState())
        s0 = argBuffer(la.getInitialState());
      if (la.getCuSeqlens())
        cu = argBuffer(la.getCuSeqlens());
      std::tie(o, oIndex) = resultBuffer(la.getOutput());
      std::tie(s, sIndex) = resultBuffer(la.getFinalState());
    } else {
      auto ssd = cast<SSDOp>(op);
      config = configFor(ssd);
      opName = "ssd";
      q = argBuffer(ssd.getC());
      k = argBuffer(ssd.getB());
      v = argBuffer(ssd.getX());
      g = argBuffer(ssd.getDt());
      ssdExtras.push_back(argBuffer(ssd.getA()));
      for (Value extra : {ssd.getD(), ssd.getZ(), ssd.getDtBias()})
        if (extra)
          ssdExtras.push_back(argBuffer(extra));
      if (ssd.getInitialState())
        s0 = argBuffer(ssd.getInitialState());
      if (ssd.getCuSeqlens())
        cu = argBuffer(ssd.getCuSeqlens());
      std::tie(o, oIndex) = resultBuffer(ssd.getY());
      std::tie(s, sIndex) = resultBuffer(ssd.getFinalState());
    }
    if (!o)
      return op.emitOpError()
             << "on the GPU, the output must be returned";

    std::string name = context.kernelName(opName);

    // Run-time halves of the verifier's shape relations, stated once for
    // every lowering that checks them (bindLinearAttentionShapes).
    LoopBuilder lb(b, loc);
    RuntimeShapes shapes(lb, "loom." + opName);
    if (config.ssd)
      bindSsdShapes(shapes, v, g, k, q,
                    config.ssdZ ? ssdExtras[config.ssdD ? 2 : 1] : Value());
    else
      bindLinearAttentionShapes(shapes, q, k, v, g, config.perKeyDecay,
                                beta);
    Value B = shapes.get("B"), T = shapes.get("T"), H = host.dim(v, 2),
          Hk = host.dim(q, 2);
    // One state per sequence: per batch row, or per cu_seqlens segment
    // (whose offsets the kernel checks: they live on the GPU).
    Value N = B;
    if (cu) {
      std::string prefix = "loom." + opName + ": ";
      host.checkEqual(B, host.index(1),
                      prefix + "with cu_seqlens the batch size must be 1");
      Value offsets = host.dim(cu, 0);
      host.checkAtLeast(offsets, host.index(1),
                        prefix + "cu_seqlens must hold at least one offset");
      N = arith::SubIOp::create(b, loc, offsets, host.index(1));
      Type offsetType =
          cast<MemRefType>(cu.getType()).getElementType();
      gpu::GPUFuncOp check = getSequenceCheckKernel(
          b, loc, kernels, offsetType, "loom." + opName);
      int64_t threads = sequenceCheckThreads();
      Value blocks = arith::CeilDivUIOp::create(b, loc, offsets,
                                                host.index(threads));
      gpu::LaunchFuncOp::create(
          b, loc, check, {blocks, host.index(1), host.index(1)},
          {host.index(threads), host.index(1), host.index(1)},
          /*dynamicSharedMemorySize=*/Value(),
          ValueRange{host.pointer(cu), host.toI64(N), host.toI64(T)});
    }
    if (s0) {
      StringRef sequences = config.ssd ? "Nseq" : "N";
      shapes.bindValue("the leading dimension of 'initial_state'",
                       sequences, N);
      shapes.bindValue("the leading dimension of 'initial_state'",
                       sequences, host.dim(s0, 0));
    }

    Value Kc = host.index(config.headDimK), Vc = host.index(config.headDimV);
    host.resultShape(o, {B, T, H, Vc}, oIndex);
    if (s)
      host.resultShape(s, config.ssd ? SmallVector<Value>{N, H, Vc, Kc}
                                     : SmallVector<Value>{N, H, Kc, Vc},
                       sIndex);

    SmallVector<Value> operands{host.pointer(q), host.pointer(k),
                                host.pointer(v)};
    if (g)
      operands.push_back(host.pointer(g));
    for (Value extra : ssdExtras)
      operands.push_back(host.pointer(extra));
    if (beta)
      operands.push_back(host.pointer(beta));
    if (s0)
      operands.push_back(host.pointer(s0));
    if (cu)
      operands.push_back(host.pointer(cu));
    operands.push_back(host.pointer(o));
    operands.push_back(s ? host.pointer(s) : host.nullPointer());
    operands.append({host.toI64(T), host.toI64(H), host.toI64(Hk)});
    Value NH = arith::MulIOp::create(b, loc, N, H);
    gpu::KernelDim3 block{host.index(linearAttentionThreads(config)),
                          host.index(1), host.index(1)};

    if (runsRecurrent(config)) {
      gpu::GPUFuncOp kernel =
          buildRecurrentKernel(b, loc, kernels, name + "_recurrent", config);
      int64_t columns = recurrentColumnsPerBlock();
      gpu::LaunchFuncOp::create(
          b, loc, kernel,
          {NH, host.index((config.headDimV + columns - 1) / columns),
           host.index(1)},
          {host.index(recurrentThreads()), host.index(1), host.index(1)},
          /*dynamicSharedMemorySize=*/Value(), operands);
      return success();
    }

    // The delta rule's inverse pass: T = (I + L)^-1, the scores P and the
    // cumulated decays G of every chunk computed in parallel first, once
    // per chunk instead of once per value tile, so that the chunk loop
    // holds the V-dependent products only. Its workspace is the call's
    // one (cu_seqlens solves inline).
    LinearAttentionKernelConfig inlineConfig = config;
    bool inversePass = takesInversePass(config) && !context.workspace;
    if (inversePass) {
      config.deltaInverse = LinearAttentionKernelConfig::DeltaInverse::Read;
      config.warpgroupMma = warpgroupMma;
      config.outputWarpgroup = outputWarpgroup && !warpgroupMma;
    }

    // One kernel per value tile; with value-tile=0 the plan picks, at
    // launch, the widest tile that still gives every multiprocessor a
    // CTA (wider tiles recompute Q K^T fewer times; narrower ones fill
    // the GPU when B*H is small).
    auto fittingTiles = [&](const LinearAttentionKernelConfig &c) {
      SmallVector<int64_t> fit;
      auto consider = [&](int64_t tile) {
        LinearAttentionKernelConfig variant = c;
        variant.valueTile = tile;
        // A tile whose output warpgroup's buffers do not fit (64 columns
        // on sm_80) runs as one warpgroup.
        variant.outputWarpgroup = false;
        if (linearAttentionSharedBytes(variant) <= maxSharedBytes)
          fit.push_back(tile);
      };
      if (valueTile != 0)
        consider(std::min<int64_t>(valueTile, c.headDimV));
      else
        for (int64_t tile : {64, 32, 16})
          if (tile <= c.headDimV && c.headDimV % tile == 0 &&
              tile <= maxLinearAttentionValueTile(c))
            consider(tile);
      return fit;
    };
    SmallVector<int64_t> tiles = fittingTiles(config);
    // Reading T's ring beside the state can outgrow a small shared memory
    // (K = 256 on sm_80) where solving in the loop still fits.
    if (inversePass && tiles.empty()) {
      inversePass = false;
      config = inlineConfig;
      tiles = fittingTiles(config);
    }
    if (tiles.empty())
      return op.emitOpError("has no chunk kernel whose shared memory fits "
                            "the target's ")
             << maxSharedBytes << " bytes";
    // A tile the user asked for, checked again where the loop solves
    // inline after all (a second delta op in the function, or the ring
    // did not fit).
    if (valueTile != 0) {
      LinearAttentionKernelConfig asked = config;
      asked.valueTile = tiles.front();
      std::string why;
      if (failed(checkLinearAttentionKernelConfig(asked, why)))
        return op.emitOpError("has no GPU kernel for this form: ") << why;
    }
    // The trailing parameters of a kernel that takes the workspace.
    auto withWorkspace = [&](Value segmentChunks, Value slots,
                             Value workspace) {
      SmallVector<Value> all(operands);
      all.append({host.toI64(segmentChunks), host.toI64(NH),
                  host.toI64(slots), host.pointer(workspace)});
      return all;
    };
    SmallVector<Value> loopOperands(operands);
    if (inversePass) {
      Value numChunks = arith::CeilDivUIOp::create(
          b, loc, T, host.index(linearAttentionChunk()));
      Value bytes = arith::MulIOp::create(
          b, loc, arith::MulIOp::create(b, loc, NH, numChunks),
          host.index(deltaInverseChunkBytes(config)));
      Value workspace = context.takeWorkspace(loc, bytes);
      // A CTA per (sequence, head) and run of chunks: enough CTAs to fill
      // any GPU, each still overlapping one chunk's copies with another's
      // solve. Runs are even (each starts in ring stage 0).
      const int64_t run = 4;
      LinearAttentionKernelConfig writer = config;
      writer.deltaInverse = LinearAttentionKernelConfig::DeltaInverse::Write;
      writer.valueTile = tiles.back(); // it reads no V: any tile will do
      gpu::GPUFuncOp kernel =
          buildLinearAttentionKernel(b, loc, kernels, name + "_inverse", writer);
      Value shared = arith::ConstantIntOp::create(
          b, loc, b.getI32Type(), linearAttentionSharedBytes(writer));
      gpu::LaunchFuncOp::create(
          b, loc, kernel,
          {NH, host.index(1),
           arith::CeilDivUIOp::create(b, loc, numChunks, host.index(run))},
          block, shared,
          withWorkspace(host.index(run), host.index(0), workspace));
      loopOperands = withWorkspace(numChunks, host.index(0), workspace);
    }
    Value enough;
    if (tiles.size() > 1) {
      Value sms = func::CallOp::create(b, loc, getMultiprocessorCount(module),
                                       ValueRange{})
                      .getResult(0);
      // 7/8 of the multiprocessors: 128 CTAs on a 132-SM part is a fill.
      enough = arith::SubIOp::create(
          b, loc, sms,
          arith::DivUIOp::create(b, loc, sms, host.index(8)));
    }
    std::function<void(ArrayRef<int64_t>)> launch =
        [&](ArrayRef<int64_t> choices) {
          LinearAttentionKernelConfig variant = config;
          variant.valueTile = choices.front();
          // Two warpgroups split tiles of 32 columns or more.
          if (inversePass && !warpgroupMma && variant.valueTile >= 32)
            variant.columnGroups = columnGroups;
          if (linearAttentionSharedBytes(variant) > maxSharedBytes)
            variant.outputWarpgroup = false;
          Value tilesPerHead =
              host.index(config.headDimV / variant.valueTile);
          auto emitLaunch = [&] {
            gpu::GPUFuncOp kernel = buildLinearAttentionKernel(
                b, loc, kernels,
                name + "_bv" + std::to_string(variant.valueTile), variant);
            gpu::KernelDim3 grid{NH, tilesPerHead, host.index(1)};
            gpu::KernelDim3 variantBlock{
                host.index(linearAttentionThreads(variant)), host.index(1),
                host.index(1)};
            Value shared = arith::ConstantIntOp::create(
                b, loc, b.getI32Type(), linearAttentionSharedBytes(variant));
            gpu::LaunchFuncOp::create(b, loc, kernel, grid, variantBlock,
                                      shared, loopOperands);
          };
          if (choices.size() == 1)
            return emitLaunch();
          Value ctas = arith::MulIOp::create(b, loc, NH, tilesPerHead);
          Value fills = arith::CmpIOp::create(
              b, loc, arith::CmpIPredicate::uge, ctas, enough);
          auto ifOp = scf::IfOp::create(b, loc, TypeRange{}, fills,
                                        /*withElseRegion=*/true);
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(&ifOp.getThenRegion().front());
          emitLaunch();
          b.setInsertionPointToStart(&ifOp.getElseRegion().front());
          launch(choices.drop_front());
        };
    // Sequence splitting, for additive forms whose widest-tile grid leaves
    // multiprocessors idle (small B * H): segments of at least 8 chunks,
    // enough of them to fill the GPU; each runs as a CTA of its own, in
    // two passes around a combine of their states (see Split).
    if (tiles.size() < 2 || config.deltaRule || cu || context.workspace) {
      launch(tiles);
      return success();
    }
    auto idx = [&](Value v) {
      return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
    };
    int64_t wide = tiles.front();
    Value tilesWide = host.index(config.headDimV / wide);
    Value ctasWide = arith::MulIOp::create(b, loc, NH, tilesWide);
    Value numChunks = arith::CeilDivUIOp::create(
        b, loc, T, host.index(linearAttentionChunk()));
    // Two CTAs of the second pass share a multiprocessor where shared
    // memory allows (its 255 registers a thread allow no more); each CTA
    // also holds 1 KB the system reserves.
    LinearAttentionKernelConfig second = config;
    second.valueTile = wide;
    int64_t perMultiprocessor = std::clamp<int64_t>(
        (maxSharedBytes + 1024) / (linearAttentionSharedBytes(second) + 1024),
        1, 2);
    Value wanted = arith::MinUIOp::create(
        b, loc,
        arith::CeilDivUIOp::create(
            b, loc,
            arith::MulIOp::create(b, loc, enough,
                                  host.index(perMultiprocessor)),
            ctasWide),
        arith::DivUIOp::create(b, loc, numChunks, host.index(8)));
    // An even number of chunks per segment: each starts in ring stage 0.
    Value segmentChunks = arith::MulIOp::create(
        b, loc, host.index(2),
        arith::CeilDivUIOp::create(
            b, loc, numChunks,
            arith::MulIOp::create(
                b, loc, host.index(2),
                arith::MaxUIOp::create(b, loc, wanted, host.index(1)))));
    Value segments = arith::CeilDivUIOp::create(
        b, loc, numChunks,
        arith::MaxUIOp::create(b, loc, segmentChunks, host.index(1)));
    Value slots = arith::SubIOp::create(
        b, loc, arith::MaxUIOp::create(b, loc, segments, host.index(1)),
        host.index(1));
    // Split when the wide grid does not fill and two segments or more
    // result (comparisons are 0 or 1 in a manifest; their product is and).
    auto flag = [&](arith::CmpIPredicate predicate, Value x, Value y) {
      return idx(arith::ExtUIOp::create(
          b, loc, b.getI64Type(),
          arith::CmpIOp::create(b, loc, predicate, x, y)));
    };
    Value splits = arith::MulIOp::create(
        b, loc, flag(arith::CmpIPredicate::ult, ctasWide, enough),
        flag(arith::CmpIPredicate::uge, segments, host.index(2)));
    Value bytes = arith::MulIOp::create(
        b, loc, splits,
        arith::MulIOp::create(
            b, loc, arith::MulIOp::create(b, loc, slots, NH),
            host.index(segmentSlotBytes(config))));
    Value workspace = context.takeWorkspace(loc, bytes);
    Value cond = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                       splits, host.index(0));
    auto ifOp = scf::IfOp::create(b, loc, TypeRange{}, cond,
                                  /*withElseRegion=*/true);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&ifOp.getThenRegion().front());
      SmallVector<Value> splitOperands =
          withWorkspace(segmentChunks, slots, workspace);
      auto pass = [&](LinearAttentionKernelConfig::Split split,
                      StringRef suffix, Value zGrid) {
        LinearAttentionKernelConfig variant = config;
        variant.valueTile = wide;
        variant.split = split;
        gpu::GPUFuncOp kernel = buildLinearAttentionKernel(
            b, loc, kernels,
            name + "_bv" + std::to_string(wide) + "_" + suffix.str(),
            variant);
        Value shared = arith::ConstantIntOp::create(
            b, loc, b.getI32Type(), linearAttentionSharedBytes(variant));
        gpu::LaunchFuncOp::create(b, loc, kernel, {NH, tilesWide, zGrid},
                                  block, shared, splitOperands);
      };
      pass(LinearAttentionKernelConfig::Split::LocalStates, "states", slots);
      // The combine: 512 state elements per CTA.
      gpu::GPUFuncOp combine =
          buildSegmentCombineKernel(b, loc, kernels, name + "_combine", config);
      SmallVector<Value> combineOperands;
      if (s0)
        combineOperands.push_back(host.pointer(s0));
      combineOperands.append(
          {host.pointer(workspace), host.toI64(NH), host.toI64(slots)});
      gpu::LaunchFuncOp::create(
          b, loc, combine,
          {NH,
           host.index((config.headDimK * config.headDimV + 511) / 512),
           host.index(1)},
          block, /*dynamicSharedMemorySize=*/Value(), combineOperands);
      pass(LinearAttentionKernelConfig::Split::FromStates, "segments",
           segments);
      b.setInsertionPointToStart(&ifOp.getElseRegion().front());
      launch(tiles);
    }
    return success();
  }

  SelectiveScanKernelConfig configFor(SelectiveScanOp op) {
    auto bType = op.getB().getType();
    SelectiveScanKernelConfig config;
    config.inputType = op.getU().getType().getElementType();
    config.deltaType = op.getDelta().getType().getElementType();
    config.bType = bType.getElementType();
    config.cType = op.getC().getType().getElementType();
    config.channels = op.getU().getType().getDimSize(1);
    config.groups = bType.getDimSize(1);
    config.stateDim = bType.getDimSize(2);
    config.d = op.getD() != nullptr;
    config.z = op.getZ() != nullptr;
    config.deltaBias = op.getDeltaBias() != nullptr;
    config.initialState = op.getInitialState() != nullptr;
    config.deltaSoftplus = op.getDeltaSoftplus();
    return config;
  }

  CausalConv1dKernelConfig configFor(CausalConv1dOp op) {
    CausalConv1dKernelConfig config;
    config.elementType = op.getX().getType().getElementType();
    config.channels = op.getX().getType().getDimSize(2);
    config.width = op.getW().getType().getDimSize(1);
    config.bias = op.getBias() != nullptr;
    config.silu = op.getActivation() == "silu";
    return config;
  }

  /// The plan of a loom.selective_scan: a warp per (batch, channel) row, in
  /// the variant that reads rows as 16-byte vectors when L allows.
  LogicalResult planSelectiveScan(SelectiveScanOp op,
                                  OpPlanContext &context) {
    OpBuilder &b = context.b;
    HostPlanBuilder &host = context.host;
    Location loc = op.getLoc();
    SelectiveScanKernelConfig config = configFor(op);
    auto [y, yIndex] = context.resultBuffer(op.getY());
    auto [h, hIndex] = context.resultBuffer(op.getFinalState());
    if (!y)
      return op.emitOpError() << "on the GPU, the output must be returned";
    auto optionalArg = [&](Value tensorArg) {
      return tensorArg ? context.argBuffer(tensorArg) : Value();
    };
    Value u = context.argBuffer(op.getU());
    Value delta = context.argBuffer(op.getDelta());
    Value bIn = context.argBuffer(op.getB());
    Value cIn = context.argBuffer(op.getC());
    Value z = optionalArg(op.getZ()), h0 = optionalArg(op.getInitialState());

    LoopBuilder lb(b, loc);
    RuntimeShapes shapes(lb, "loom.selective_scan");
    bindSelectiveScanShapes(shapes, u, delta, bIn, cIn, z, h0);
    Value batch = shapes.get("B"), length = shapes.get("L");
    Value channels = host.index(config.channels);
    host.resultShape(y, {batch, channels, length}, yIndex);
    if (h)
      host.resultShape(h, {batch, channels, host.index(config.stateDim)},
                       hIndex);

    SmallVector<Value> operands;
    for (Value arg : {u, delta, context.argBuffer(op.getA()), bIn, cIn,
                      optionalArg(op.getD()), z,
                      optionalArg(op.getDeltaBias()), h0})
      if (arg)
        operands.push_back(host.pointer(arg));
    Value rows = arith::MulIOp::create(b, loc, batch, channels);
    operands.append({host.pointer(y), h ? host.pointer(h) : host.nullPointer(),
                     host.toI64(length), host.toI64(rows)});

    std::string name = context.kernelName("selective_scan");
    gpu::KernelDim3 grid{
        arith::CeilDivUIOp::create(
            b, loc, rows, host.index(selectiveScanChannelsPerBlock())),
        host.index(1), host.index(1)};
    gpu::KernelDim3 block{host.index(selectiveScanThreads()), host.index(1),
                          host.index(1)};
    auto emitLaunch = [&](bool alignedLength) {
      SelectiveScanKernelConfig variant = config;
      variant.alignedLength = alignedLength;
      gpu::GPUFuncOp kernel = buildSelectiveScanKernel(
          b, loc, context.kernels,
          name + (alignedLength ? "_aligned" : "_unaligned"), variant);
      Value shared = arith::ConstantIntOp::create(
          b, loc, b.getI32Type(), selectiveScanSharedBytes(variant));
      gpu::LaunchFuncOp::create(b, loc, kernel, grid, block, shared,
                                operands);
    };
    // Rows of L elements all start 16-byte aligned when L is a multiple of
    // the run a lane loads; a static L needs one variant only.
    int64_t multiple = selectiveScanLengthMultiple();
    if (std::optional<int64_t> staticLength = getConstantIntValue(length)) {
      emitLaunch(*staticLength % multiple == 0);
      return success();
    }
    Value aligned = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::eq,
        arith::RemUIOp::create(b, loc, length, host.index(multiple)),
        host.index(0));
    auto ifOp = scf::IfOp::create(b, loc, TypeRange{}, aligned,
                                  /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&ifOp.getThenRegion().front());
    emitLaunch(true);
    b.setInsertionPointToStart(&ifOp.getElseRegion().front());
    emitLaunch(false);
    return success();
  }

  /// The plan of a loom.causal_conv1d: one launch over (time tiles,
  /// channel tiles, batch).
  LogicalResult planCausalConv1d(CausalConv1dOp op, OpPlanContext &context) {
    OpBuilder &b = context.b;
    HostPlanBuilder &host = context.host;
    Location loc = op.getLoc();
    CausalConv1dKernelConfig config = configFor(op);
    auto [y, yIndex] = context.resultBuffer(op.getY());
    if (!y)
      return op.emitOpError() << "on the GPU, the output must be returned";
    Value x = context.argBuffer(op.getX());

    LoopBuilder lb(b, loc);
    RuntimeShapes shapes(lb, "loom.causal_conv1d");
    shapes.bind("x", x, {"B", "T", "C"});
    Value batch = shapes.get("B"), time = shapes.get("T");
    host.resultShape(y, {batch, time, host.index(config.channels)}, yIndex);

    SmallVector<Value> operands{host.pointer(x),
                                host.pointer(context.argBuffer(op.getW()))};
    if (op.getBias())
      operands.push_back(host.pointer(context.argBuffer(op.getBias())));
    operands.append({host.pointer(y), host.toI64(time)});

    CausalConv1dTiling tiling = causalConv1dTiling(config);
    gpu::GPUFuncOp kernel = buildCausalConv1dKernel(
        b, loc, context.kernels, context.kernelName("causal_conv1d"), config);
    gpu::KernelDim3 grid{
        arith::CeilDivUIOp::create(b, loc, time,
                                   host.index(tiling.timeTile)),
        host.index(llvm::divideCeil(config.channels, tiling.channelsPerBlock)),
        batch};
    gpu::KernelDim3 block{host.index(tiling.threads), host.index(1),
                          host.index(1)};
    gpu::LaunchFuncOp::create(b, loc, kernel, grid, block, Value(), operands);
    return success();
  }
};

} // namespace
