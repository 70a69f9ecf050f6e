//===- Manifest.h - Kernel bundle manifests ---------------------*- C++ -*-===//
//
// The model of a bundle's manifest.json (docs/bundle.md), its parser and the
// evaluation of its expressions for a call. Plain C++ (no MLIR, LLVM or
// CUDA): the runtime ships without them. Parsing validates everything that
// can be checked without arguments (types, buffer and dim indices,
// expression form and depth), so that a call only evaluates; every failure
// is an error message, never a crash or an exception.
//
//===----------------------------------------------------------------------===//

#ifndef LOOM_RUNTIME_MANIFEST_H
#define LOOM_RUNTIME_MANIFEST_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loom::runtime {

/// The manifest format this runtime reads.
constexpr int64_t kManifestFormat = 1;
/// Buffers have at most this many dims (LOOM_MAX_RANK in loom-c/Runtime.h).
constexpr int kMaxRank = 8;
/// Expressions nest at most this deep; the evaluator recurses.
constexpr int kMaxExprDepth = 64;
/// Choices between launch sequences nest at most this deep.
constexpr int kMaxChoiceDepth = 16;
/// An arg extent that is bound at launch (`null` in the manifest).
constexpr int64_t kDynamic = -1;

/// Same values as LoomDType.
enum class DType : int32_t { F32 = 0, F16 = 1, BF16 = 2, I32 = 3, I64 = 4 };

/// "f32", "f16", "bf16", "i32", "i64"; "?" for a value out of range.
const char *dtypeName(DType dtype);
size_t dtypeSize(DType dtype);
bool isValidDType(int32_t value);

/// What an expression may read from the device that runs the launch.
enum class DeviceAttribute : int32_t { MultiprocessorCount };

/// The device's attributes for evaluation; -1 where not known yet (before
/// a context exists, expressions that read them evaluate to "unknown").
struct DeviceInfo {
  int64_t multiprocessorCount = -1;
};

/// An integer expression over arg extents (and device attributes): a node
/// of its function's pool. Comparisons give 1 or 0.
using ExprId = int32_t;
struct ExprNode {
  enum class Op : uint8_t {
    Constant,
    Dim,
    Device,
    Add,
    Sub,
    Mul,
    Div,
    CeilDiv,
    Rem,
    Min,
    Max,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge
  };
  Op op = Op::Constant;
  int64_t value = 0;                                                // Constant
  int32_t arg = 0, dim = 0;                                         // Dim
  DeviceAttribute attribute = DeviceAttribute::MultiprocessorCount; // Device
  ExprId lhs = -1, rhs = -1; // binary ops
};

struct ArgSpec {
  DType dtype = DType::F32;
  /// Static extents, kDynamic where any extent is accepted.
  std::vector<int64_t> shape;
};

struct ResultSpec {
  DType dtype = DType::F32;
  std::vector<ExprId> shape;
};

struct Check {
  ExprId lhs = -1, rhs = -1;
  std::string message;
};

/// Tensor maps have at most this many dims (the copy engine's limit).
constexpr int kMaxTensorMapRank = 5;

/// A tiled tensor map of a buffer or of the workspace: the descriptor that
/// sm_90's tensor-map copies (cp.async.bulk.tensor) read, encoded by the
/// runtime at each call (cuTensorMapEncodeTiled) and passed by value.
struct TensorMapSpec {
  /// -1 for the workspace.
  int32_t buffer = -1;
  DType dtype = DType::BF16;
  /// Bytes from the buffer's start; a multiple of 16.
  ExprId offset = -1;
  /// Extents in elements, innermost first, and the byte strides of dims
  /// 1.. (dim 0 is contiguous): rank - 1 entries.
  std::vector<ExprId> dims, strides;
  /// The box one copy moves, in elements a dim.
  std::vector<uint32_t> box;
  /// 0, 32, 64 or 128: the shared-memory swizzle span in bytes.
  uint32_t swizzle = 0;
};

struct Param {
  /// Workspace: the call's scratch memory (Function::workspaceBytes).
  enum class Kind : uint8_t { Buffer, I64, I32, F32, Workspace, TensorMap };
  Kind kind = Kind::Buffer;
  int32_t buffer = 0;     // Buffer
  ExprId expr = -1;       // I64, I32
  float f32 = 0;          // F32
  int32_t tensorMap = -1; // TensorMap: index in Function::tensorMaps
};

struct Launch {
  /// Where it sits in the manifest, e.g. "launches[0].else[0]".
  std::string path;
  std::string kernel;
  ExprId grid[3] = {-1, -1, -1};
  uint32_t block[3] = {1, 1, 1};
  uint32_t sharedBytes = 0;
  /// The kernel begins by waiting for the previous kernel of the call
  /// (griddepcontrol.wait), so it may be launched before that one ends.
  bool earlyLaunch = false;
  std::vector<Param> params;
};

