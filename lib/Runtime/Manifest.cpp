//===- Manifest.cpp - Kernel bundle manifests -----------------------------===//
//
// nlohmann/json is used without exceptions (the main build may compile with
// -fno-exceptions, where a throw aborts): parse with allow_exceptions=false,
// never .at() or get<T>(), only type tests, find() and get_ptr().
//
//===----------------------------------------------------------------------===//

#include "loom/Runtime/Manifest.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>

using namespace loom::runtime;
using json = nlohmann::json;

namespace {

/// More buffers than any kernel's parameter space can take.
constexpr size_t kMaxBuffers = 1024;
/// Manifests are a few kilobytes; refuse to read absurd files.
constexpr size_t kMaxManifestBytes = 64 << 20;

struct DTypeInfo {
  DType dtype;
  const char *name;
  size_t size;
};
constexpr DTypeInfo kDTypes[] = {{DType::F32, "f32", 4},
                                 {DType::F16, "f16", 2},
                                 {DType::BF16, "bf16", 2},
                                 {DType::I32, "i32", 4},
                                 {DType::I64, "i64", 8}};

struct OpInfo {
  ExprNode::Op op;
  const char *name;
};
constexpr OpInfo kBinaryOps[] = {
    {ExprNode::Op::Add, "add"},         {ExprNode::Op::Sub, "sub"},
    {ExprNode::Op::Mul, "mul"},         {ExprNode::Op::Div, "div"},
    {ExprNode::Op::CeilDiv, "ceildiv"}, {ExprNode::Op::Rem, "rem"},
    {ExprNode::Op::Min, "min"},         {ExprNode::Op::Max, "max"},
    {ExprNode::Op::Eq, "eq"},           {ExprNode::Op::Ne, "ne"},
    {ExprNode::Op::Lt, "lt"},           {ExprNode::Op::Le, "le"},
    {ExprNode::Op::Gt, "gt"},           {ExprNode::Op::Ge, "ge"},
};

const char *opName(ExprNode::Op op) {
  for (const OpInfo &info : kBinaryOps)
    if (info.op == op)
      return info.name;
  return op == ExprNode::Op::Dim ? "dim" : "constant";
}

struct AttributeInfo {
  DeviceAttribute attribute;
  const char *name;
};
constexpr AttributeInfo kDeviceAttributes[] = {
    {DeviceAttribute::MultiprocessorCount, "multiprocessor_count"},
};

const char *attributeName(DeviceAttribute attribute) {
  for (const AttributeInfo &info : kDeviceAttributes)
    if (info.attribute == attribute)
      return info.name;
  return "?";
}

bool fail(std::string &error, std::string message) {
  error = std::move(message);
  return false;
}

std::string describe(const json &value) {
  if (value.is_number_float())
    return "a non-integer number";
  if (value.is_number())
    return "an integer";
  std::string type = value.type_name();
  return (type == "array" || type == "object" ? "an " : "a ") + type;
}

/// Unknown: the value needs what is not known yet (the args at load time,
/// the device before a context exists).
enum class EvalStatus { Ok, Error, Unknown };

/// Evaluates `id` on `args` and `device`, either of which may be null.
EvalStatus evalNode(const Function &fn, ExprId id,
                    const std::vector<BufferShape> *args,
                    const DeviceInfo *device, int64_t &out,
                    std::string &error) {
  const ExprNode &node = fn.exprs[id];
  switch (node.op) {
  case ExprNode::Op::Constant:
    out = node.value;
    return EvalStatus::Ok;
  case ExprNode::Op::Dim:
    if (!args)
      return EvalStatus::Unknown;
    out = (*args)[node.arg].dims[node.dim];
    return EvalStatus::Ok;
  case ExprNode::Op::Device:
    if (!device || device->multiprocessorCount < 0)
      return EvalStatus::Unknown;
    out = device->multiprocessorCount;
    return EvalStatus::Ok;
  default:
    break;
  }
  int64_t a, b;
  EvalStatus lhs = evalNode(fn, node.lhs, args, device, a, error);
  if (lhs == EvalStatus::Error)
    return lhs;
  EvalStatus rhs = evalNode(fn, node.rhs, args, device, b, error);
  if (rhs != EvalStatus::Ok)
    return rhs;
  if (lhs != EvalStatus::Ok)
    return lhs;

  auto failed = [&](const char *what) {
    error = std::string(what) + " in " + opName(node.op) + "(" +
            std::to_string(a) + ", " + std::to_string(b) + ")";
    return EvalStatus::Error;
  };
  switch (node.op) {
  case ExprNode::Op::Add:
    return __builtin_add_overflow(a, b, &out) ? failed("integer overflow")
                                              : EvalStatus::Ok;
  case ExprNode::Op::Sub:
    return __builtin_sub_overflow(a, b, &out) ? failed("integer overflow")
                                              : EvalStatus::Ok;
  case ExprNode::Op::Mul:
    return __builtin_mul_overflow(a, b, &out) ? failed("integer overflow")
                                              : EvalStatus::Ok;
  case ExprNode::Op::Div:
  case ExprNode::Op::CeilDiv:
  case ExprNode::Op::Rem:
    if (a < 0 || b < 0)
      return failed("negative operand");
    if (b == 0)
      return failed("division by zero");
    if (node.op == ExprNode::Op::Div)
      out = a / b;
    else if (node.op == ExprNode::Op::Rem)
      out = a % b;
    else
      out = a / b + (a % b != 0); // cannot overflow, unlike (a + b - 1) / b
    return EvalStatus::Ok;
  case ExprNode::Op::Min:
    out = a < b ? a : b;
    return EvalStatus::Ok;
  case ExprNode::Op::Max:
    out = a < b ? b : a;
    return EvalStatus::Ok;
  case ExprNode::Op::Eq:
    out = a == b;
    return EvalStatus::Ok;
  case ExprNode::Op::Ne:
    out = a != b;
    return EvalStatus::Ok;
  case ExprNode::Op::Lt:
    out = a < b;
    return EvalStatus::Ok;
  case ExprNode::Op::Le:
    out = a <= b;
    return EvalStatus::Ok;
  case ExprNode::Op::Gt:
    out = a > b;
    return EvalStatus::Ok;
  case ExprNode::Op::Ge:
    out = a >= b;
    return EvalStatus::Ok;
  default:
    return failed("corrupt expression");
  }
}

/// Reads manifest JSON into the model, checking every type and index. Each
/// message starts with the JSON path of the offending value.
class ManifestParser {
public:
  explicit ManifestParser(std::string &error) : error(error) {}

