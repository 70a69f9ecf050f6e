//===- Bundle.cpp - PTX, cubins and kernel bundles ------------------------===//

#include "loom/Target/NVPTX/Bundle.h"
#include "loom/Pipelines/Pipelines.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVM.h"
#include "mlir/Conversion/GPUToNVVM/GPUToNVVM.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/NVVMToLLVM/NVVMToLLVM.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <regex>

using namespace mlir;
using namespace mlir::loom;
namespace json = llvm::json;

#ifndef LOOM_VERSION_STRING
#define LOOM_VERSION_STRING "0.1.0"
#endif

void mlir::loom::registerGpuTargetExtensions(DialectRegistry &registry) {
  // convert-gpu-to-nvvm lowers the kernels' other dialects through their
  // ConvertToLLVM interfaces.
  arith::registerConvertArithToLLVMInterface(registry);
  cf::registerConvertControlFlowToLLVMInterface(registry);
  registerConvertFuncToLLVMInterface(registry);
  NVVM::registerConvertGpuToNVVMInterface(registry);
  index::registerConvertIndexToLLVMInterface(registry);
  registerConvertMathToLLVMInterface(registry);
  registerConvertMemRefToLLVMInterface(registry);
  registerConvertNVVMToLLVMInterface(registry);
  ub::registerConvertUBToLLVMInterface(registry);
  NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerGPUDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerNVVMDialectTranslation(registry);
}

/// 32-bit shared-memory addresses: the kernels keep dozens of fragment
/// addresses live, and 64-bit ones cost two registers each. The NVPTX
/// backend exposes this only as a command-line option (it also sets the
/// data layout the serializer takes from the target machine).
static void useShortSharedPointers() {
  auto &options =
      llvm::cl::getRegisteredOptions();
  auto it = options.find("nvptx-short-ptr");
  if (it != options.end())
    static_cast<llvm::cl::opt<bool> *>(it->second)->setValue(true);
}

/// Runs loom-to-nvvm on `module`, followed by gpu-module-to-binary when
/// `toPtx`; the kernels end in `loom_kernels` (a gpu.module, or a gpu.binary
/// holding PTX).
static LogicalResult runGpuPipeline(ModuleOp module,
                                    const GpuTargetOptions &options,
                                    bool toPtx) {
  if (options.chip != "sm_90a" && options.chip != "sm_80")
    return module.emitError() << "unsupported GPU target '" << options.chip
                              << "' (expected sm_90a or sm_80)";
  DialectRegistry registry;
  registerGpuTargetExtensions(registry);
  module.getContext()->appendDialectRegistry(registry);

  PassManager pm(module.getContext());
  LoomToNvvmOptions pipeline;
  pipeline.chip = options.chip;
  pipeline.valueTile = options.valueTile;
  pipeline.warpgroupMma = options.warpgroupMma;
  pipeline.columnGroups = options.columnGroups;
  pipeline.outputWarpgroup = options.outputWarpgroup;
  buildLoomToNvvmPipeline(pm, pipeline);
  std::string replay = "builtin.module(loom-to-nvvm{chip=" + options.chip +
                       " value-tile=" + std::to_string(options.valueTile) +
                       (options.warpgroupMma ? " warpgroup-mma=1" : "") +
                       (options.columnGroups != 1
                            ? " column-groups=" +
                                  std::to_string(options.columnGroups)
                            : "") +
                       (options.outputWarpgroup ? "" : " output-warpgroup=0") +
                       "}";
  if (toPtx) {
    useShortSharedPointers();
    GpuModuleToBinaryPassOptions binary;
    binary.compilationTarget = "isa";
    pm.addPass(createGpuModuleToBinaryPass(binary));
    replay += ",gpu-module-to-binary{format=isa}";
  }
  replay += ")";
  if (failed(runLoomPipeline(module, pm, replay,
                             options.configurePassManager)))
    return failure();
  if (!module.lookupSymbol("loom_kernels"))
    return module.emitError() << "the module has no loom op to compile for "
                                 "the GPU";
  return success();
}

LogicalResult mlir::loom::lowerToNvvm(ModuleOp module,
                                      const GpuTargetOptions &options) {
  return runGpuPipeline(module, options, /*toPtx=*/false);
}

