//===- CudaDriver.cpp - The CUDA driver API, opened at run time -----------===//

#include "CudaDriver.h"

#include <cstdlib>
#include <dlfcn.h>

using namespace loom::runtime::cuda;

namespace {

struct Loaded {
  Driver driver{};
  std::string error;
};

Loaded load() {
  Loaded loaded;
  const char *library = std::getenv("LOOM_CUDA_LIBRARY");
  if (!library || !*library)
    library = "libcuda.so.1";
  void *handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *reason = dlerror();
    loaded.error = std::string("cannot load ") + library + ": " +
                   (reason ? reason : "unknown error") +
                   " (is the NVIDIA driver installed?)";
    return loaded;
  }
  Driver &d = loaded.driver;
  // The _v2 names are the current ABI of the calls whose first version
  // took 32-bit sizes or pointers.
  struct Symbol {
    void *slot;
    const char *name;
    bool required;
  };
  const Symbol symbols[] = {
      {&d.cuInit, "cuInit", true},
      {&d.cuDriverGetVersion, "cuDriverGetVersion", true},
      {&d.cuDeviceGetCount, "cuDeviceGetCount", true},
      {&d.cuDeviceGet, "cuDeviceGet", true},
      {&d.cuDeviceGetAttribute, "cuDeviceGetAttribute", true},
      {&d.cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain", true},
      {&d.cuCtxGetCurrent, "cuCtxGetCurrent", true},
      {&d.cuCtxSetCurrent, "cuCtxSetCurrent", true},
      {&d.cuCtxGetDevice, "cuCtxGetDevice", true},
      {&d.cuCtxSynchronize, "cuCtxSynchronize", true},
      {&d.cuModuleLoadData, "cuModuleLoadData", true},
      {&d.cuModuleLoadDataEx, "cuModuleLoadDataEx", true},
      {&d.cuModuleUnload, "cuModuleUnload", true},
      {&d.cuModuleGetFunction, "cuModuleGetFunction", true},
      {&d.cuFuncSetAttribute, "cuFuncSetAttribute", true},
      {&d.cuLaunchKernel, "cuLaunchKernel", true},
      {&d.cuGetErrorName, "cuGetErrorName", true},
      {&d.cuGetErrorString, "cuGetErrorString", true},
      {&d.cuMemAlloc, "cuMemAlloc_v2", true},
      {&d.cuMemFree, "cuMemFree_v2", true},
      {&d.cuMemcpyHtoD, "cuMemcpyHtoD_v2", true},
      {&d.cuMemcpyDtoH, "cuMemcpyDtoH_v2", true},
      {&d.cuMemsetD8, "cuMemsetD8_v2", true},
      {&d.cuPointerGetAttribute, "cuPointerGetAttribute", false},
      {&d.cuCtxGetId, "cuCtxGetId", false},
      {&d.cuMemAllocAsync, "cuMemAllocAsync", false},
      {&d.cuMemFreeAsync, "cuMemFreeAsync", false},
      {&d.cuStreamSynchronize, "cuStreamSynchronize", false},
      {&d.cuLaunchKernelEx, "cuLaunchKernelEx", false},
      {&d.cuTensorMapEncodeTiled, "cuTensorMapEncodeTiled", false},
  };
  for (const Symbol &symbol : symbols) {
    void *address = dlsym(handle, symbol.name);
    if (!address && symbol.required) {
      loaded.error = std::string(library) + " lacks " + symbol.name +
                     " (the NVIDIA driver is too old)";
      return loaded;
    }
    // Function pointers and void * have the same representation on every
    // platform with dlsym.
    *static_cast<void **>(symbol.slot) = address;
  }
  CUresult result = d.cuInit(0);
  if (result != CUDA_SUCCESS) {
    loaded.error = "cuInit failed: " + errorString(d, result);
    return loaded;
  }
  return loaded;
}

} // namespace

const Driver *loom::runtime::cuda::getDriver(std::string &error) {
  static const Loaded loaded = load(); // thread-safe initialization
  if (!loaded.error.empty()) {
    error = loaded.error;
    return nullptr;
  }
  return &loaded.driver;
}

std::string loom::runtime::cuda::errorString(const Driver &driver,
                                             CUresult result) {
  const char *name = nullptr, *text = nullptr;
  if (driver.cuGetErrorName)
    driver.cuGetErrorName(result, &name);
  if (driver.cuGetErrorString)
    driver.cuGetErrorString(result, &text);
  std::string message =
      name ? std::string(name) : "CUDA error " + std::to_string(result);
  if (text)
    message += std::string(" (") + text + ")";
  return message;
}

bool loom::runtime::cuda::check(const Driver &driver, CUresult result,
                                const std::string &what, std::string &error) {
  if (result == CUDA_SUCCESS)
    return true;
  error = what + ": " + errorString(driver, result);
  return false;
}

bool loom::runtime::cuda::currentContext(const Driver &driver, int ordinal,
                                         CUcontext &context,
                                         std::string &error) {
  context = nullptr;
  if (!check(driver, driver.cuCtxGetCurrent(&context), "cuCtxGetCurrent",
             error))
    return false;
  if (context)
    return true;
  int count = 0;
  if (!check(driver, driver.cuDeviceGetCount(&count), "cuDeviceGetCount",
             error))
    return false;
  if (ordinal < 0 || ordinal >= count) {
    error = count == 0 ? std::string("no CUDA device is present")
                       : "no CUDA device " + std::to_string(ordinal) + " (" +
                             std::to_string(count) + " present)";
    return false;
  }
  CUdevice device;
  // The primary context is the one the CUDA runtime (and PyTorch) use; it
  // stays retained for the life of the process.
  return check(driver, driver.cuDeviceGet(&device, ordinal), "cuDeviceGet",
               error) &&
         check(driver, driver.cuDevicePrimaryCtxRetain(&context, device),
               "cuDevicePrimaryCtxRetain", error) &&
         check(driver, driver.cuCtxSetCurrent(context), "cuCtxSetCurrent",
               error);
}