  bool parse(const json &root, Manifest &manifest);

private:
  bool fail(const std::string &path, const std::string &message) {
    // Deep expressions make long paths: keep their two ends.
    std::string where = path.empty() ? std::string("manifest") : path;
    if (where.size() > 160)
      where = where.substr(0, 80) + "..." + where.substr(where.size() - 60);
    error = where + ": " + message;
    return false;
  }
  bool expect(const json &value, bool ok, const std::string &path,
              const char *what) {
    if (ok)
      return true;
    return fail(path,
                std::string("expected ") + what + ", got " + describe(value));
  }
  /// The member `key` of `object`; null (after setting the error) when a
  /// required one is missing.
  const json *member(const json &object, const char *key,
                     const std::string &path, bool required = true) {
    auto it = object.find(key);
    if (it != object.end())
      return &*it;
    if (required)
      fail(path, std::string("missing key '") + key + "'");
    return nullptr;
  }
  bool getInt(const json &value, const std::string &path, int64_t &out);
  bool getIntInRange(const json &value, const std::string &path, int64_t lo,
                     int64_t hi, int64_t &out);
  bool getString(const json &value, const std::string &path, std::string &out,
                 bool nonEmpty = true);
  bool getArray(const json &value, const std::string &path, size_t minSize,
                size_t maxSize);
  bool getFileName(const json &object, const char *key, const std::string &path,
                   bool required, std::string &out);
  bool parseArch(const json &value, const std::string &path, Arch &arch);
  bool parseFunction(const json &value, const std::string &path, Function &fn);
  bool parseShape(const json &value, const std::string &path,
                  std::vector<int64_t> &shape);
  bool parseExpr(Function &fn, const json &value, const std::string &path,
                 int depth, ExprId &out);
  /// An expression root: parsed, and evaluated now if it uses no extents,
  /// so that `div(1, 0)` is a load error rather than a launch error.
  /// Result extents and checks may not read the device: they are
  /// evaluated before there is one.
  bool parseRoot(Function &fn, const json &value, const std::string &path,
                 ExprId &out, int64_t lo, int64_t hi, bool allowDevice = true);
  bool parseLaunchItems(Function &fn, const json &value,
                        const std::string &path, int depth,
                        std::vector<LaunchItem> &items);
  bool parseLaunch(Function &fn, const json &value, const std::string &path,
                   Launch &launch);
  bool parseParam(Function &fn, const json &value, const std::string &path,
                  Param &param);
  bool parseTensorMap(Function &fn, const json &value, const std::string &path,
                      TensorMapSpec &map);
  /// `{"buffer": i}`'s operand: an arg or result index of `fn`.
  bool parseBufferIndex(const Function &fn, const json &value,
                        const std::string &path, int32_t &buffer);
  /// `{"workspace": 0}`'s operand, in a function that declares one.
  bool parseWorkspaceIndex(const Function &fn, const json &value,
                           const std::string &path);
  /// The member "dtype" of `object`.
  bool getDType(const json &object, const std::string &where, DType &dtype);