/// An entry of a `launches` array: a launch, or a choice between two launch
/// sequences made when the function is called.
struct LaunchItem {
  /// Index in Function::launches, or -1 for a choice.
  int32_t launch = -1;
  ExprId condition = -1;
  std::vector<LaunchItem> thenItems, elseItems;
};

struct Function {
  std::string name;
  std::vector<ArgSpec> args;
  std::vector<ResultSpec> results;
  std::vector<Check> checks;
  /// Every launch of the function, in manifest order (all branches).
  std::vector<Launch> launches;
  /// The `launches` array: what runs, in order.
  std::vector<LaunchItem> program;
  /// Bytes of device scratch memory a call needs, or -1: the runtime
  /// allocates it on the call's stream and frees it after the launches.
  ExprId workspaceBytes = -1;
  /// What every TensorMap param describes.
  std::vector<TensorMapSpec> tensorMaps;
  /// The pool that every ExprId above indexes.
  std::vector<ExprNode> exprs;

  size_t numBuffers() const { return args.size() + results.size(); }
};

/// `sm_90a` is {9, 0, exact}: it runs on compute capability 9.0 only;
/// `sm_80` runs on 8.0 and above (through the PTX where the cubin can't).
struct Arch {
  std::string name;
  int major = 0, minor = 0;
  bool exact = false;
};

struct Manifest {
  int64_t format = 0;
  std::string loomVersion, llvmVersion, ptxasVersion;
  Arch arch;
  /// File names relative to the bundle directory; `ptx` may be empty.
  std::string cubin, ptx;
  std::vector<Function> functions;

  const Function *find(std::string_view name) const;
};

/// Parses and validates manifest text. On failure returns false and sets
/// `error` to a message naming the JSON path and what is wrong there.
bool parseManifest(std::string_view text, Manifest &manifest,
                   std::string &error);

/// The dtype and extents of one buffer of a call.
struct BufferShape {
  DType dtype = DType::F32;
  std::vector<int64_t> dims;
};

/// The byte size of a buffer, or false when it overflows.
bool byteSize(const BufferShape &shape, int64_t &bytes);

/// What one launch of a call comes to once its expressions are evaluated.
struct LaunchPlan {
  const Launch *launch = nullptr;
  /// Index of `launch` in Function::launches.
  int32_t index = 0;
  uint32_t grid[3] = {0, 0, 0};
  /// A grid extent is 0 (empty input): nothing to launch.
  bool skip = false;
  /// One per param: the value of an I64/I32 param, the buffer index of a
  /// Buffer param, the bits of an F32 param, the index in `tensorMaps` of
  /// a TensorMap param.
  std::vector<int64_t> values;
  /// A TensorMap param's evaluated extents, strides and byte offset.
  struct TensorMap {
    const TensorMapSpec *spec = nullptr;
    int64_t offset = 0;
    std::vector<int64_t> dims, strides;
  };
  std::vector<TensorMap> tensorMaps;
};

/// Checks a call's args against `fn`: count, dtype, rank, static extents,
/// non-negative extents, then the manifest's checks. Messages name the arg
/// and the dim.
bool checkArgs(const Function &fn, const std::vector<BufferShape> &args,
               std::string &error);

/// The result shapes of a call whose args passed checkArgs.
bool resultShapes(const Function &fn, const std::vector<BufferShape> &args,
                  std::vector<BufferShape> &results, std::string &error);

/// Decides the choices and evaluates the grid and params of every launch
/// that runs (args passed checkArgs); grid extents out of range and i32
/// params that do not fit are errors. Without `device`, what depends on it
/// is left out (a choice, or a launch) and `complete`, if given, is false:
/// the runtime plans twice, before CUDA and once the device is known.
bool planLaunches(const Function &fn, const std::vector<BufferShape> &args,
                  const DeviceInfo *device, std::vector<LaunchPlan> &plans,
                  std::string &error, bool *complete = nullptr);

/// Evaluates one expression of `fn` on `args` (which passed checkArgs) and
/// `device` (an expression that reads a device attribute needs it).
bool evaluate(const Function &fn, ExprId expr,
              const std::vector<BufferShape> &args, const DeviceInfo *device,
              int64_t &value, std::string &error);

/// A bundle read from disk: its manifest and kernel images.
struct BundleFiles {
  /// The directory holding the kernel images, and the manifest's path.
  std::string directory, manifestPath;
  Manifest manifest;
  std::string cubin, ptx;
};

/// Reads a bundle: `path` is a bundle directory (its manifest.json is read)
/// or a manifest file, whose directory holds the files it names. Messages
/// start with the path of the file at fault.
bool readBundle(const std::string &path, BundleFiles &bundle,
                std::string &error);

/// An expression as text, e.g. "ceildiv(dim(%0, 1), 64)".
std::string printExpr(const Function &fn, ExprId expr);
/// "main(%0: f32[1, ?, 2, 4]) -> (%1: f32[1, dim(%0, 1), 2, 4])".
std::string printSignature(const Function &fn);

} // namespace loom::runtime

#endif // LOOM_RUNTIME_MANIFEST_H