FailureOr<std::string> mlir::loom::lowerToPtx(ModuleOp module,
                                              const GpuTargetOptions &options) {
  if (failed(runGpuPipeline(module, options, /*toPtx=*/true)))
    return failure();
  auto binaryOp = module.lookupSymbol<gpu::BinaryOp>("loom_kernels");
  auto object = cast<gpu::ObjectAttr>(binaryOp.getObjects()[0]);
  return object.getObject().getValue().str();
}

static std::string cudaRoot(const GpuTargetOptions &options) {
  if (!options.cudaRoot.empty())
    return options.cudaRoot;
  if (const char *env = std::getenv("LOOM_CUDA_ROOT"))
    return env;
  return "/usr/local/cuda";
}

/// Runs ptxas with `args`, returning its combined stdout and stderr.
static FailureOr<std::string> runPtxas(const GpuTargetOptions &options,
                                       ArrayRef<StringRef> args, Location loc,
                                       int &exitCode) {
  std::string bin = cudaRoot(options) + "/bin";
  auto ptxas = llvm::sys::findProgramByName("ptxas", {bin});
  if (!ptxas)
    return emitError(loc) << "ptxas not found in " << bin
                          << " (set --cuda-root or LOOM_CUDA_ROOT)";
  SmallString<128> logPath;
  if (llvm::sys::fs::createTemporaryFile("loom-ptxas", "log", logPath))
    return emitError(loc) << "cannot create a temporary file for ptxas";
  llvm::FileRemover removeLog(logPath);
  SmallVector<StringRef> argv{*ptxas};
  argv.append(args.begin(), args.end());
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(logPath),
                                          StringRef(logPath)};
  std::string message;
  exitCode = llvm::sys::ExecuteAndWait(*ptxas, argv, std::nullopt, redirects,
                                       /*SecondsToWait=*/0, /*MemoryLimit=*/0,
                                       &message);
  auto log = llvm::MemoryBuffer::getFile(logPath);
  std::string text = log ? (*log)->getBuffer().str() : std::string();
  if (exitCode < 0)
    return emitError(loc) << "cannot run " << *ptxas << ": " << message;
  return text;
}

static std::string ptxasVersion(const GpuTargetOptions &options,
                                Location loc) {
  int exitCode = 0;
  FailureOr<std::string> out = runPtxas(options, {"--version"}, loc, exitCode);
  if (failed(out) || exitCode != 0)
    return "unknown";
  std::smatch match;
  static const std::regex version("V([0-9]+\\.[0-9]+\\.[0-9]+)");
  if (std::regex_search(*out, match, version))
    return match[1];
  return "unknown";
}

FailureOr<std::string> mlir::loom::assembleCubin(
    StringRef ptx, const GpuTargetOptions &options, std::string &log,
    Location loc) {
  SmallString<128> ptxPath, cubinPath;
  if (llvm::sys::fs::createTemporaryFile("loom", "ptx", ptxPath) ||
      llvm::sys::fs::createTemporaryFile("loom", "cubin", cubinPath))
    return emitError(loc) << "cannot create temporary files for ptxas";
  llvm::FileRemover removePtx(ptxPath), removeCubin(cubinPath);
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(ptxPath, ec);
    if (ec)
      return emitError(loc) << "cannot write " << ptxPath << ": "
                            << ec.message();
    os << ptx;
  }
  std::string arch = "-arch=" + options.chip;
  std::string out = cubinPath.str().str();
  int exitCode = 0;
  FailureOr<std::string> report = runPtxas(
      options, {arch, "-O3", "-v", "-o", out, ptxPath}, loc, exitCode);
  if (failed(report))
    return failure();
  log = *report;
  if (exitCode != 0)
    return emitError(loc) << "ptxas failed (exit code " << exitCode
                          << "):\n" << log;
  auto cubin = llvm::MemoryBuffer::getFile(cubinPath, /*IsText=*/false);
  if (!cubin)
    return emitError(loc) << "ptxas wrote no cubin";
  return (*cubin)->getBuffer().str();
}

bool mlir::loom::ptxasReportsSpills(StringRef log) {
  static const std::regex spills("[1-9][0-9]* bytes spill (stores|loads)");
  return std::regex_search(log.str(), spills);
}

//===----------------------------------------------------------------------===//
// Manifest
//===----------------------------------------------------------------------===//