  std::string &error;
};

bool ManifestParser::getInt(const json &value, const std::string &path,
                            int64_t &out) {
  if (const auto *u = value.get_ptr<const json::number_unsigned_t *>()) {
    if (*u > uint64_t(std::numeric_limits<int64_t>::max()))
      return fail(path,
                  "integer " + std::to_string(*u) + " does not fit in 64 bits");
    out = int64_t(*u);
    return true;
  }
  if (const auto *i = value.get_ptr<const json::number_integer_t *>()) {
    out = *i;
    return true;
  }
  return expect(value, false, path, "an integer");
}

bool ManifestParser::getIntInRange(const json &value, const std::string &path,
                                   int64_t lo, int64_t hi, int64_t &out) {
  if (!getInt(value, path, out))
    return false;
  if (out < lo || out > hi)
    return fail(path, std::to_string(out) + " is out of range [" +
                          std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return true;
}

bool ManifestParser::getString(const json &value, const std::string &path,
                               std::string &out, bool nonEmpty) {
  const auto *s = value.get_ptr<const json::string_t *>();
  if (!expect(value, s, path, "a string"))
    return false;
  if (nonEmpty && s->empty())
    return fail(path, "expected a non-empty string");
  out = *s;
  return true;
}

bool ManifestParser::getArray(const json &value, const std::string &path,
                              size_t minSize, size_t maxSize) {
  if (!expect(value, value.is_array(), path, "an array"))
    return false;
  if (value.size() < minSize || value.size() > maxSize) {
    std::string want = minSize == maxSize ? std::to_string(minSize)
                                          : std::to_string(minSize) + " to " +
                                                std::to_string(maxSize);
    return fail(path, "expected " + want + " entries, got " +
                          std::to_string(value.size()));
  }
  return true;
}

bool ManifestParser::getFileName(const json &object, const char *key,
                                 const std::string &path, bool required,
                                 std::string &out) {
  const json *value = member(object, key, path, required);
  if (!value)
    return !required;
  std::string where = path.empty() ? key : path + "." + key;
  if (!getString(*value, where, out))
    return false;
  // The manifest names files of its bundle, nothing elsewhere.
  std::filesystem::path name(out);
  if (name.is_absolute() || out.find('\0') != std::string::npos)
    return fail(where, "'" + out + "' is not a path inside the bundle");
  for (const auto &part : name)
    if (part == "..")
      return fail(where, "'" + out + "' is not a path inside the bundle");
  return true;
}

bool ManifestParser::parseArch(const json &value, const std::string &path,
                               Arch &arch) {
  if (!getString(value, path, arch.name))
    return false;
  const std::string &name = arch.name;
  size_t end = name.size();
  arch.exact = end > 0 && name[end - 1] == 'a';
  if (arch.exact)
    --end;
  bool ok = name.compare(0, 3, "sm_") == 0 && end >= 5 && end <= 6;
  int number = 0;
  for (size_t i = 3; ok && i < end; ++i) {
    ok = name[i] >= '0' && name[i] <= '9';
    number = number * 10 + (name[i] - '0');
  }
  if (!ok || number < 10)
    return fail(path, "unsupported arch '" + name +
                          "' (expected sm_<NN> or sm_<NN>a, e.g. sm_90a or "
                          "sm_80)");
  arch.major = number / 10;
  arch.minor = number % 10;
  return true;
}

bool ManifestParser::parseShape(const json &value, const std::string &path,
                                std::vector<int64_t> &shape) {
  if (!getArray(value, path, 0, kMaxRank))
    return false;
  for (size_t d = 0; d < value.size(); ++d) {
    std::string where = path + "[" + std::to_string(d) + "]";
    if (value[d].is_null()) {
      shape.push_back(kDynamic);
      continue;
    }
    int64_t extent;
    if (!value[d].is_number_integer())
      return expect(value[d], false, where, "an extent (integer or null)");
    if (!getInt(value[d], where, extent))
      return false;
    if (extent < 0)
      return fail(where, "negative extent " + std::to_string(extent));
    shape.push_back(extent);
  }
  return true;
}

bool ManifestParser::parseExpr(Function &fn, const json &value,
                               const std::string &path, int depth,
                               ExprId &out) {
  if (depth > kMaxExprDepth)
    return fail(path, "expression nested deeper than " +
                          std::to_string(kMaxExprDepth) + " levels");
  ExprNode node;
  if (value.is_number_integer()) {
    if (!getInt(value, path, node.value))
      return false;
  } else if (value.is_object() && value.size() == 1) {
    const std::string &key = value.begin().key();
    const json &operands = value.begin().value();
    std::string where = path + "." + key;
    if (key == "dim") {
      if (!getArray(operands, where, 2, 2))
        return false;
      int64_t arg, dim;
      if (!getInt(operands[0], where + "[0]", arg) ||
          !getInt(operands[1], where + "[1]", dim))
        return false;
      if (arg < 0 || size_t(arg) >= fn.args.size())
        return fail(where + "[0]", "arg " + std::to_string(arg) +
                                       " is out of range (the function has " +
                                       std::to_string(fn.args.size()) +
                                       " args)");
      int64_t rank = int64_t(fn.args[arg].shape.size());
      if (dim < 0 || dim >= rank)
        return fail(where + "[1]", "dim " + std::to_string(dim) +
                                       " is out of range for arg " +
                                       std::to_string(arg) + " of rank " +
                                       std::to_string(rank));
      node.op = ExprNode::Op::Dim;
      node.arg = int32_t(arg);
      node.dim = int32_t(dim);
    } else if (key == "device") {
      std::string name;
      if (!getString(operands, where, name))
        return false;
      const AttributeInfo *info = nullptr;
      for (const AttributeInfo &entry : kDeviceAttributes)
        if (name == entry.name)
          info = &entry;
      if (!info)
        return fail(where, "unknown device attribute '" + name +
                               "' (expected multiprocessor_count)");
      node.op = ExprNode::Op::Device;
      node.attribute = info->attribute;
    } else {
      const OpInfo *info = nullptr;
      for (const OpInfo &entry : kBinaryOps)
        if (key == entry.name)
          info = &entry;
      if (!info)
        return fail(path, "unknown expression op '" + key +
                              "' (expected dim, device, add, sub, mul, div, "
                              "ceildiv, rem, min, max, eq, ne, lt, le, gt or "
                              "ge)");
      if (!getArray(operands, where, 2, 2))
        return false;
      node.op = info->op;
      // Operands go into the pool first: an id is always larger than its
      // operands', so the pool has no cycles.
      if (!parseExpr(fn, operands[0], where + "[0]", depth + 1, node.lhs) ||
          !parseExpr(fn, operands[1], where + "[1]", depth + 1, node.rhs))
        return false;
    }
  } else if (value.is_object()) {
    return fail(path, "an expression object has exactly one key, got " +
                          std::to_string(value.size()));
  } else {
    return expect(value, false, path,
                  "an expression (an integer or a one-key object)");
  }
  if (fn.exprs.size() >= size_t(std::numeric_limits<ExprId>::max()))
    return fail(path, "too many expressions");
  out = ExprId(fn.exprs.size());
  fn.exprs.push_back(node);
  return true;
}

bool usesDevice(const Function &fn, ExprId id) {
  const ExprNode &node = fn.exprs[id];
  if (node.op == ExprNode::Op::Device)
    return true;
  return node.lhs >= 0 &&
         (usesDevice(fn, node.lhs) || usesDevice(fn, node.rhs));
}

bool ManifestParser::parseRoot(Function &fn, const json &value,
                               const std::string &path, ExprId &out, int64_t lo,
                               int64_t hi, bool allowDevice) {
  if (!parseExpr(fn, value, path, 1, out))
    return false;
  if (!allowDevice && usesDevice(fn, out))
    return fail(path, "result extents and checks cannot read the device");
  int64_t constant;
  std::string message;
  switch (evalNode(fn, out, nullptr, nullptr, constant, message)) {
  case EvalStatus::Error:
    return fail(path, message);
  case EvalStatus::Ok:
    if (constant < lo || constant > hi)
      return fail(path, std::to_string(constant) + " is out of range [" +
                            std::to_string(lo) + ", " + std::to_string(hi) +
                            "]");
    return true;
  case EvalStatus::Unknown:
    return true;
  }
  return true;
}

bool ManifestParser::parseBufferIndex(const Function &fn, const json &value,
                                      const std::string &path,
                                      int32_t &buffer) {
  int64_t index;
  if (!getInt(value, path, index))
    return false;
  if (index < 0 || size_t(index) >= fn.numBuffers())
    return fail(path, "buffer " + std::to_string(index) +
                          " is out of range (the function has " +
                          std::to_string(fn.args.size()) + " args and " +
                          std::to_string(fn.results.size()) + " results)");
  buffer = int32_t(index);
  return true;
}

bool ManifestParser::parseWorkspaceIndex(const Function &fn, const json &value,
                                         const std::string &path) {
  int64_t index;
  if (!getInt(value, path, index))
    return false;
  if (fn.workspaceBytes < 0)
    return fail(path, "the function declares no workspace_bytes");
  if (index != 0)
    return fail(path, "workspace " + std::to_string(index) +
                          " is out of range (a function has one)");
  return true;
}

bool ManifestParser::parseParam(Function &fn, const json &value,
                                const std::string &path, Param &param) {
  if (!expect(value, value.is_object(), path, "a param object"))
    return false;
  if (value.size() != 1)
    return fail(path, "a param object has exactly one key (buffer, i64, i32, "
                      "f32, workspace or tensor_map), got " +
                          std::to_string(value.size()));
  const std::string &key = value.begin().key();
  const json &operand = value.begin().value();
  std::string where = path + "." + key;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  if (key == "buffer") {
    param.kind = Param::Kind::Buffer;
    return parseBufferIndex(fn, operand, where, param.buffer);
  }
  if (key == "workspace") {
    param.kind = Param::Kind::Workspace;
    return parseWorkspaceIndex(fn, operand, where);
  }
  if (key == "i64") {
    param.kind = Param::Kind::I64;
    return parseRoot(fn, operand, where, param.expr, -kMax - 1, kMax);
  }
  if (key == "i32") {
    param.kind = Param::Kind::I32;
    return parseRoot(fn, operand, where, param.expr,
                     std::numeric_limits<int32_t>::min(),
                     std::numeric_limits<int32_t>::max());
  }
  if (key == "f32") {
    if (!expect(operand, operand.is_number(), where, "a number"))
      return false;
    double number = 0;
    if (const auto *f = operand.get_ptr<const json::number_float_t *>())
      number = *f;
    else if (const auto *u = operand.get_ptr<const json::number_unsigned_t *>())
      number = double(*u);
    else if (const auto *i = operand.get_ptr<const json::number_integer_t *>())
      number = double(*i);
    if (!std::isfinite(number) || std::fabs(number) > double(FLT_MAX))
      return fail(where, "value is not a finite f32");
    param.kind = Param::Kind::F32;
    param.f32 = float(number);
    return true;
  }
  if (key == "tensor_map") {
    TensorMapSpec map;
    if (!parseTensorMap(fn, operand, where, map))
      return false;
    param.kind = Param::Kind::TensorMap;
    param.tensorMap = int32_t(fn.tensorMaps.size());
    fn.tensorMaps.push_back(std::move(map));
    return true;
  }
  return fail(path, "unknown param kind '" + key +
                        "' (expected buffer, i64, i32, f32, workspace or "
                        "tensor_map)");
}

bool ManifestParser::parseTensorMap(Function &fn, const json &value,
                                    const std::string &path,
                                    TensorMapSpec &map) {
  if (!expect(value, value.is_object(), path, "a tensor_map object"))
    return false;
  static const char *const kKeys[] = {"buffer", "workspace", "dtype",
                                      "offset", "dims",      "strides",
                                      "box",    "swizzle"};
  for (auto it = value.begin(); it != value.end(); ++it)
    if (std::find_if(std::begin(kKeys), std::end(kKeys), [&](const char *k) {
          return it.key() == k;
        }) == std::end(kKeys))
      return fail(path, "unknown key '" + it.key() + "'");
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

  // What it maps: a buffer (whose dtype it takes) or the workspace (which
  // names one).
  const json *buffer = member(value, "buffer", path, false);
  const json *workspace = member(value, "workspace", path, false);
  if (bool(buffer) == bool(workspace))
    return fail(path, "a tensor_map names exactly one of 'buffer' and "
                      "'workspace'");
  if (buffer) {
    if (!parseBufferIndex(fn, *buffer, path + ".buffer", map.buffer))
      return false;
    if (member(value, "dtype", path, false))
      return fail(path + ".dtype", "a buffer's map takes the buffer's dtype");
    size_t index = size_t(map.buffer);
    map.dtype = index < fn.args.size()
                    ? fn.args[index].dtype
                    : fn.results[index - fn.args.size()].dtype;
  } else if (!parseWorkspaceIndex(fn, *workspace, path + ".workspace") ||
             !getDType(value, path, map.dtype)) {
    return false;
  }
  if (const json *offset = member(value, "offset", path, false)) {
    if (!parseRoot(fn, *offset, path + ".offset", map.offset, 0, kMax))
      return false;
  }

  const json *dims = member(value, "dims", path);
  const json *strides = member(value, "strides", path);
  const json *box = member(value, "box", path);
  if (!dims || !strides || !box ||
      !getArray(*dims, path + ".dims", 1, kMaxTensorMapRank))
    return false;
  const size_t rank = dims->size();
  if (!getArray(*strides, path + ".strides", rank - 1, rank - 1) ||
      !getArray(*box, path + ".box", rank, rank))
    return false;
  map.dims.resize(rank);
  map.strides.resize(rank - 1);
  map.box.resize(rank);
  for (size_t d = 0; d < rank; ++d) {
    std::string at = "[" + std::to_string(d) + "]";
    int64_t extent;
    if (!parseRoot(fn, (*dims)[d], path + ".dims" + at, map.dims[d], 1,
                   int64_t(1) << 32) ||
        !getIntInRange((*box)[d], path + ".box" + at, 1, 256, extent))
      return false;
    map.box[d] = uint32_t(extent);
    if (d + 1 < rank && !parseRoot(fn, (*strides)[d], path + ".strides" + at,
                                   map.strides[d], 1, (int64_t(1) << 40) - 1))
      return false;
  }

  int64_t swizzle = 0;
  if (const json *field = member(value, "swizzle", path, false))
    if (!getInt(*field, path + ".swizzle", swizzle))
      return false;
  if (swizzle != 0 && swizzle != 32 && swizzle != 64 && swizzle != 128)
    return fail(path + ".swizzle", std::to_string(swizzle) +
                                       " is not a swizzle span (expected 0, "
                                       "32, 64 or 128)");
  map.swizzle = uint32_t(swizzle);
  // The copy engine's rules for the innermost box row.
  const int64_t rowBytes = int64_t(map.box[0]) * int64_t(dtypeSize(map.dtype));
  if (rowBytes % 16 != 0)
    return fail(path + ".box[0]", "a box row of " + std::to_string(rowBytes) +
                                      " bytes is not a multiple of 16");
  if (swizzle != 0 && rowBytes > swizzle)
    return fail(path + ".box[0]", "a box row of " + std::to_string(rowBytes) +
                                      " bytes exceeds the " +
                                      std::to_string(swizzle) +
                                      "-byte swizzle span");
  return true;
}

bool ManifestParser::parseLaunch(Function &fn, const json &value,
                                 const std::string &path, Launch &launch) {
  launch.path = path;
  const json *kernel = member(value, "kernel", path);
  if (!kernel || !getString(*kernel, path + ".kernel", launch.kernel))
    return false;

  const json *grid = member(value, "grid", path);
  if (!grid || !getArray(*grid, path + ".grid", 3, 3))
    return false;
  // Grid limits of every CUDA device since compute capability 3.0.
  const int64_t gridMax[3] = {(int64_t(1) << 31) - 1, 65535, 65535};
  for (int i = 0; i < 3; ++i)
    if (!parseRoot(fn, (*grid)[i], path + ".grid[" + std::to_string(i) + "]",
                   launch.grid[i], 0, gridMax[i]))
      return false;

  const json *block = member(value, "block", path);
  if (!block || !getArray(*block, path + ".block", 3, 3))
    return false;
  const int64_t blockMax[3] = {1024, 1024, 64};
  int64_t threads = 1;
  for (int i = 0; i < 3; ++i) {
    int64_t extent;
    if (!getIntInRange((*block)[i], path + ".block[" + std::to_string(i) + "]",
                       1, blockMax[i], extent))
      return false;
    launch.block[i] = uint32_t(extent);
    threads *= extent;
  }
  if (threads > 1024)
    return fail(path + ".block",
                std::to_string(threads) + " threads per block exceed 1024");

  if (const json *shared = member(value, "shared_bytes", path, false)) {
    int64_t bytes;
    if (!getIntInRange(*shared, path + ".shared_bytes", 0,
                       std::numeric_limits<int32_t>::max(), bytes))
      return false;
    launch.sharedBytes = uint32_t(bytes);
  }

  if (const json *early = member(value, "early_launch", path, false)) {
    if (!expect(*early, early->is_boolean(), path + ".early_launch",
                "a boolean"))
      return false;
    launch.earlyLaunch = early->get<bool>();
  }

  const json *params = member(value, "params", path);
  if (!params || !getArray(*params, path + ".params", 0, kMaxBuffers))
    return false;
  launch.params.resize(params->size());
  for (size_t i = 0; i < params->size(); ++i)
    if (!parseParam(fn, (*params)[i],
                    path + ".params[" + std::to_string(i) + "]",
                    launch.params[i]))
      return false;
  return true;
}

bool ManifestParser::getDType(const json &object, const std::string &where,
                              DType &dtype) {
  const json *field = member(object, "dtype", where);
  std::string text;
  if (!field || !getString(*field, where + ".dtype", text))
    return false;
  for (const DTypeInfo &info : kDTypes)
    if (text == info.name) {
      dtype = info.dtype;
      return true;
    }
  return fail(where + ".dtype", "unknown dtype '" + text +
                                    "' (expected f32, f16, bf16, i32 or "
                                    "i64)");
}

bool ManifestParser::parseFunction(const json &value, const std::string &path,
                                   Function &fn) {
  if (!expect(value, value.is_object(), path, "a function object"))
    return false;
  const json *name = member(value, "name", path);
  if (!name || !getString(*name, path + ".name", fn.name))
    return false;

  const json *args = member(value, "args", path);
  const json *results = member(value, "results", path);
  if (!args || !results || !getArray(*args, path + ".args", 0, kMaxBuffers) ||
      !getArray(*results, path + ".results", 0, kMaxBuffers))
    return false;
  if (args->size() + results->size() > kMaxBuffers)
    return fail(path, "more than " + std::to_string(kMaxBuffers) + " buffers");

  fn.args.resize(args->size());
  for (size_t i = 0; i < args->size(); ++i) {
    std::string where = path + ".args[" + std::to_string(i) + "]";
    const json &arg = (*args)[i];
    if (!expect(arg, arg.is_object(), where, "an arg object") ||
        !getDType(arg, where, fn.args[i].dtype))
      return false;
    const json *shape = member(arg, "shape", where);
    if (!shape || !parseShape(*shape, where + ".shape", fn.args[i].shape))
      return false;
  }

  fn.results.resize(results->size());
  for (size_t i = 0; i < results->size(); ++i) {
    std::string where = path + ".results[" + std::to_string(i) + "]";
    const json &result = (*results)[i];
    if (!expect(result, result.is_object(), where, "a result object") ||
        !getDType(result, where, fn.results[i].dtype))
      return false;
    const json *shape = member(result, "shape", where);
    if (!shape || !getArray(*shape, where + ".shape", 0, kMaxRank))
      return false;
    fn.results[i].shape.resize(shape->size());
    for (size_t d = 0; d < shape->size(); ++d)
      if (!parseRoot(
              fn, (*shape)[d], where + ".shape[" + std::to_string(d) + "]",
              fn.results[i].shape[d], 0, std::numeric_limits<int64_t>::max(),
              /*allowDevice=*/false))
        return false;
  }

  if (const json *checks = member(value, "checks", path, false)) {
    if (!getArray(*checks, path + ".checks", 0, 1 << 20))
      return false;
    fn.checks.resize(checks->size());
    for (size_t i = 0; i < checks->size(); ++i) {
      std::string where = path + ".checks[" + std::to_string(i) + "]";
      const json &check = (*checks)[i];
      if (!expect(check, check.is_object(), where, "a check object"))
        return false;
      const json *lhs = member(check, "lhs", where);
      const json *rhs = lhs ? member(check, "rhs", where) : nullptr;
      const json *message = rhs ? member(check, "message", where) : nullptr;
      constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
      if (!message ||
          !parseRoot(fn, *lhs, where + ".lhs", fn.checks[i].lhs, -kMax - 1,
                     kMax, /*allowDevice=*/false) ||
          !parseRoot(fn, *rhs, where + ".rhs", fn.checks[i].rhs, -kMax - 1,
                     kMax, /*allowDevice=*/false) ||
          !getString(*message, where + ".message", fn.checks[i].message,
                     /*nonEmpty=*/false))
        return false;
    }
  }

  if (const json *bytes = member(value, "workspace_bytes", path, false))
    if (!parseRoot(fn, *bytes, path + ".workspace_bytes", fn.workspaceBytes,
                   0, std::numeric_limits<int64_t>::max()))
      return false;

  const json *launches = member(value, "launches", path);
  if (!launches ||
      !parseLaunchItems(fn, *launches, path + ".launches", 0, fn.program))
    return false;
  // Call-time messages name a launch within its function.
  for (Launch &launch : fn.launches)
    launch.path.erase(0, path.size() + 1);
  return true;
}

bool ManifestParser::parseLaunchItems(Function &fn, const json &value,
                                      const std::string &path, int depth,
                                      std::vector<LaunchItem> &items) {
  if (depth > kMaxChoiceDepth)
    return fail(path, "choices nested deeper than " +
                          std::to_string(kMaxChoiceDepth) + " levels");
  if (!getArray(value, path, 0, 1 << 20))
    return false;
  items.resize(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    std::string where = path + "[" + std::to_string(i) + "]";
    const json &entry = value[i];
    LaunchItem &item = items[i];
    if (!expect(entry, entry.is_object(), where,
                "a launch object or an if/then/else object"))
      return false;
    if (const json *condition = member(entry, "if", where, false)) {
      // A choice between launch sequences: {"if": e, "then": [...],
      // "else": [...]}; a non-zero condition takes "then".
      const json *thenItems = member(entry, "then", where);
      if (!thenItems ||
          !parseRoot(fn, *condition, where + ".if", item.condition,
                     std::numeric_limits<int64_t>::min(),
                     std::numeric_limits<int64_t>::max()) ||
          !parseLaunchItems(fn, *thenItems, where + ".then", depth + 1,
                            item.thenItems))
        return false;
      if (const json *elseItems = member(entry, "else", where, false))
        if (!parseLaunchItems(fn, *elseItems, where + ".else", depth + 1,
                              item.elseItems))
          return false;
      continue;
    }
    if (fn.launches.size() >= (1 << 20))
      return fail(where, "too many launches");
    item.launch = int32_t(fn.launches.size());
    fn.launches.emplace_back();
    if (!parseLaunch(fn, entry, where, fn.launches.back()))
      return false;
  }
  return true;
}

bool ManifestParser::parse(const json &root, Manifest &manifest) {
  if (!expect(root, root.is_object(), "", "a JSON object"))
    return false;
  // The format first: a newer manifest gets this message rather than one
  // about a key it renamed.
  const json *format = member(root, "format", "");
  if (!format || !getInt(*format, "format", manifest.format))
    return false;
  if (manifest.format != kManifestFormat)
    return fail("format", "unsupported manifest format " +
                              std::to_string(manifest.format) +
                              " (this runtime reads format " +
                              std::to_string(kManifestFormat) + ")");

  const json *arch = member(root, "arch", "");
  if (!arch || !parseArch(*arch, "arch", manifest.arch))
    return false;
  for (auto [key, field] : {std::pair{"loom_version", &manifest.loomVersion},
                            std::pair{"llvm_version", &manifest.llvmVersion},
                            std::pair{"ptxas_version", &manifest.ptxasVersion}})
    if (const json *value = member(root, key, "", false))
      if (!getString(*value, key, *field, /*nonEmpty=*/false))
        return false;
  if (!getFileName(root, "cubin", "", /*required=*/true, manifest.cubin) ||
      !getFileName(root, "ptx", "", /*required=*/false, manifest.ptx))
    return false;

  const json *functions = member(root, "functions", "");
  if (!functions || !getArray(*functions, "functions", 0, 1 << 20))
    return false;
  manifest.functions.resize(functions->size());
  std::set<std::string> names;
  for (size_t i = 0; i < functions->size(); ++i) {
    std::string path = "functions[" + std::to_string(i) + "]";
    Function &fn = manifest.functions[i];
    if (!parseFunction((*functions)[i], path, fn))
      return false;
    if (!names.insert(fn.name).second)
      return fail(path + ".name", "duplicate function name '" + fn.name + "'");
  }
  return true;
}

/// Only used to word a syntax error: the DOM parse already failed.
class ErrorSax : public nlohmann::json_sax<json> {
public:
  std::string message;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t &) override { return true; }
  bool string(string_t &) override { return true; }
  bool binary(binary_t &) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t &) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string &,
                   const nlohmann::detail::exception &ex) override {
    // "[json.exception.parse_error.101] parse error at line 1, ..."
    message = ex.what();
    size_t bracket = message.find("] ");
    if (message.compare(0, 1, "[") == 0 && bracket != std::string::npos)
      message.erase(0, bracket + 2);
    return false;
  }
};

