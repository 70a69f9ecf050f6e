//===- JitRunner.cpp - Run a function of loom IR on the CPU ---------------===//

#include "loom/Target/CPU/JitRunner.h"
#include "loom/Pipelines/Pipelines.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/Support/TargetSelect.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>

using namespace mlir;
using namespace mlir::loom;

//===----------------------------------------------------------------------===//
// Run-time errors
//===----------------------------------------------------------------------===//

static void defaultRuntimeError(const char *message) {
  std::fflush(stdout);
  std::fprintf(stderr, "error: run-time check failed: %s\n", message);
  std::exit(1);
}

static RuntimeErrorHandler runtimeErrorHandler = defaultRuntimeError;

void mlir::loom::setRuntimeErrorHandler(RuntimeErrorHandler handler) {
  runtimeErrorHandler = handler ? handler : defaultRuntimeError;
}

extern "C" void loom_runtime_error(const char *message) {
  runtimeErrorHandler(message);
  // A handler that returns would let the kernel run past a failed check.
  std::abort();
}

//===----------------------------------------------------------------------===//
// Types and arrays
//===----------------------------------------------------------------------===//

static std::optional<::loom::npy::DType> dtypeOf(Type type) {
  if (type.isF32())
    return ::loom::npy::DType::F32;
  if (type.isF16())
    return ::loom::npy::DType::F16;
  if (type.isBF16())
    return ::loom::npy::DType::BF16;
  if (type.isSignlessInteger(32))
    return ::loom::npy::DType::I32;
  if (type.isSignlessInteger(64))
    return ::loom::npy::DType::I64;
  return std::nullopt;
}

static std::string shapeString(ArrayRef<int64_t> shape) {
  std::string text = "(";
  for (auto [i, dim] : llvm::enumerate(shape))
    text += (i ? ", " : "") + std::to_string(dim);
  if (shape.size() == 1)
    text += ",";
  return text + ")";
}

/// Arguments and results must be ranked tensors of a .npy dtype.
static FailureOr<::loom::npy::DType> checkBoundaryType(func::FuncOp func, Type type,
                                               StringRef what, unsigned index) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  std::optional<::loom::npy::DType> dtype =
      tensor ? dtypeOf(tensor.getElementType()) : std::nullopt;
  if (!dtype)
    return func.emitError() << what << " #" << index << " has type " << type
                            << "; the CPU runner passes ranked tensors of "
                               "f32, f16, bf16, i32 or i64";
  return *dtype;
}

/// A memref descriptor as the LLVM lowering lays it out:
/// {allocated, aligned, offset, sizes[rank], strides[rank]}, all 8 bytes.
struct Descriptor {
  explicit Descriptor(unsigned rank) : words(3 + 2 * rank, 0), rank(rank) {}
  std::vector<int64_t> words;
  unsigned rank;

  void *aligned() const { return reinterpret_cast<void *>(words[1]); }
  int64_t offset() const { return words[2]; }
  int64_t size(unsigned i) const { return words[3 + i]; }
  int64_t stride(unsigned i) const { return words[3 + rank + i]; }
};

/// The descriptor of a dense row-major input array.
static Descriptor describe(const ::loom::npy::Array &array) {
  Descriptor d(array.shape.size());
  auto data = reinterpret_cast<int64_t>(array.bytes.data());
  d.words[0] = d.words[1] = data;
  int64_t stride = 1;
  for (int i = static_cast<int>(d.rank) - 1; i >= 0; --i) {
    d.words[3 + i] = array.shape[i];
    d.words[3 + d.rank + i] = stride;
    stride *= array.shape[i];
  }
  return d;
}

/// Copies a (possibly strided) result buffer into a dense array.
static ::loom::npy::Array collect(const int64_t *words, unsigned rank,
                          ::loom::npy::DType dtype) {
  ::loom::npy::Array array;
  array.dtype = dtype;
  const int64_t *sizes = words + 3, *strides = words + 3 + rank;
  array.shape.assign(sizes, sizes + rank);
  size_t elementSize = ::loom::npy::elementSize(dtype);
  array.bytes.resize(array.numElements() * elementSize);
  auto base = reinterpret_cast<const uint8_t *>(words[1]) + words[2] * elementSize;
  std::vector<int64_t> index(rank, 0);
  for (int64_t flat = 0, count = array.numElements(); flat < count; ++flat) {
    int64_t offset = 0;
    for (unsigned i = 0; i < rank; ++i)
      offset += index[i] * strides[i];
    std::memcpy(array.bytes.data() + flat * elementSize,
                base + offset * elementSize, elementSize);
    for (int i = static_cast<int>(rank) - 1; i >= 0; --i) {
      if (++index[i] < sizes[i])
        break;
      index[i] = 0;
    }
  }
  return array;
}

//===----------------------------------------------------------------------===//
// runOnCpu
//===----------------------------------------------------------------------===//