namespace {

/// Serializes one host launch plan (what convert-loom-to-gpu builds).
class ManifestWriter {
public:
  ManifestWriter(func::FuncOp plan, unsigned numResults)
      : plan(plan), numResults(numResults),
        numArgs(plan.getNumArguments() - numResults) {}

  FailureOr<json::Object> write();

private:
  FailureOr<json::Value> expr(Value value);
  FailureOr<unsigned> bufferOf(Value pointer);
  LogicalResult
  writeBlock(Block &block, json::Array &checks, json::Array &launches,
             std::vector<std::vector<std::optional<json::Value>>> &resultDims);
  static FailureOr<StringRef> dtypeName(Type type, Location loc);

  func::FuncOp plan;
  unsigned numResults, numArgs;
  /// The plan's one `memref.alloc` (a call's workspace) and its bytes.
  Value workspace;
  std::optional<json::Value> workspaceBytes;
};

} // namespace

FailureOr<StringRef> ManifestWriter::dtypeName(Type type, Location loc) {
  if (type.isF32())
    return StringRef("f32");
  if (type.isF16())
    return StringRef("f16");
  if (type.isBF16())
    return StringRef("bf16");
  if (type.isInteger(32))
    return StringRef("i32");
  if (type.isInteger(64))
    return StringRef("i64");
  return emitError(loc) << "no bundle dtype for " << type;
}

FailureOr<json::Value> ManifestWriter::expr(Value value) {
  if (auto constant = getConstantIntValue(value))
    return json::Value(*constant);
  Operation *def = value.getDefiningOp();
  if (!def)
    return emitError(plan.getLoc()) << "a launch plan value is not computed "
                                       "from argument extents";
  if (auto dim = dyn_cast<memref::DimOp>(def)) {
    auto arg = dyn_cast<BlockArgument>(dim.getSource());
    std::optional<int64_t> d = dim.getConstantIndex();
    if (!arg || !d || arg.getArgNumber() >= numArgs)
      return dim.emitOpError() << "is not an extent of a plan argument";
    return json::Value(json::Object{
        {"dim", json::Array{int64_t(arg.getArgNumber()), *d}}});
  }
  if (isa<arith::IndexCastOp, arith::IndexCastUIOp, arith::ExtUIOp,
          arith::ExtSIOp>(def))
    return expr(def->getOperand(0));
  if (auto call = dyn_cast<func::CallOp>(def)) {
    if (call.getCallee() != "loom_multiprocessor_count")
      return call.emitOpError() << "calls a function a launch plan does not "
                                   "know";
    return json::Value(json::Object{{"device", "multiprocessor_count"}});
  }
  if (auto cmp = dyn_cast<arith::CmpIOp>(def)) {
    StringRef predicate;
    switch (cmp.getPredicate()) {
    case arith::CmpIPredicate::eq: predicate = "eq"; break;
    case arith::CmpIPredicate::ne: predicate = "ne"; break;
    case arith::CmpIPredicate::uge:
    case arith::CmpIPredicate::sge: predicate = "ge"; break;
    case arith::CmpIPredicate::ugt:
    case arith::CmpIPredicate::sgt: predicate = "gt"; break;
    case arith::CmpIPredicate::ule:
    case arith::CmpIPredicate::sle: predicate = "le"; break;
    case arith::CmpIPredicate::ult:
    case arith::CmpIPredicate::slt: predicate = "lt"; break;
    }
    FailureOr<json::Value> lhs = expr(cmp.getLhs());
    FailureOr<json::Value> rhs = expr(cmp.getRhs());
    if (failed(lhs) || failed(rhs))
      return failure();
    return json::Value(json::Object{
        {predicate, json::Array{std::move(*lhs), std::move(*rhs)}}});
  }
  StringRef name =
      llvm::TypeSwitch<Operation *, StringRef>(def)
          .Case<arith::AddIOp>([](auto) { return "add"; })
          .Case<arith::SubIOp>([](auto) { return "sub"; })
          .Case<arith::MulIOp>([](auto) { return "mul"; })
          .Case<arith::DivUIOp, arith::DivSIOp>([](auto) { return "div"; })
          .Case<arith::CeilDivUIOp, arith::CeilDivSIOp>(
              [](auto) { return "ceildiv"; })
          .Case<arith::RemUIOp, arith::RemSIOp>([](auto) { return "rem"; })
          .Case<arith::MinUIOp, arith::MinSIOp>([](auto) { return "min"; })
          .Case<arith::MaxUIOp, arith::MaxSIOp>([](auto) { return "max"; })
          .Default([](Operation *) { return ""; });
  if (name.empty())
    return def->emitOpError() << "cannot be expressed in a bundle manifest";
  FailureOr<json::Value> lhs = expr(def->getOperand(0));
  FailureOr<json::Value> rhs = expr(def->getOperand(1));
  if (failed(lhs) || failed(rhs))
    return failure();
  return json::Value(
      json::Object{{name, json::Array{std::move(*lhs), std::move(*rhs)}}});
}