bool readFile(const std::string &path, std::string &contents, size_t limit,
              std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(error, path + ": cannot open file");
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  if (size < 0 || uint64_t(size) > limit)
    return fail(error, path + ": " +
                           (size < 0 ? std::string("cannot read the file size")
                                     : "larger than " + std::to_string(limit) +
                                           " bytes"));
  in.seekg(0, std::ios::beg);
  contents.resize(size_t(size));
  in.read(contents.data(), size);
  if (!in)
    return fail(error, path + ": read error");
  return true;
}

} // namespace

const char *loom::runtime::dtypeName(DType dtype) {
  for (const DTypeInfo &info : kDTypes)
    if (info.dtype == dtype)
      return info.name;
  return "?";
}

size_t loom::runtime::dtypeSize(DType dtype) {
  for (const DTypeInfo &info : kDTypes)
    if (info.dtype == dtype)
      return info.size;
  return 0;
}

bool loom::runtime::isValidDType(int32_t value) {
  return value >= int32_t(DType::F32) && value <= int32_t(DType::I64);
}

const Function *Manifest::find(std::string_view name) const {
  for (const Function &fn : functions)
    if (fn.name == name)
      return &fn;
  return nullptr;
}

bool loom::runtime::parseManifest(std::string_view text, Manifest &manifest,
                                  std::string &error) {
  json root = json::parse(text.begin(), text.end(), /*cb=*/nullptr,
                          /*allow_exceptions=*/false);
  if (root.is_discarded()) {
    ErrorSax sax;
    json::sax_parse(text.begin(), text.end(), &sax);
    return fail(error, "invalid JSON: " + (sax.message.empty()
                                               ? std::string("syntax error")
                                               : sax.message));
  }
  manifest = Manifest();
  return ManifestParser(error).parse(root, manifest);
}

