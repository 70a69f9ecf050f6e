//===- Runtime.cpp - The Loom GPU runtime (C API) -------------------------===//
//
// A call goes: find the function, check every buffer against the manifest,
// evaluate the checks, result shapes, choices, grids and params, and only
// then touch CUDA: the context current on the calling thread (device 0's
// primary context where there is none), the bundle's module for that
// context (loaded once, with its kernels looked up and their shared memory
// limits raised), the plan again with the device's attributes, then one
// cuLaunchKernel per launch. Nothing on the launch path allocates device
// memory or synchronizes, so that a launch can be captured into a CUDA
// graph once the module is loaded.
//
//===----------------------------------------------------------------------===//

#include "loom-c/Runtime.h"

#include "CudaDriver.h"
#include "loom/Runtime/Manifest.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>

using namespace loom::runtime;
namespace cu = loom::runtime::cuda;

static_assert(LOOM_MAX_RANK == kMaxRank, "LOOM_MAX_RANK and kMaxRank differ");
static_assert(LOOM_F32 == int(DType::F32) && LOOM_F16 == int(DType::F16) &&
                  LOOM_BF16 == int(DType::BF16) &&
                  LOOM_I32 == int(DType::I32) && LOOM_I64 == int(DType::I64),
              "LoomDType and DType differ");

#ifndef LOOM_RUNTIME_VERSION
#define LOOM_RUNTIME_VERSION "unknown"
#endif

namespace {

/// Kernels above this much dynamic shared memory must opt in.
constexpr unsigned kDefaultSharedLimit = 48 * 1024;

/// The bundle's module in one context, with every launch's kernel.
struct LoadedModule {
  cu::CUcontext context = nullptr;
  /// cuCtxGetId where the driver has it: a context created at the address
  /// of a destroyed one is not mistaken for it.
  unsigned long long contextId = 0;
  cu::CUmodule module = nullptr;
  /// What launch plans may read of the context's device.
  DeviceInfo device;
  /// kernels[f][l]: the kernel of launch l of function f.
  std::vector<std::vector<cu::CUfunction>> kernels;
};

} // namespace

struct LoomBundle {
  BundleFiles files;
  std::mutex mutex;
  std::vector<std::unique_ptr<LoadedModule>> modules;
};

