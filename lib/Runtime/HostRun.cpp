//===- HostRun.cpp - Run a bundle's function on host arrays ---------------===//

#include "loom/Runtime/HostRun.h"

#include "CudaDriver.h"

#include <cstdint>

namespace cu = loom::runtime::cuda;
namespace npy = loom::npy;

namespace {

int32_t toLoomDType(npy::DType dtype) {
  switch (dtype) {
  case npy::DType::F32:
    return LOOM_F32;
  case npy::DType::F16:
    return LOOM_F16;
  case npy::DType::BF16:
    return LOOM_BF16;
  case npy::DType::I32:
    return LOOM_I32;
  case npy::DType::I64:
    return LOOM_I64;
  }
  return -1;
}

npy::DType toNpyDType(int32_t dtype) {
  switch (dtype) {
  case LOOM_F16:
    return npy::DType::F16;
  case LOOM_BF16:
    return npy::DType::BF16;
  case LOOM_I32:
    return npy::DType::I32;
  case LOOM_I64:
    return npy::DType::I64;
  default:
    return npy::DType::F32;
  }
}

/// Device memory, freed when the tool returns.
struct DeviceBuffers {
  const cu::Driver *driver = nullptr;
  std::vector<cu::CUdeviceptr> pointers;
  ~DeviceBuffers() {
    for (cu::CUdeviceptr pointer : pointers)
      if (pointer)
        driver->cuMemFree(pointer);
  }
  bool allocate(size_t bytes, cu::CUdeviceptr &pointer, std::string &error) {
    pointer = 0;
    // A buffer without elements has no memory (cuMemAlloc refuses 0 bytes).
    if (bytes == 0)
      return true;
    if (!cu::check(*driver, driver->cuMemAlloc(&pointer, bytes),
                   "cannot allocate " + std::to_string(bytes) +
                       " bytes of device memory",
                   error))
      return false;
    pointers.push_back(pointer);
    return true;
  }
};

std::string signatureOf(LoomBundle *bundle, const char *name) {
  std::string text(loomFunctionSignature(bundle, name, nullptr, 0) + 1, '\0');
  loomFunctionSignature(bundle, name, text.data(), text.size());
  text.pop_back();
  return text;
}

} // namespace

bool loom::runtime::pickEntry(LoomBundle *bundle, const std::string &entry,
                              std::string &picked, std::string &error) {
  if (!entry.empty()) {
    picked = entry;
    return true;
  }
  int64_t count = loomFunctionCount(bundle);
  std::string names;
  bool hasMain = false;
  for (int64_t i = 0; i < count; ++i) {
    std::string name = loomFunctionName(bundle, i);
    names += (i ? ", '" : "'") + name + "'";
    hasMain |= name == "main";
  }
  if (count == 1) {
    picked = loomFunctionName(bundle, 0);
    return true;
  }
  if (hasMain) {
    picked = "main";
    return true;
  }
  if (count == 0)
    error = "the bundle has no functions";
  else
    error = "the bundle has " + std::to_string(count) +
            " functions and none is 'main'; pick one with --entry (" + names +
            ")";
  return false;
}

bool loom::runtime::runOnHostArrays(LoomBundle *bundle,
                                    const std::string &entry,
                                    const std::vector<npy::Array> &inputs,
                                    const HostRunOptions &options,
                                    std::vector<npy::Array> &results,
                                    std::string &error) {
  char err[8192];
  int64_t numArgs, numResults;
  if (loomFunctionArity(bundle, entry.c_str(), &numArgs, &numResults, err,
                        sizeof(err))) {
    error = err;
    return false;
  }
  if (size_t(numArgs) != inputs.size()) {
    error = "'" + entry + "' takes " + std::to_string(numArgs) + " args, " +
            std::to_string(inputs.size()) +
            " inputs were given: " + signatureOf(bundle, entry.c_str());
    return false;
  }

  std::vector<LoomBuffer> buffers(size_t(numArgs + numResults));
  for (size_t i = 0; i < inputs.size(); ++i)
    buffers[i] = {nullptr, toLoomDType(inputs[i].dtype),
                  int32_t(inputs[i].shape.size()), inputs[i].shape.data()};
  std::vector<int32_t> dtypes(size_t(numResults) + 1), ranks(dtypes.size());
  std::vector<int64_t> shapes(dtypes.size() * LOOM_MAX_RANK);
  if (loomResultShapes(bundle, entry.c_str(), buffers.data(), numArgs,
                       dtypes.data(), ranks.data(), shapes.data(), err,
                       sizeof(err))) {
    error = "'" + entry + "': " + err;
    return false;
  }
  results.assign(size_t(numResults), npy::Array());
  for (size_t r = 0; r < results.size(); ++r) {
    npy::Array &result = results[r];
    result.dtype = toNpyDType(dtypes[r]);
    result.shape.assign(shapes.begin() + r * LOOM_MAX_RANK,
                        shapes.begin() + r * LOOM_MAX_RANK + ranks[r]);
    // Cannot overflow: the runtime checked the byte size.
    size_t bytes = npy::elementSize(result.dtype);
    for (int64_t dim : result.shape)
      bytes *= size_t(dim);
    result.bytes.assign(bytes, 0);
    buffers[size_t(numArgs) + r] = {nullptr, dtypes[r], ranks[r],
                                    result.shape.data()};
  }

  // Only now CUDA.
  DeviceBuffers memory;
  memory.driver = cu::getDriver(error);
  if (!memory.driver)
    return false;
  const cu::Driver &driver = *memory.driver;
  cu::CUcontext context;
  if (!cu::currentContext(driver, options.device, context, error))
    return false;
  for (size_t i = 0; i < inputs.size(); ++i) {
    cu::CUdeviceptr pointer;
    const std::vector<uint8_t> &bytes = inputs[i].bytes;
    if (!memory.allocate(bytes.size(), pointer, error) ||
        (pointer &&
         !cu::check(
             driver, driver.cuMemcpyHtoD(pointer, bytes.data(), bytes.size()),
             "cannot copy input #" + std::to_string(i) + " to the device",
             error)))
      return false;
    buffers[i].data = reinterpret_cast<void *>(uintptr_t(pointer));
  }
  std::vector<cu::CUdeviceptr> device(results.size());
  for (size_t r = 0; r < results.size(); ++r) {
    size_t bytes = results[r].bytes.size();
    if (!memory.allocate(bytes, device[r], error) ||
        (device[r] && options.poison &&
         !cu::check(driver, driver.cuMemsetD8(device[r], 0xFF, bytes),
                    "cuMemsetD8", error)))
      return false;
    buffers[size_t(numArgs) + r].data =
        reinterpret_cast<void *>(uintptr_t(device[r]));
  }

  if (loomLaunch(bundle, entry.c_str(), buffers.data(), int64_t(buffers.size()),
                 /*stream=*/nullptr, err, sizeof(err))) {
    error = err;
    return false;
  }
  if (!cu::check(driver, driver.cuCtxSynchronize(),
                 "the kernels of '" + entry + "' failed", error))
    return false;
  for (size_t r = 0; r < results.size(); ++r)
    if (device[r] &&
        !cu::check(driver,
                   driver.cuMemcpyDtoH(results[r].bytes.data(), device[r],
                                       results[r].bytes.size()),
                   "cannot copy result #" + std::to_string(r) + " back",
                   error))
      return false;
  return true;
}