bool loom::runtime::readBundle(const std::string &path, BundleFiles &bundle,
                               std::string &error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    bundle.directory = path;
    bundle.manifestPath = (fs::path(path) / "manifest.json").string();
  } else {
    bundle.manifestPath = path;
    bundle.directory = fs::path(path).parent_path().string();
    if (bundle.directory.empty())
      bundle.directory = ".";
  }
  std::string text;
  if (!readFile(bundle.manifestPath, text, kMaxManifestBytes, error))
    return false;
  if (!parseManifest(text, bundle.manifest, error)) {
    error = bundle.manifestPath + ": " + error;
    return false;
  }
  auto readImage = [&](const std::string &name, const char *key,
                       std::string &contents) {
    std::string file = (fs::path(bundle.directory) / name).string();
    if (!readFile(file, contents, std::numeric_limits<int32_t>::max(), error)) {
      error += std::string(" (the manifest's \"") + key + "\")";
      return false;
    }
    if (contents.empty())
      return fail(error,
                  file + ": empty file (the manifest's \"" + key + "\")");
    return true;
  };
  if (!readImage(bundle.manifest.cubin, "cubin", bundle.cubin))
    return false;
  if (!bundle.manifest.ptx.empty() &&
      !readImage(bundle.manifest.ptx, "ptx", bundle.ptx))
    return false;
  // The driver reads PTX up to its terminating NUL.
  if (bundle.ptx.find('\0') != std::string::npos)
    return fail(error,
                (fs::path(bundle.directory) / bundle.manifest.ptx).string() +
                    ": PTX text holds a NUL byte");
  return true;
}