/// A kernel pointer: a plan buffer's index, or kWorkspace.
static constexpr unsigned kWorkspace = ~0u;

FailureOr<unsigned> ManifestWriter::bufferOf(Value pointer) {
  auto toPtr = pointer.getDefiningOp<LLVM::IntToPtrOp>();
  Value address = toPtr ? toPtr.getArg() : Value();
  if (auto cast = address ? address.getDefiningOp<arith::IndexCastOp>()
                          : arith::IndexCastOp())
    address = cast.getIn();
  auto extract = address ? address.getDefiningOp<
                               memref::ExtractAlignedPointerAsIndexOp>()
                         : memref::ExtractAlignedPointerAsIndexOp();
  if (extract && workspace && extract.getSource() == workspace)
    return kWorkspace;
  auto arg = extract ? dyn_cast<BlockArgument>(extract.getSource())
                     : BlockArgument();
  if (!arg)
    return emitError(pointer.getLoc())
           << "a kernel pointer does not come from a plan buffer";
  return arg.getArgNumber();
}

LogicalResult ManifestWriter::writeBlock(
    Block &block, json::Array &checks, json::Array &launches,
    std::vector<std::vector<std::optional<json::Value>>> &resultDims) {
  for (Operation &op : block) {
    if (isa<memref::DimOp, arith::ConstantOp, arith::CmpIOp,
            memref::ExtractAlignedPointerAsIndexOp, LLVM::IntToPtrOp,
            LLVM::ZeroOp, func::ReturnOp, func::CallOp, scf::YieldOp,
            memref::DeallocOp>(op) ||
        op.getDialect()->getNamespace() == "arith")
      continue;
    if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
      // The call's workspace: bytes, allocated by the runtime.
      auto type = alloc.getType();
      if (workspace || alloc->getBlock() != &plan.getBody().front() ||
          type.getRank() != 1 || !type.getElementType().isInteger(8) ||
          alloc.getDynamicSizes().size() != 1)
        return alloc.emitOpError()
               << "is not the plan's one workspace (memref<?xi8> at the "
                  "top level)";
      FailureOr<json::Value> bytes = expr(alloc.getDynamicSizes()[0]);
      if (failed(bytes))
        return failure();
      workspace = alloc.getResult();
      workspaceBytes = std::move(*bytes);
      continue;
    }
    if (auto ifOp = dyn_cast<scf::IfOp>(op)) {
      // A choice between launch sequences, made at launch time.
      FailureOr<json::Value> cond = expr(ifOp.getCondition());
      if (failed(cond))
        return failure();
      json::Array thenLaunches, elseLaunches;
      if (failed(writeBlock(ifOp.getThenRegion().front(), checks,
                            thenLaunches, resultDims)))
        return failure();
      if (!ifOp.getElseRegion().empty() &&
          failed(writeBlock(ifOp.getElseRegion().front(), checks,
                            elseLaunches, resultDims)))
        return failure();
      launches.push_back(json::Object{{"if", std::move(*cond)},
                                      {"then", std::move(thenLaunches)},
                                      {"else", std::move(elseLaunches)}});
      continue;
    }
    if (auto assertOp = dyn_cast<cf::AssertOp>(op)) {
      auto cmp = assertOp.getArg().getDefiningOp<arith::CmpIOp>();
      if (!cmp || cmp.getPredicate() != arith::CmpIPredicate::eq)
        return assertOp.emitOpError() << "is not an equality of extents";
      // `dim(result, d) == e` states a result extent.
      if (auto dim = cmp.getLhs().getDefiningOp<memref::DimOp>()) {
        auto arg = dyn_cast<BlockArgument>(dim.getSource());
        std::optional<int64_t> d = dim.getConstantIndex();
        if (arg && d && arg.getArgNumber() >= numArgs) {
          FailureOr<json::Value> e = expr(cmp.getRhs());
          if (failed(e))
            return failure();
          resultDims[arg.getArgNumber() - numArgs][*d] = std::move(*e);
          continue;
        }
      }
      FailureOr<json::Value> lhs = expr(cmp.getLhs());
      FailureOr<json::Value> rhs = expr(cmp.getRhs());
      if (failed(lhs) || failed(rhs))
        return failure();
      checks.push_back(json::Object{{"lhs", std::move(*lhs)},
                                    {"rhs", std::move(*rhs)},
                                    {"message", assertOp.getMsg()}});
      continue;
    }
    auto launch = dyn_cast<gpu::LaunchFuncOp>(op);
    if (!launch)
      return op.emitOpError() << "cannot be expressed in a bundle manifest";

    json::Array grid, block, params;
    for (Value v : {launch.getGridSizeX(), launch.getGridSizeY(),
                    launch.getGridSizeZ()}) {
      FailureOr<json::Value> e = expr(v);
      if (failed(e))
        return failure();
      grid.push_back(std::move(*e));
    }
    for (Value v : {launch.getBlockSizeX(), launch.getBlockSizeY(),
                    launch.getBlockSizeZ()}) {
      std::optional<int64_t> c = getConstantIntValue(v);
      if (!c)
        return launch.emitOpError() << "block size must be constant";
      block.push_back(*c);
    }
    int64_t shared = 0;
    if (Value smem = launch.getDynamicSharedMemorySize()) {
      std::optional<int64_t> c = getConstantIntValue(smem);
      if (!c)
        return launch.emitOpError() << "shared memory size must be constant";
      shared = *c;
    }
    for (Value operand : launch.getKernelOperands()) {
      Type type = operand.getType();
      if (isa<LLVM::LLVMPointerType>(type)) {
        if (operand.getDefiningOp<LLVM::ZeroOp>()) {
          params.push_back(json::Object{{"i64", 0}});
          continue;
        }
        FailureOr<unsigned> buffer = bufferOf(operand);
        if (failed(buffer))
          return failure();
        if (*buffer == kWorkspace)
          params.push_back(json::Object{{"workspace", 0}});
        else
          params.push_back(json::Object{{"buffer", int64_t(*buffer)}});
        continue;
      }
      if (type.isInteger(64) || type.isInteger(32)) {
        FailureOr<json::Value> e = expr(operand);
        if (failed(e))
          return failure();
        params.push_back(
            json::Object{{type.isInteger(64) ? "i64" : "i32", std::move(*e)}});
        continue;
      }
      auto constant = operand.getDefiningOp<arith::ConstantFloatOp>();
      if (type.isF32() && constant) {
        params.push_back(
            json::Object{{"f32", constant.value().convertToFloat()}});
        continue;
      }
      return launch.emitOpError() << "has a kernel operand of type " << type
                                  << " that a manifest cannot carry";
    }
    json::Object entry{{"kernel", launch.getKernelName().getValue()},
                       {"grid", std::move(grid)},
                       {"block", std::move(block)},
                       {"shared_bytes", shared},
                       {"params", std::move(params)}};
    if (launch->hasAttr("loom.early_launch"))
      entry["early_launch"] = true;
    launches.push_back(std::move(entry));
  }

  return success();
}

