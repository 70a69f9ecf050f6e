//===- manifest_fuzzer.cpp - Fuzz the bundle manifest loader --------------===//
//
// Parses and validates a manifest, then evaluates every function for a few
// bindings of its dynamic extents (no files, no CUDA), checking what the
// runtime relies on: evaluated extents, grids and params are in range.
//
// Byte-level mutations mostly break the JSON syntax; a custom mutator also
// edits parsed manifests as JSON trees (numbers to boundary values, keys
// and array entries dropped or duplicated, subtrees replaced by
// expressions), so that validation and evaluation get most of the inputs.
//
//===----------------------------------------------------------------------===//

#include "loom/Runtime/Manifest.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>

using namespace loom::runtime;
using json = nlohmann::json;

extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t maxSize);

namespace {

/// A random value that the manifest's validation cares about.
json interestingValue(std::mt19937 &rng) {
  static const int64_t ints[] = {0,
                                 1,
                                 -1,
                                 2,
                                 3,
                                 8,
                                 9,
                                 64,
                                 1024,
                                 1025,
                                 65535,
                                 65536,
                                 49152,
                                 2147483647,
                                 2147483648,
                                 -2147483649,
                                 std::numeric_limits<int64_t>::max(),
                                 std::numeric_limits<int64_t>::min()};
  static const char *strings[] = {"f32",  "f16", "bf16",   "i32",
                                  "i64",  "f64", "sm_90a", "sm_80",
                                  "sm_8", "",    "k",      "main"};
  static const char *ops[] = {"add", "sub", "mul", "div", "ceildiv",
                              "rem", "min", "max", "eq",  "ne",
                              "lt",  "le",  "gt",  "ge",  "pow"};
  switch (rng() % 8) {
  case 0:
  case 1:
  case 2:
    return ints[rng() % (sizeof(ints) / sizeof(ints[0]))];
  case 3:
    return strings[rng() % (sizeof(strings) / sizeof(strings[0]))];
  case 4:
    return json{{"dim", json::array({int64_t(rng() % 3), int64_t(rng() % 5)})}};
  case 5:
    return json{
        {ops[rng() % (sizeof(ops) / sizeof(ops[0]))],
         json::array({json{{"dim", json::array({0, 0})}}, ints[rng() % 8]})}};
  case 6:
    return rng() % 2 ? json(nullptr) : json{{"device", "multiprocessor_count"}};
  default:
    return uint64_t(18446744073709551615ull);
  }
}

/// Edits one node of `root`; false if the tree is too deep to walk.
bool mutateTree(json &root, std::mt19937 &rng) {
  std::vector<json *> nodes;
  std::vector<std::pair<json *, size_t>> stack = {{&root, 0}};
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    if (depth > 200)
      return false; // json::dump recurses
    nodes.push_back(node);
    if (node->is_structured())
      for (json &child : *node)
        stack.push_back({&child, depth + 1});
  }
  json &node = *nodes[rng() % nodes.size()];
  switch (rng() % 4) {
  case 0: // drop or duplicate an entry
    if (node.is_object() && !node.empty()) {
      auto it = node.begin();
      std::advance(it, rng() % node.size());
      node.erase(it);
    } else if (node.is_array() && !node.empty()) {
      size_t i = rng() % node.size();
      if (rng() % 2)
        node.erase(node.begin() + i);
      else
        node.insert(node.begin() + i, json(node[i]));
    } else {
      node = interestingValue(rng);
    }
    return true;
  case 1: // nudge a number
    if (node.is_number_integer()) {
      int64_t value =
          node.is_number_unsigned()
              ? int64_t(node.get_ref<const json::number_unsigned_t &>())
              : node.get_ref<const json::number_integer_t &>();
      node = int64_t(uint64_t(value) + (rng() % 2 ? 1 : uint64_t(-1)));
      return true;
    }
    node = interestingValue(rng);
    return true;
  case 2: // copy another subtree here
    node = json(*nodes[rng() % nodes.size()]);
    return true;
  default:
    node = interestingValue(rng);
    return true;
  }
}

} // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size,
                                          size_t maxSize, unsigned seed) {
  std::mt19937 rng(seed);
  if (rng() % 4 != 0) {
    json root = json::parse(data, data + size, nullptr,
                            /*allow_exceptions=*/false);
    if (!root.is_discarded() && mutateTree(root, rng)) {
      std::string text = root.dump();
      if (text.size() <= maxSize) {
        std::memcpy(data, text.data(), text.size());
        return text.size();
      }
    }
  }
  return LLVMFuzzerMutate(data, size, maxSize);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view text(reinterpret_cast<const char *>(data), size);
  Manifest manifest;
  std::string error;
  if (!parseManifest(text, manifest, error)) {
    if (error.empty())
      __builtin_trap(); // every refusal says why
    return 0;
  }
  // Small, boundary and huge extents for every `null` dim.
  const int64_t extents[] = {0,
                             1,
                             3,
                             64,
                             65536,
                             int64_t(1) << 31,
                             std::numeric_limits<int64_t>::max()};
  for (const Function &fn : manifest.functions) {
    printSignature(fn);
    for (int64_t extent : extents) {
      std::vector<BufferShape> args(fn.args.size());
      for (size_t i = 0; i < args.size(); ++i) {
        args[i].dtype = fn.args[i].dtype;
        for (int64_t dim : fn.args[i].shape)
          args[i].dims.push_back(dim == kDynamic ? extent : dim);
      }
      if (!checkArgs(fn, args, error))
        continue;
      std::vector<BufferShape> results;
      if (resultShapes(fn, args, results, error)) {
        if (results.size() != fn.results.size())
          __builtin_trap();
        for (size_t r = 0; r < results.size(); ++r) {
          if (results[r].dims.size() != fn.results[r].shape.size() ||
              results[r].dtype != fn.results[r].dtype)
            __builtin_trap();
          for (int64_t dim : results[r].dims)
            if (dim < 0)
              __builtin_trap();
        }
      }
      // Before the device is known (as the runtime plans first), then on
      // devices of 1 and 132 multiprocessors.
      const DeviceInfo devices[] = {DeviceInfo{1}, DeviceInfo{132}};
      for (const DeviceInfo *device :
           {(const DeviceInfo *)nullptr, &devices[0], &devices[1]}) {
        std::vector<LaunchPlan> plans;
        bool complete = false;
        if (!planLaunches(fn, args, device, plans, error, &complete))
          continue;
        if (device && !complete)
          __builtin_trap(); // with the device, every choice is decided
        for (const LaunchPlan &plan : plans) {
          if (plan.index < 0 || size_t(plan.index) >= fn.launches.size() ||
              plan.launch != &fn.launches[plan.index])
            __builtin_trap();
          if (plan.grid[0] >= (1u << 31) || plan.grid[1] > 65535 ||
              plan.grid[2] > 65535 ||
              plan.skip != (!plan.grid[0] || !plan.grid[1] || !plan.grid[2]))
            __builtin_trap();
          if (plan.skip)
            continue;
          const Launch &launch = *plan.launch;
          if (plan.values.size() != launch.params.size())
            __builtin_trap();
          for (size_t p = 0; p < launch.params.size(); ++p) {
            int64_t value = plan.values[p];
            switch (launch.params[p].kind) {
            case Param::Kind::Buffer:
              if (value < 0 || size_t(value) >= fn.numBuffers())
                __builtin_trap();
              break;
            case Param::Kind::I32:
              if (value != int64_t(int32_t(value)))
                __builtin_trap();
              break;
            case Param::Kind::Workspace:
              if (fn.workspaceBytes < 0)
                __builtin_trap();
              break;
            case Param::Kind::TensorMap: {
              if (value < 0 || size_t(value) >= plan.tensorMaps.size())
                __builtin_trap();
              const LaunchPlan::TensorMap &map = plan.tensorMaps[value];
              if (map.offset < 0 || map.offset % 16 ||
                  map.dims.size() != map.spec->box.size() ||
                  map.strides.size() + 1 != map.dims.size())
                __builtin_trap();
              for (int64_t dim : map.dims)
                if (dim < 1 || dim > (int64_t(1) << 32))
                  __builtin_trap();
              for (int64_t stride : map.strides)
                if (stride < 16 || stride % 16 || stride >= (int64_t(1) << 40))
                  __builtin_trap();
              break;
            }
            case Param::Kind::I64:
            case Param::Kind::F32:
              break;
            }
          }
        }
      }
    }
  }
  return 0;
}