//===----------------------------------------------------------------------===//
// Evaluation
//===----------------------------------------------------------------------===//

namespace {

std::string printShape(DType dtype, const std::vector<int64_t> &dims,
                       bool dynamicMarks) {
  std::string text = std::string(dtypeName(dtype)) + "[";
  for (size_t d = 0; d < dims.size(); ++d) {
    text += d ? ", " : "";
    text += dynamicMarks && dims[d] == kDynamic ? "?" : std::to_string(dims[d]);
  }
  return text + "]";
}

} // namespace

bool loom::runtime::byteSize(const BufferShape &shape, int64_t &bytes) {
  bytes = int64_t(dtypeSize(shape.dtype));
  for (int64_t dim : shape.dims)
    if (__builtin_mul_overflow(bytes, dim, &bytes))
      return false;
  return true;
}

bool loom::runtime::evaluate(const Function &fn, ExprId expr,
                             const std::vector<BufferShape> &args,
                             const DeviceInfo *device, int64_t &value,
                             std::string &error) {
  if (expr < 0 || size_t(expr) >= fn.exprs.size())
    return fail(error, "invalid expression id");
  switch (evalNode(fn, expr, &args, device, value, error)) {
  case EvalStatus::Ok:
    return true;
  case EvalStatus::Error:
    return false;
  case EvalStatus::Unknown:
    return fail(error, "reads the device, which is not known yet");
  }
  return false;
}