namespace {

int report(char *err, size_t errLen, int status, const std::string &message) {
  if (err && errLen > 0) {
    size_t n = std::min(message.size(), errLen - 1);
    std::memcpy(err, message.data(), n);
    err[n] = '\0';
  }
  return status;
}

/// Runs a C entry point's body; no exception (std::bad_alloc) crosses the C
/// boundary.
template <typename Body> int guarded(char *err, size_t errLen, Body &&body) {
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
  try {
    return body();
  } catch (const std::exception &e) {
    return report(err, errLen, LOOM_ERROR_INTERNAL,
                  std::string("internal error: ") + e.what());
  } catch (...) {
    return report(err, errLen, LOOM_ERROR_INTERNAL, "internal error");
  }
#else
  return body();
#endif
}

const Function *findFunction(const LoomBundle *bundle, const char *name,
                             std::string &error) {
  if (!bundle) {
    error = "no bundle (NULL)";
    return nullptr;
  }
  if (!name) {
    error = "no function name (NULL)";
    return nullptr;
  }
  if (const Function *fn = bundle->files.manifest.find(name))
    return fn;
  error = "no function '" + std::string(name) + "' in the bundle (it has";
  const auto &functions = bundle->files.manifest.functions;
  for (size_t i = 0; i < functions.size(); ++i)
    error += (i ? ", '" : " '") + functions[i].name + "'";
  error += functions.empty() ? " none)" : ")";
  return nullptr;
}

/// Copies buffers [begin, end) into shapes, checking what the manifest
/// cannot: a valid dtype and rank and a shape pointer.
bool readShapes(const LoomBuffer *buffers, size_t begin, size_t end,
                std::vector<BufferShape> &shapes, std::string &error) {
  shapes.resize(end - begin);
  for (size_t i = begin; i < end; ++i) {
    const LoomBuffer &buffer = buffers[i];
    auto prefix = [&] { return "buffer " + std::to_string(i); };
    if (!isValidDType(buffer.dtype)) {
      error = prefix() + ": unknown dtype " + std::to_string(buffer.dtype);
      return false;
    }
    if (buffer.rank < 0 || buffer.rank > kMaxRank) {
      error = prefix() + ": rank " + std::to_string(buffer.rank) +
              " is out of range [0, " + std::to_string(kMaxRank) + "]";
      return false;
    }
    if (buffer.rank > 0 && !buffer.shape) {
      error = prefix() + ": rank " + std::to_string(buffer.rank) +
              " but no shape (NULL)";
      return false;
    }
    BufferShape &shape = shapes[i - begin];
    shape.dtype = DType(buffer.dtype);
    shape.dims.assign(buffer.shape, buffer.shape + buffer.rank);
  }
  return true;
}

/// "buffer 4 (result 0)".
std::string bufferName(const Function &fn, size_t i) {
  size_t numArgs = fn.args.size();
  return "buffer " + std::to_string(i) + " (" +
         (i < numArgs ? "arg " + std::to_string(i)
                      : "result " + std::to_string(i - numArgs)) +
         ")";
}

std::string printShape(const BufferShape &shape) {
  std::string text = std::string(dtypeName(shape.dtype)) + "[";
  for (size_t d = 0; d < shape.dims.size(); ++d)
    text += (d ? ", " : "") + std::to_string(shape.dims[d]);
  return text + "]";
}

/// Checks a call's args and computes its result shapes and launch plans:
/// all of a call that depends on its args alone (launches that depend on
/// the device are planned once it is known).
bool bindArgs(const Function &fn, const LoomBuffer *args, int64_t numArgs,
              std::vector<BufferShape> &argShapes,
              std::vector<BufferShape> &results, std::vector<LaunchPlan> &plans,
              std::string &error) {
  if (numArgs < 0 || (numArgs > 0 && !args)) {
    error = "no buffers (NULL) or a negative count";
    return false;
  }
  if (size_t(numArgs) != fn.args.size()) {
    error = "'" + fn.name + "' takes " + std::to_string(fn.args.size()) +
            " args, " + std::to_string(numArgs) + " were given";
    return false;
  }
  return readShapes(args, 0, size_t(numArgs), argShapes, error) &&
         checkArgs(fn, argShapes, error) &&
         resultShapes(fn, argShapes, results, error) &&
         planLaunches(fn, argShapes, /*device=*/nullptr, plans, error);
}

/// Loads the bundle's module into `context` (current on this thread).
bool loadModule(const cu::Driver &driver, const LoomBundle &bundle,
                cu::CUcontext context, LoadedModule &loaded,
                std::string &error) {
  const Manifest &manifest = bundle.files.manifest;
  cu::CUdevice device;
  int major = 0, minor = 0, sharedOptin = 0, multiprocessors = 0;
  if (!cu::check(driver, driver.cuCtxGetDevice(&device), "cuCtxGetDevice",
                 error) ||
      !cu::check(
          driver,
          driver.cuDeviceGetAttribute(
              &major, cu::CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device),
          "cuDeviceGetAttribute", error) ||
      !cu::check(
          driver,
          driver.cuDeviceGetAttribute(
              &minor, cu::CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device),
          "cuDeviceGetAttribute", error) ||
      !cu::check(driver,
                 driver.cuDeviceGetAttribute(
                     &sharedOptin,
                     cu::CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN,
                     device),
                 "cuDeviceGetAttribute", error) ||
      !cu::check(driver,
                 driver.cuDeviceGetAttribute(
                     &multiprocessors,
                     cu::CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, device),
                 "cuDeviceGetAttribute", error))
    return false;
  loaded.device.multiprocessorCount = multiprocessors;

  // sm_90a code runs on 9.0 alone; sm_80 code on 8.0 and later (later
  // majors through the PTX).
  const Arch &arch = manifest.arch;
  bool runs = arch.exact ? major == arch.major && minor == arch.minor
                         : major > arch.major ||
                               (major == arch.major && minor >= arch.minor);
  if (!runs) {
    std::string need =
        std::to_string(arch.major) + "." + std::to_string(arch.minor);
    error = "the bundle is built for " + arch.name + ", which needs a device " +
            (arch.exact ? "of compute capability " + need
                        : "of compute capability " + need + " or later") +
            "; device " + std::to_string(device) + " has " +
            std::to_string(major) + "." + std::to_string(minor);
    return false;
  }

  std::string cubinPath = bundle.files.directory + "/" + manifest.cubin;
  cu::CUresult result =
      driver.cuModuleLoadData(&loaded.module, bundle.files.cubin.data());
  bool fallback = result == cu::CUDA_ERROR_NO_BINARY_FOR_GPU ||
                  result == cu::CUDA_ERROR_INVALID_IMAGE ||
                  result == cu::CUDA_ERROR_INVALID_PTX;
  if (result != cu::CUDA_SUCCESS && (!fallback || bundle.files.ptx.empty()))
    return cu::check(driver, result, "cannot load " + cubinPath, error);
  if (result != cu::CUDA_SUCCESS) {
    // The driver compiles the PTX for this device instead.
    std::string log(16384, '\0');
    int options[] = {cu::CU_JIT_ERROR_LOG_BUFFER,
                     cu::CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
    void *values[] = {log.data(),
                      reinterpret_cast<void *>(uintptr_t(log.size()))};
    cu::CUresult jit = driver.cuModuleLoadDataEx(
        &loaded.module, bundle.files.ptx.c_str(), 2, options, values);
    if (jit != cu::CUDA_SUCCESS) {
      log.resize(std::strlen(log.c_str()));
      error = "cannot load " + cubinPath + ": " +
              cu::errorString(driver, result) + "; compiling " +
              bundle.files.directory + "/" + manifest.ptx +
              " instead failed too: " + cu::errorString(driver, jit) +
              (log.empty() ? "" : "\n" + log);
      return false;
    }
  }

  // Each kernel's dynamic shared memory limit: the most any launch needs
  // (setting it per launch would lower it again).
  std::map<std::string, unsigned> shared;
  for (const Function &fn : manifest.functions)
    for (const Launch &launch : fn.launches) {
      unsigned &bytes = shared[launch.kernel];
      bytes = std::max(bytes, launch.sharedBytes);
    }
  std::map<std::string, cu::CUfunction> kernels;
  for (const auto &[name, bytes] : shared) {
    cu::CUfunction kernel;
    cu::CUresult found =
        driver.cuModuleGetFunction(&kernel, loaded.module, name.c_str());
    if (found == cu::CUDA_ERROR_NOT_FOUND) {
      error = "kernel '" + name + "' is not in " + cubinPath;
      return false;
    }
    if (!cu::check(driver, found, "cuModuleGetFunction('" + name + "')", error))
      return false;
    if (bytes > kDefaultSharedLimit) {
      if (bytes > unsigned(sharedOptin)) {
        error = "kernel '" + name + "' needs " + std::to_string(bytes) +
                " bytes of dynamic shared memory; device " +
                std::to_string(device) + " allows " +
                std::to_string(sharedOptin);
        return false;
      }
      if (!cu::check(driver,
                     driver.cuFuncSetAttribute(
                         kernel,
                         cu::CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                         int(bytes)),
                     "cuFuncSetAttribute('" + name +
                         "', MAX_DYNAMIC_SHARED_SIZE_BYTES, " +
                         std::to_string(bytes) + ")",
                     error))
        return false;
      // All of the unified L1/shared array as shared memory, so that two
      // CTAs of a kernel using up to half of it share a multiprocessor.
      if (!cu::check(driver,
                     driver.cuFuncSetAttribute(
                         kernel,
                         cu::CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT,
                         cu::CU_SHAREDMEM_CARVEOUT_MAX_SHARED),
                     "cuFuncSetAttribute('" + name +
                         "', PREFERRED_SHARED_MEMORY_CARVEOUT)",
                     error))
        return false;
    }
    kernels[name] = kernel;
  }
  for (const Function &fn : manifest.functions) {
    loaded.kernels.emplace_back();
    for (const Launch &launch : fn.launches)
      loaded.kernels.back().push_back(kernels[launch.kernel]);
  }
  loaded.context = context;
  return true;
}

/// The bundle's module in the calling thread's current context, loaded on
/// first use.
int getModule(LoomBundle &bundle, const cu::Driver *&driver,
              const LoadedModule *&module, std::string &error) {
  driver = cu::getDriver(error);
  if (!driver)
    return LOOM_ERROR_CUDA;
  cu::CUcontext context;
  if (!cu::currentContext(*driver, 0, context, error))
    return LOOM_ERROR_CUDA;
  unsigned long long id = 0;
  if (driver->cuCtxGetId &&
      driver->cuCtxGetId(context, &id) != cu::CUDA_SUCCESS)
    id = 0;

  std::lock_guard<std::mutex> lock(bundle.mutex);
  for (const auto &loaded : bundle.modules)
    if (loaded->context == context && loaded->contextId == id) {
      module = loaded.get();
      return LOOM_OK;
    }
  auto loaded = std::make_unique<LoadedModule>();
  loaded->contextId = id;
  if (!loadModule(*driver, bundle, context, *loaded, error)) {
    if (loaded->module)
      driver->cuModuleUnload(loaded->module);
    return LOOM_ERROR_CUDA;
  }
  module = loaded.get();
  bundle.modules.push_back(std::move(loaded));
  return LOOM_OK;
}

/// A call's workspace: allocated on the call's stream, freed there once
/// the launches are queued (after them, in stream order).
class Workspace {
public:
  Workspace(const cu::Driver &driver, cu::CUstream stream)
      : driver(driver), stream(stream) {}
  Workspace(const Workspace &) = delete;
  Workspace &operator=(const Workspace &) = delete;

  bool allocate(size_t bytes, std::string &error) {
    size = int64_t(bytes);
    if (bytes == 0)
      return true;
    streamOrdered = driver.cuMemAllocAsync && driver.cuMemFreeAsync;
    cu::CUresult result = streamOrdered
                              ? driver.cuMemAllocAsync(&pointer, bytes, stream)
                              : driver.cuMemAlloc(&pointer, bytes);
    return cu::check(driver, result,
                     "allocating the " + std::to_string(bytes) +
                         "-byte workspace",
                     error);
  }

  ~Workspace() {
    if (!pointer)
      return;
    if (streamOrdered) {
      driver.cuMemFreeAsync(pointer, stream);
      return;
    }
    // Without stream-ordered memory, the launches must finish first.
    if (driver.cuStreamSynchronize)
      driver.cuStreamSynchronize(stream);
    else
      driver.cuCtxSynchronize();
    driver.cuMemFree(pointer);
  }

  cu::CUdeviceptr pointer = 0;
  /// Bytes allocated (0 where the function declares no workspace).
  int64_t size = 0;

private:
  const cu::Driver &driver;
  cu::CUstream stream;
  bool streamOrdered = false;
};

/// Encodes a tensor map for one launch, after checking what the manifest
/// could not: that the memory it spans lies inside the buffer (`shape`, or
/// the workspace's `workspaceBytes` where `shape` is null) and that its
/// address is 16-byte aligned.
bool encodeTensorMap(const cu::Driver &driver, const LaunchPlan::TensorMap &map,
                     void *base, const BufferShape *shape,
                     int64_t workspaceBytes, cu::CUtensorMap &out,
                     const std::string &what, std::string &error) {
  const TensorMapSpec &spec = *map.spec;
  const int64_t elementBytes = int64_t(dtypeSize(spec.dtype));
  int64_t capacity = workspaceBytes;
  // checkArgs refused every buffer whose byte size overflows.
  if (shape && !byteSize(*shape, capacity)) {
    error = what + ": the buffer's size in bytes overflows";
    return false;
  }
  // One past the last byte the map reaches.
  int64_t end = map.offset, term = 0;
  bool overflow = __builtin_mul_overflow(map.dims[0], elementBytes, &term) ||
                  __builtin_add_overflow(end, term, &end);
  for (size_t d = 1; d < map.dims.size() && !overflow; ++d)
    overflow =
        __builtin_mul_overflow(map.dims[d] - 1, map.strides[d - 1], &term) ||
        __builtin_add_overflow(end, term, &end);
  if (overflow || end > capacity) {
    error = what + " reaches " +
            (overflow ? std::string("past 2^63") : std::to_string(end)) +
            " bytes, beyond the " + std::to_string(capacity) + " it maps";
    return false;
  }
  auto *address = static_cast<char *>(base) + map.offset;
  if (uintptr_t(address) % 16 != 0) {
    error = what + ": address is not 16-byte aligned";
    return false;
  }
  if (!driver.cuTensorMapEncodeTiled) {
    error = what + ": the driver lacks cuTensorMapEncodeTiled (CUDA 12.0)";
    return false;
  }
  int dataType = cu::CU_TENSOR_MAP_DATA_TYPE_FLOAT32;
  switch (spec.dtype) {
  case DType::F32:
    break;
  case DType::F16:
    dataType = cu::CU_TENSOR_MAP_DATA_TYPE_FLOAT16;
    break;
  case DType::BF16:
    dataType = cu::CU_TENSOR_MAP_DATA_TYPE_BFLOAT16;
    break;
  case DType::I32:
    dataType = cu::CU_TENSOR_MAP_DATA_TYPE_INT32;
    break;
  case DType::I64:
    dataType = cu::CU_TENSOR_MAP_DATA_TYPE_INT64;
    break;
  }
  const size_t rank = map.dims.size();
  unsigned long long dims[kMaxTensorMapRank], strides[kMaxTensorMapRank];
  unsigned box[kMaxTensorMapRank], elementStrides[kMaxTensorMapRank];
  for (size_t d = 0; d < rank; ++d) {
    dims[d] = (unsigned long long)map.dims[d];
    box[d] = spec.box[d];
    elementStrides[d] = 1;
    if (d + 1 < rank)
      strides[d] = (unsigned long long)map.strides[d];
  }
  // The swizzle enumerators count up from none: 32B = 1, 64B = 2, 128B = 3.
  int swizzle = spec.swizzle == 0    ? cu::CU_TENSOR_MAP_SWIZZLE_NONE
                : spec.swizzle == 32 ? 1
                : spec.swizzle == 64 ? 2
                                     : 3;
  cu::CUresult result = driver.cuTensorMapEncodeTiled(
      &out, dataType, unsigned(rank), address, dims, strides, box,
      elementStrides, cu::CU_TENSOR_MAP_INTERLEAVE_NONE, swizzle,
      cu::CU_TENSOR_MAP_L2_PROMOTION_L2_256B,
      cu::CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE);
  return cu::check(driver, result, what + ": cuTensorMapEncodeTiled", error);
}

int launch(LoomBundle *bundle, const char *name, const LoomBuffer *buffers,
           int64_t numBuffers, void *stream, std::string &error) {
  const Function *fn = findFunction(bundle, name, error);
  if (!fn)
    return LOOM_ERROR_ARGUMENT;
  if (numBuffers < 0 || (numBuffers > 0 && !buffers) ||
      size_t(numBuffers) != fn->numBuffers()) {
    error = "'" + fn->name + "' takes " + std::to_string(fn->args.size()) +
            " args and " + std::to_string(fn->results.size()) + " results, " +
            std::to_string(numBuffers) + " buffers were given";
    return LOOM_ERROR_ARGUMENT;
  }
  size_t numArgs = fn->args.size();
  std::vector<BufferShape> args, expected, results;
  std::vector<LaunchPlan> plans;
  if (!bindArgs(*fn, buffers, int64_t(numArgs), args, expected, plans, error) ||
      !readShapes(buffers, numArgs, fn->numBuffers(), results, error))
    return LOOM_ERROR_ARGUMENT;
  for (size_t r = 0; r < results.size(); ++r)
    if (results[r].dtype != expected[r].dtype ||
        results[r].dims != expected[r].dims) {
      error = "result " + std::to_string(r) + " (buffer " +
              std::to_string(numArgs + r) + "): expected " +
              printShape(expected[r]) + ", got " + printShape(results[r]);
      return LOOM_ERROR_ARGUMENT;
    }
  for (size_t i = 0; i < fn->numBuffers(); ++i) {
    const BufferShape &shape = i < numArgs ? args[i] : results[i - numArgs];
    bool empty = false;
    for (int64_t dim : shape.dims)
      empty |= dim == 0;
    if (!buffers[i].data && !empty) {
      error =
          bufferName(*fn, i) + ": " + printShape(shape) + " has no data (NULL)";
      return LOOM_ERROR_ARGUMENT;
    }
  }

  const cu::Driver *driver;
  const LoadedModule *module;
  int status = getModule(*bundle, driver, module, error);
  if (status != LOOM_OK)
    return status;
  // Again, now with the device: its choices and what they launch.
  if (!planLaunches(*fn, args, &module->device, plans, error))
    return LOOM_ERROR_ARGUMENT;

  // A host pointer would fault inside the kernel and poison the context;
  // memory that CUDA does not know is refused here instead.
  if (driver->cuPointerGetAttribute)
    for (size_t i = 0; i < fn->numBuffers(); ++i) {
      if (!buffers[i].data)
        continue;
      unsigned memoryType = 0;
      if (driver->cuPointerGetAttribute(
              &memoryType, cu::CU_POINTER_ATTRIBUTE_MEMORY_TYPE,
              cu::CUdeviceptr(uintptr_t(buffers[i].data))) ==
          cu::CUDA_ERROR_INVALID_VALUE) {
        error = bufferName(*fn, i) +
                " is not memory that CUDA knows (a host pointer?)";
        return LOOM_ERROR_ARGUMENT;
      }
    }

  // The call's scratch memory, stream-ordered where the driver can, so
  // that concurrent calls on other streams never share it.
  Workspace workspace(*driver, static_cast<cu::CUstream>(stream));
  if (fn->workspaceBytes >= 0) {
    int64_t bytes = 0;
    if (!evaluate(*fn, fn->workspaceBytes, args, &module->device, bytes,
                  error)) {
      error = "workspace_bytes: " + error;
      return LOOM_ERROR_ARGUMENT;
    }
    if (bytes < 0) {
      error = "workspace_bytes = " + std::to_string(bytes) + " is negative";
      return LOOM_ERROR_ARGUMENT;
    }
    if (!workspace.allocate(size_t(bytes), error))
      return LOOM_ERROR_CUDA;
  }

  size_t fnIndex = size_t(fn - bundle->files.manifest.functions.data());
  union Slot {
    uint64_t u64;
    int64_t i64;
    int32_t i32;
    float f32;
  };
  // Every launch's tensor maps, encoded before the first launch so that a
  // map refused here leaves nothing half-run.
  std::vector<std::vector<cu::CUtensorMap>> maps(plans.size());
  for (size_t l = 0; l < plans.size(); ++l) {
    const LaunchPlan &plan = plans[l];
    if (plan.skip)
      continue;
    maps[l].resize(plan.tensorMaps.size());
    for (size_t p = 0; p < plan.launch->params.size(); ++p) {
      if (plan.launch->params[p].kind != Param::Kind::TensorMap)
        continue;
      const LaunchPlan::TensorMap &map = plan.tensorMaps[plan.values[p]];
      int32_t buffer = map.spec->buffer;
      const BufferShape *shape = buffer < 0 ? nullptr
                                 : size_t(buffer) < numArgs
                                     ? &args[buffer]
                                     : &results[buffer - numArgs];
      void *base = buffer < 0 ? reinterpret_cast<void *>(workspace.pointer)
                              : buffers[buffer].data;
      std::string what = plan.launch->path + " param " + std::to_string(p) +
                         " (tensor_map of " +
                         (buffer < 0 ? std::string("the workspace")
                                     : bufferName(*fn, size_t(buffer))) +
                         ")";
      if (!encodeTensorMap(*driver, map, base, shape, workspace.size,
                           maps[l][plan.values[p]], what, error))
        return LOOM_ERROR_ARGUMENT;
    }
  }
  std::vector<Slot> slots;
  std::vector<void *> params;
  // A kernel that waits for its predecessor may launch before that one
  // ends (programmatic dependent launch); the call's first kernel stays
  // ordered after whatever the stream ran before it.
  // $LOOM_SERIAL_LAUNCHES=1 launches every kernel in full stream order.
  static const bool serialLaunches = [] {
    const char *value = std::getenv("LOOM_SERIAL_LAUNCHES");
    return value && *value && std::string(value) != "0";
  }();
  bool first = true;
  for (const LaunchPlan &plan : plans) {
    if (plan.skip)
      continue;
    const Launch &spec = *plan.launch;
    slots.assign(spec.params.size(), Slot{0});
    params.assign(spec.params.size(), nullptr);
    for (size_t p = 0; p < spec.params.size(); ++p) {
      Slot &slot = slots[p];
      params[p] = &slot;
      switch (spec.params[p].kind) {
      case Param::Kind::Buffer:
        slot.u64 = uint64_t(uintptr_t(buffers[plan.values[p]].data));
        break;
      case Param::Kind::Workspace:
        slot.u64 = uint64_t(workspace.pointer);
        break;
      case Param::Kind::I64:
        slot.i64 = plan.values[p];
        break;
      case Param::Kind::I32:
        slot.i32 = int32_t(plan.values[p]);
        break;
      case Param::Kind::F32: {
        uint32_t bits = uint32_t(plan.values[p]);
        std::memcpy(&slot.f32, &bits, sizeof(bits));
        break;
      }
      case Param::Kind::TensorMap:
        params[p] = &maps[&plan - plans.data()][plan.values[p]];
        break;
      }
    }
    cu::CUfunction kernel = module->kernels[fnIndex][plan.index];
    cu::CUresult result;
    if (!first && spec.earlyLaunch && !serialLaunches &&
        driver->cuLaunchKernelEx) {
      cu::CUlaunchAttribute early{};
      early.id = cu::CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION;
      early.value.programmaticStreamSerializationAllowed = 1;
      cu::CUlaunchConfig config{};
      config.gridDimX = plan.grid[0];
      config.gridDimY = plan.grid[1];
      config.gridDimZ = plan.grid[2];
      config.blockDimX = spec.block[0];
      config.blockDimY = spec.block[1];
      config.blockDimZ = spec.block[2];
      config.sharedMemBytes = spec.sharedBytes;
      config.hStream = static_cast<cu::CUstream>(stream);
      config.attrs = &early;
      config.numAttrs = 1;
      result =
          driver->cuLaunchKernelEx(&config, kernel, params.data(), nullptr);
    } else {
      result = driver->cuLaunchKernel(
          kernel, plan.grid[0], plan.grid[1], plan.grid[2], spec.block[0],
          spec.block[1], spec.block[2], spec.sharedBytes,
          static_cast<cu::CUstream>(stream), params.data(), nullptr);
    }
    first = false;
    if (result != cu::CUDA_SUCCESS) {
      error =
          spec.path + " (kernel '" + spec.kernel + "', grid " +
          std::to_string(plan.grid[0]) + "x" + std::to_string(plan.grid[1]) +
          "x" + std::to_string(plan.grid[2]) + ", block " +
          std::to_string(spec.block[0]) + "x" + std::to_string(spec.block[1]) +
          "x" + std::to_string(spec.block[2]) + ", " +
          std::to_string(spec.sharedBytes) +
          " shared bytes): launch: " + cu::errorString(*driver, result);
      return LOOM_ERROR_CUDA;
    }
  }
  return LOOM_OK;
}

} // namespace

extern "C" {

const char *loomRuntimeVersion(void) { return LOOM_RUNTIME_VERSION; }

int loomBundleLoad(const char *path, LoomBundle **bundle, char *err,
                   size_t errLen) {
  return guarded(err, errLen, [&] {
    if (!path || !bundle)
      return report(err, errLen, LOOM_ERROR_BUNDLE,
                    "no bundle path or result pointer (NULL)");
    *bundle = nullptr;
    auto loaded = std::make_unique<LoomBundle>();
    std::string error;
    if (!readBundle(path, loaded->files, error))
      return report(err, errLen, LOOM_ERROR_BUNDLE, error);
    *bundle = loaded.release();
    return int(LOOM_OK);
  });
}

void loomBundleFree(LoomBundle *bundle) {
  if (!bundle)
    return;
  if (!bundle->modules.empty()) {
    std::string error;
    // Errors are ignored: at process exit the driver may be gone already.
    if (const cu::Driver *driver = cu::getDriver(error))
      for (const auto &loaded : bundle->modules)
        driver->cuModuleUnload(loaded->module);
  }
  delete bundle;
}

const char *loomBundleArch(const LoomBundle *bundle) {
  return bundle ? bundle->files.manifest.arch.name.c_str() : "";
}

int64_t loomFunctionCount(const LoomBundle *bundle) {
  return bundle ? int64_t(bundle->files.manifest.functions.size()) : 0;
}

const char *loomFunctionName(const LoomBundle *bundle, int64_t index) {
  if (!bundle || index < 0 ||
      size_t(index) >= bundle->files.manifest.functions.size())
    return nullptr;
  return bundle->files.manifest.functions[index].name.c_str();
}

int loomFunctionArity(const LoomBundle *bundle, const char *name,
                      int64_t *numArgs, int64_t *numResults, char *err,
                      size_t errLen) {
  return guarded(err, errLen, [&] {
    std::string error;
    const Function *fn = findFunction(bundle, name, error);
    if (!fn)
      return report(err, errLen, LOOM_ERROR_ARGUMENT, error);
    if (numArgs)
      *numArgs = int64_t(fn->args.size());
    if (numResults)
      *numResults = int64_t(fn->results.size());
    return int(LOOM_OK);
  });
}

size_t loomFunctionSignature(const LoomBundle *bundle, const char *name,
                             char *buf, size_t len) {
  std::string error;
  const Function *fn = findFunction(bundle, name, error);
  std::string text = fn ? printSignature(*fn) : std::string();
  report(buf, len, LOOM_OK, text);
  return text.size();
}

int loomResultShapes(const LoomBundle *bundle, const char *name,
                     const LoomBuffer *args, int64_t numArgs, int32_t *dtypes,
                     int32_t *ranks, int64_t *shapes, char *err,
                     size_t errLen) {
  return guarded(err, errLen, [&] {
    std::vector<BufferShape> argShapes, results;
    std::vector<LaunchPlan> plans;
    std::string error;
    const Function *fn = findFunction(bundle, name, error);
    if (!fn || !bindArgs(*fn, args, numArgs, argShapes, results, plans, error))
      return report(err, errLen, LOOM_ERROR_ARGUMENT, error);
    if (!results.empty() && (!ranks || !shapes))
      return report(err, errLen, LOOM_ERROR_ARGUMENT,
                    "no ranks or shapes array (NULL)");
    for (size_t r = 0; r < results.size(); ++r) {
      if (dtypes)
        dtypes[r] = int32_t(results[r].dtype);
      ranks[r] = int32_t(results[r].dims.size());
      for (size_t d = 0; d < results[r].dims.size(); ++d)
        shapes[r * kMaxRank + d] = results[r].dims[d];
    }
    return int(LOOM_OK);
  });
}

int loomBundlePrepare(LoomBundle *bundle, char *err, size_t errLen) {
  return guarded(err, errLen, [&] {
    if (!bundle)
      return report(err, errLen, LOOM_ERROR_ARGUMENT, "no bundle (NULL)");
    const cu::Driver *driver;
    const LoadedModule *module;
    std::string error;
    int status = getModule(*bundle, driver, module, error);
    return report(err, errLen, status, error);
  });
}

int loomLaunch(LoomBundle *bundle, const char *name, const LoomBuffer *buffers,
               int64_t numBuffers, void *stream, char *err, size_t errLen) {
  return guarded(err, errLen, [&] {
    std::string error;
    int status = launch(bundle, name, buffers, numBuffers, stream, error);
    return report(err, errLen, status, error);
  });
}

} // extern "C"