FailureOr<json::Object> ManifestWriter::write() {
  json::Array args, results, checks, launches;
  std::vector<std::vector<std::optional<json::Value>>> resultDims(numResults);

  for (unsigned i = 0; i < plan.getNumArguments(); ++i) {
    auto type = cast<MemRefType>(plan.getArgumentTypes()[i]);
    FailureOr<StringRef> dtype = dtypeName(type.getElementType(), plan.getLoc());
    if (failed(dtype))
      return failure();
    if (i >= numArgs) {
      resultDims[i - numArgs].resize(type.getRank());
      continue;
    }
    json::Array shape;
    for (int64_t d : type.getShape())
      shape.push_back(ShapedType::isDynamic(d) ? json::Value(nullptr)
                                               : json::Value(d));
    args.push_back(json::Object{{"dtype", *dtype}, {"shape", std::move(shape)}});
  }

  if (failed(writeBlock(plan.getBody().front(), checks, launches,
                        resultDims)))
    return failure();

  for (unsigned r = 0; r < numResults; ++r) {
    auto type = cast<MemRefType>(plan.getArgumentTypes()[numArgs + r]);
    json::Array shape;
    for (auto [d, extent] : llvm::enumerate(type.getShape())) {
      if (!ShapedType::isDynamic(extent)) {
        shape.push_back(extent);
        continue;
      }
      if (!resultDims[r][d])
        return plan.emitOpError() << "result " << r << " dim " << d
                                  << " has no extent in the plan";
      shape.push_back(std::move(*resultDims[r][d]));
    }
    results.push_back(json::Object{
        {"dtype", *dtypeName(type.getElementType(), plan.getLoc())},
        {"shape", std::move(shape)}});
  }
  json::Object function{{"name", plan.getName()},
                        {"args", std::move(args)},
                        {"results", std::move(results)},
                        {"checks", std::move(checks)},
                        {"launches", std::move(launches)}};
  if (workspaceBytes)
    function["workspace_bytes"] = std::move(*workspaceBytes);
  return function;
}