bool loom::runtime::checkArgs(const Function &fn,
                              const std::vector<BufferShape> &args,
                              std::string &error) {
  if (args.size() != fn.args.size())
    return fail(error, "'" + fn.name + "' takes " +
                           std::to_string(fn.args.size()) + " args, " +
                           std::to_string(args.size()) + " were given");
  for (size_t i = 0; i < args.size(); ++i) {
    const ArgSpec &spec = fn.args[i];
    const BufferShape &arg = args[i];
    // Messages are built on failure only: this runs on every launch.
    auto prefix = [&] { return "arg " + std::to_string(i); };
    auto mismatch = [&](const std::string &what) {
      return fail(error, what + " (expected " +
                             printShape(spec.dtype, spec.shape, true) +
                             ", got " + printShape(arg.dtype, arg.dims, false) +
                             ")");
    };
    if (arg.dtype != spec.dtype)
      return mismatch(prefix() + ": dtype " + dtypeName(arg.dtype) +
                      " does not match " + dtypeName(spec.dtype));
    if (arg.dims.size() != spec.shape.size())
      return mismatch(prefix() + ": rank " + std::to_string(arg.dims.size()) +
                      " does not match " + std::to_string(spec.shape.size()));
    for (size_t d = 0; d < arg.dims.size(); ++d) {
      auto where = [&] { return prefix() + " dim " + std::to_string(d); };
      if (arg.dims[d] < 0)
        return fail(error, where() + ": negative extent " +
                               std::to_string(arg.dims[d]));
      if (spec.shape[d] != kDynamic && arg.dims[d] != spec.shape[d])
        return mismatch(where() + ": extent " + std::to_string(arg.dims[d]) +
                        " does not match " + std::to_string(spec.shape[d]));
    }
    int64_t bytes;
    if (!byteSize(arg, bytes))
      return fail(error, prefix() + ": " +
                             printShape(arg.dtype, arg.dims, false) +
                             " is too large (its size in bytes overflows)");
  }
  for (const Check &check : fn.checks) {
    int64_t lhs, rhs;
    std::string message;
    if (!evaluate(fn, check.lhs, args, nullptr, lhs, message) ||
        !evaluate(fn, check.rhs, args, nullptr, rhs, message))
      return fail(error, "check '" + check.message + "': " + message);
    if (lhs == rhs)
      continue;
    auto show = [&](ExprId id, int64_t value) {
      std::string text = std::to_string(value);
      if (fn.exprs[id].op == ExprNode::Op::Constant)
        return text;
      return printExpr(fn, id) + " = " + text;
    };
    return fail(error, "check failed: " + check.message + " (" +
                           show(check.lhs, lhs) +
                           " != " + show(check.rhs, rhs) + ")");
  }
  return true;
}

bool loom::runtime::resultShapes(const Function &fn,
                                 const std::vector<BufferShape> &args,
                                 std::vector<BufferShape> &results,
                                 std::string &error) {
  results.assign(fn.results.size(), BufferShape());
  for (size_t r = 0; r < fn.results.size(); ++r) {
    const ResultSpec &spec = fn.results[r];
    results[r].dtype = spec.dtype;
    results[r].dims.resize(spec.shape.size());
    for (size_t d = 0; d < spec.shape.size(); ++d) {
      auto where = [&] {
        return "result " + std::to_string(r) + " dim " + std::to_string(d) +
               " = " + printExpr(fn, spec.shape[d]);
      };
      int64_t &extent = results[r].dims[d];
      std::string message;
      if (!evaluate(fn, spec.shape[d], args, nullptr, extent, message))
        return fail(error, where() + ": " + message);
      if (extent < 0)
        return fail(error,
                    where() + " is negative (" + std::to_string(extent) + ")");
    }
    int64_t bytes;
    if (!byteSize(results[r], bytes))
      return fail(error, "result " + std::to_string(r) + ": " +
                             printShape(spec.dtype, results[r].dims, false) +
                             " is too large (its size in bytes overflows)");
  }
  return true;
}

namespace {

/// Walks a function's launch items for one call.
class Planner {
public:
  Planner(const Function &fn, const std::vector<BufferShape> &args,
          const DeviceInfo *device, std::vector<LaunchPlan> &plans,
          std::string &error)
      : fn(fn), args(args), device(device), plans(plans), error(error) {}

  bool complete = true;