FailureOr<std::vector<::loom::npy::Array>>
mlir::loom::runOnCpu(ModuleOp module, const std::vector<::loom::npy::Array> &inputs,
                     const CpuRunOptions &options) {
  auto func = module.lookupSymbol<func::FuncOp>(options.entry);
  if (!func || func.isExternal())
    return module.emitError() << "no function @" << options.entry
                              << " with a body to run";
  FunctionType signature = func.getFunctionType();
  if (signature.getNumInputs() != inputs.size())
    return func.emitError() << "@" << options.entry << " takes "
                            << signature.getNumInputs() << " arguments, "
                            << inputs.size() << " inputs were given";

  // Inputs must fit their arguments: dtype, rank and every static size.
  for (auto [i, type] : llvm::enumerate(signature.getInputs())) {
    FailureOr<::loom::npy::DType> dtype = checkBoundaryType(func, type, "argument", i);
    if (failed(dtype))
      return failure();
    auto tensor = cast<RankedTensorType>(type);
    const ::loom::npy::Array &input = inputs[i];
    bool fits = input.dtype == *dtype &&
                static_cast<int64_t>(input.shape.size()) == tensor.getRank();
    for (int64_t d = 0; fits && d < tensor.getRank(); ++d)
      fits = tensor.isDynamicDim(d) || tensor.getDimSize(d) == input.shape[d];
    if (!fits)
      return func.emitError()
             << "input #" << i << " does not fit argument " << type
             << ": expected dtype " << ::loom::npy::descr(*dtype) << " with rank "
             << tensor.getRank() << ", got " << ::loom::npy::descr(input.dtype)
             << " of shape " << shapeString(input.shape);
  }
  SmallVector<::loom::npy::DType> resultTypes;
  SmallVector<unsigned> resultRanks;
  for (auto [i, type] : llvm::enumerate(signature.getResults())) {
    FailureOr<::loom::npy::DType> dtype = checkBoundaryType(func, type, "result", i);
    if (failed(dtype))
      return failure();
    resultTypes.push_back(*dtype);
    resultRanks.push_back(cast<RankedTensorType>(type).getRank());
  }

  // The caller's arrays are inputs, not scratch space: bufferization must
  // not write into them.
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
    func.setArgAttr(i, bufferization::BufferizationDialect::kWritableAttrName,
                    BoolAttr::get(module.getContext(), false));

  // Lower and JIT-compile.
  PassManager pm(module.getContext());
  LoomToCpuOptions pipelineOptions;
  pipelineOptions.reference = options.reference;
  pipelineOptions.chunkSize = options.chunkSize;
  buildLoomToCpuPipeline(pm, pipelineOptions);
  std::string pipeline;
  llvm::raw_string_ostream os(pipeline);
  os << "builtin.module(loom-to-cpu{chunk-size=" << options.chunkSize
     << " reference=" << (options.reference ? "true" : "false") << "})";
  if (failed(runLoomPipeline(module, pm, pipeline,
                             options.configurePassManager)))
    return failure();

  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  module.getContext()->appendDialectRegistry(registry);
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();

  ExecutionEngineOptions engineOptions;
  auto optimize = makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0,
                                            /*targetMachine=*/nullptr);
  engineOptions.transformer = optimize;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto engine = ExecutionEngine::create(module, engineOptions);
  if (!engine)
    return module.emitError() << "JIT compilation failed: "
                              << llvm::toString(engine.takeError());
  (*engine)->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    symbols[interner("loom_runtime_error")] = {
        llvm::orc::ExecutorAddr::fromPtr(&loom_runtime_error),
        llvm::JITSymbolFlags::Exported};
    // Copies between strided buffers (e.g. a chunk into its output rows).
    symbols[interner("memrefCopy")] = {
        llvm::orc::ExecutorAddr::fromPtr(&memrefCopy),
        llvm::JITSymbolFlags::Exported};
    return symbols;
  });

  // Packed call: one pointer per scalar of every expanded descriptor, then
  // one pointer to the returned struct of result descriptors.
  std::vector<Descriptor> descriptors;
  descriptors.reserve(inputs.size());
  for (const ::loom::npy::Array &input : inputs)
    descriptors.push_back(describe(input));
  SmallVector<void *> args;
  for (Descriptor &d : descriptors)
    for (int64_t &word : d.words)
      args.push_back(&word);
  size_t resultWords = 0;
  for (unsigned rank : resultRanks)
    resultWords += 3 + 2 * rank;
  std::vector<int64_t> results(resultWords, 0);
  if (!resultRanks.empty())
    args.push_back(results.data());
  if (llvm::Error error = (*engine)->invokePacked(options.entry, args))
    return module.emitError() << "calling @" << options.entry << " failed: "
                              << llvm::toString(std::move(error));

  // Result buffers stay allocated: the caller's process owns them until it
  // exits, which for loom-run is right after writing them.
  std::vector<::loom::npy::Array> outputs;
  const int64_t *words = results.data();
  for (auto [rank, dtype] : llvm::zip_equal(resultRanks, resultTypes)) {
    outputs.push_back(collect(words, rank, dtype));
    words += 3 + 2 * rank;
  }
  return outputs;
}