FailureOr<std::string> mlir::loom::buildManifest(
    ModuleOp hostPlan, const GpuTargetOptions &options,
    StringRef ptxasVersionString) {
  json::Array functions;
  for (auto plan : hostPlan.getOps<func::FuncOp>()) {
    auto count = plan->getAttrOfType<IntegerAttr>("loom.result_count");
    if (plan.isExternal() || !count)
      continue;
    FailureOr<json::Object> function =
        ManifestWriter(plan, count.getInt()).write();
    if (failed(function))
      return failure();
    functions.push_back(std::move(*function));
  }
  json::Object manifest{{"format", 1},
                        {"loom_version", LOOM_VERSION_STRING},
                        {"llvm_version", LLVM_VERSION_STRING},
                        {"arch", options.chip},
                        {"ptxas_version", ptxasVersionString},
                        {"cubin", "kernels.cubin"},
                        {"ptx", "kernels.ptx"},
                        {"functions", std::move(functions)}};
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", json::Value(std::move(manifest))) << "\n";
  return text;
}

FailureOr<CompiledBundle>
mlir::loom::compileBundle(ModuleOp module, const GpuTargetOptions &options) {
  CompiledBundle bundle;
  FailureOr<std::string> ptx = lowerToPtx(module, options);
  if (failed(ptx))
    return failure();
  bundle.ptx = std::move(*ptx);
  FailureOr<std::string> cubin =
      assembleCubin(bundle.ptx, options, bundle.ptxasLog, module.getLoc());
  if (failed(cubin))
    return failure();
  bundle.cubin = std::move(*cubin);
  FailureOr<std::string> manifest =
      buildManifest(module, options, ptxasVersion(options, module.getLoc()));
  if (failed(manifest))
    return failure();
  bundle.manifest = std::move(*manifest);
  return bundle;
}

LogicalResult mlir::loom::writeBundle(StringRef directory,
                                      const CompiledBundle &bundle,
                                      std::string &error) {
  if (std::error_code ec = llvm::sys::fs::create_directories(directory)) {
    error = "cannot create " + directory.str() + ": " + ec.message();
    return failure();
  }
  auto writeFile = [&](StringRef name, StringRef bytes) {
    SmallString<256> path(directory);
    llvm::sys::path::append(path, name);
    // Written under a temporary name and renamed, so that a reader never
    // sees half a bundle file.
    SmallString<256> temp(path);
    temp += ".tmp";
    std::error_code ec;
    {
      llvm::raw_fd_ostream os(temp, ec, llvm::sys::fs::OF_None);
      if (!ec)
        os << bytes;
    }
    if (!ec)
      ec = llvm::sys::fs::rename(temp, path);
    if (ec)
      error = "cannot write " + path.str().str() + ": " + ec.message();
    return !ec;
  };
  if (!writeFile("kernels.cubin", bundle.cubin) ||
      !writeFile("kernels.ptx", bundle.ptx) ||
      !writeFile("manifest.json", bundle.manifest))
    return failure();
  return success();
}