  bool walk(const std::vector<LaunchItem> &items) {
    for (const LaunchItem &item : items) {
      if (item.launch >= 0) {
        if (!plan(item.launch))
          return false;
        continue;
      }
      int64_t condition;
      std::string message;
      switch (evalNode(fn, item.condition, &args, device, condition, message)) {
      case EvalStatus::Error:
        return fail(error, "the choice " + printExpr(fn, item.condition) +
                               ": " + message);
      case EvalStatus::Unknown:
        // Decided once the device is known.
        complete = false;
        continue;
      case EvalStatus::Ok:
        if (!walk(condition ? item.thenItems : item.elseItems))
          return false;
        break;
      }
    }
    return true;
  }

private:
  bool plan(int32_t index) {
    const Launch &launch = fn.launches[index];
    LaunchPlan plan;
    plan.launch = &launch;
    plan.index = index;
    // Messages are built on failure only: this runs on every launch.
    auto prefix = [&] {
      return launch.path + " (kernel '" + launch.kernel + "')";
    };
    const int64_t gridLimit[3] = {int64_t(1) << 31, 65536, 65536};
    const char *axis[3] = {"x", "y", "z"};
    for (int i = 0; i < 3; ++i) {
      int64_t extent;
      std::string message;
      auto where = [&] {
        return prefix() + " grid " + axis[i] + " = " +
               printExpr(fn, launch.grid[i]);
      };
      switch (evalNode(fn, launch.grid[i], &args, device, extent, message)) {
      case EvalStatus::Error:
        return fail(error, where() + ": " + message);
      case EvalStatus::Unknown:
        complete = false;
        return true;
      case EvalStatus::Ok:
        break;
      }
      if (extent < 0 || extent >= gridLimit[i])
        return fail(error, where() + " = " + std::to_string(extent) +
                               " is out of range [0, " +
                               std::to_string(gridLimit[i]) + ")");
      plan.grid[i] = uint32_t(extent);
      plan.skip |= extent == 0;
    }
    // An empty grid launches nothing; its params may not even be defined
    // (a division by an extent that is 0).
    if (plan.skip) {
      plans.push_back(std::move(plan));
      return true;
    }
    plan.values.resize(launch.params.size());
    for (size_t p = 0; p < launch.params.size(); ++p) {
      const Param &param = launch.params[p];
      int64_t &value = plan.values[p];
      switch (param.kind) {
      case Param::Kind::Buffer:
        value = param.buffer;
        break;
      case Param::Kind::Workspace:
        value = 0;
        break;
      case Param::Kind::F32: {
        uint32_t bits;
        std::memcpy(&bits, &param.f32, sizeof(bits));
        value = bits;
        break;
      }
      case Param::Kind::I64:
      case Param::Kind::I32: {
        std::string message;
        bool i32 = param.kind == Param::Kind::I32;
        auto where = [&] {
          return prefix() + " param " + std::to_string(p) + " (" +
                 (i32 ? "i32" : "i64") + ") = " + printExpr(fn, param.expr);
        };
        switch (evalNode(fn, param.expr, &args, device, value, message)) {
        case EvalStatus::Error:
          return fail(error, where() + ": " + message);
        case EvalStatus::Unknown:
          complete = false;
          return true;
        case EvalStatus::Ok:
          break;
        }
        if (i32 && (value < std::numeric_limits<int32_t>::min() ||
                    value > std::numeric_limits<int32_t>::max()))
          return fail(error, where() + " = " + std::to_string(value) +
                                 " does not fit in i32");
        break;
      }
      case Param::Kind::TensorMap:
        value = int64_t(plan.tensorMaps.size());
        plan.tensorMaps.emplace_back();
        switch (planTensorMap(
            fn.tensorMaps[param.tensorMap], plan.tensorMaps.back(), [&] {
              return prefix() + " param " + std::to_string(p) + " (tensor_map)";
            })) {
        case EvalStatus::Error:
          return false;
        case EvalStatus::Unknown:
          complete = false;
          return true;
        case EvalStatus::Ok:
          break;
        }
        break;
      }
    }
    plans.push_back(std::move(plan));
    return true;
  }

  /// Evaluates a tensor map's offset, extents and strides, and checks them
  /// against the copy engine's rules: extents in [1, 2^32], strides and
  /// offset multiples of 16 bytes, strides below 2^40.
  template <typename Where>
  EvalStatus planTensorMap(const TensorMapSpec &spec,
                           LaunchPlan::TensorMap &map, const Where &where) {
    map.spec = &spec;
    auto eval = [&](ExprId id, const std::string &what, int64_t lo, int64_t hi,
                    int64_t multiple, int64_t &out) {
      std::string message;
      EvalStatus status = evalNode(fn, id, &args, device, out, message);
      if (status == EvalStatus::Error) {
        fail(error,
             where() + " " + what + " = " + printExpr(fn, id) + ": " + message);
      } else if (status == EvalStatus::Ok &&
                 (out < lo || out > hi || out % multiple != 0)) {
        fail(error, where() + " " + what + " = " + printExpr(fn, id) + " = " +
                        std::to_string(out) + " is out of range [" +
                        std::to_string(lo) + ", " + std::to_string(hi) + "]" +
                        (multiple > 1 ? " or not a multiple of " +
                                            std::to_string(multiple)
                                      : std::string()));
        status = EvalStatus::Error;
      }
      return status;
    };
    if (spec.offset >= 0) {
      EvalStatus status =
          eval(spec.offset, "offset", 0, std::numeric_limits<int64_t>::max(),
               16, map.offset);
      if (status != EvalStatus::Ok)
        return status;
    }
    map.dims.resize(spec.dims.size());
    map.strides.resize(spec.strides.size());
    for (size_t d = 0; d < spec.dims.size(); ++d) {
      std::string at = "[" + std::to_string(d) + "]";
      EvalStatus status =
          eval(spec.dims[d], "dims" + at, 1, int64_t(1) << 32, 1, map.dims[d]);
      if (status == EvalStatus::Ok && d < spec.strides.size())
        status = eval(spec.strides[d], "strides" + at, 16,
                      (int64_t(1) << 40) - 1, 16, map.strides[d]);
      if (status != EvalStatus::Ok)
        return status;
    }
    return EvalStatus::Ok;
  }

  const Function &fn;
  const std::vector<BufferShape> &args;
  const DeviceInfo *device;
  std::vector<LaunchPlan> &plans;
  std::string &error;
};

} // namespace

bool loom::runtime::planLaunches(const Function &fn,
                                 const std::vector<BufferShape> &args,
                                 const DeviceInfo *device,
                                 std::vector<LaunchPlan> &plans,
                                 std::string &error, bool *complete) {
  plans.clear();
  Planner planner(fn, args, device, plans, error);
  bool ok = planner.walk(fn.program);
  if (complete)
    *complete = planner.complete;
  return ok;
}

std::string loom::runtime::printExpr(const Function &fn, ExprId expr) {
  if (expr < 0 || size_t(expr) >= fn.exprs.size())
    return "?";
  const ExprNode &node = fn.exprs[expr];
  switch (node.op) {
  case ExprNode::Op::Constant:
    return std::to_string(node.value);
  case ExprNode::Op::Dim:
    return "dim(%" + std::to_string(node.arg) + ", " +
           std::to_string(node.dim) + ")";
  case ExprNode::Op::Device:
    return std::string("device(") + attributeName(node.attribute) + ")";
  default:
    return std::string(opName(node.op)) + "(" + printExpr(fn, node.lhs) + ", " +
           printExpr(fn, node.rhs) + ")";
  }
}

std::string loom::runtime::printSignature(const Function &fn) {
  std::string text = fn.name + "(";
  for (size_t i = 0; i < fn.args.size(); ++i) {
    text += (i ? ", %" : "%") + std::to_string(i) + ": " +
            printShape(fn.args[i].dtype, fn.args[i].shape, true);
  }
  text += ") -> (";
  for (size_t r = 0; r < fn.results.size(); ++r) {
    const ResultSpec &spec = fn.results[r];
    text += (r ? ", %" : "%") + std::to_string(fn.args.size() + r) + ": " +
            dtypeName(spec.dtype) + "[";
    for (size_t d = 0; d < spec.shape.size(); ++d)
      text += (d ? ", " : "") + printExpr(fn, spec.shape[d]);
    text += "]";
  }
  return text + ")";
}
