//===- CudaDriver.h - The CUDA driver API, opened at run time ---*- C++ -*-===//
//
// The runtime builds and loads where no CUDA toolkit or driver is
// installed: libcuda.so.1 is opened with dlopen on first use, and the few
// types, constants and entry points it needs are declared here (ABI-stable
// since CUDA 4) instead of including cuda.h.
//
//===----------------------------------------------------------------------===//

#ifndef LOOM_LIB_RUNTIME_CUDADRIVER_H
#define LOOM_LIB_RUNTIME_CUDADRIVER_H

#include <cstddef>
#include <string>

namespace loom::runtime::cuda {

using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = struct CUctx_st *;
using CUmodule = struct CUmod_st *;
using CUfunction = struct CUfunc_st *;
using CUstream = struct CUstream_st *;

enum : CUresult {
  CUDA_SUCCESS = 0,
  CUDA_ERROR_INVALID_VALUE = 1,
  CUDA_ERROR_INVALID_IMAGE = 200,
  CUDA_ERROR_NO_BINARY_FOR_GPU = 209,
  CUDA_ERROR_INVALID_PTX = 218,
  CUDA_ERROR_NOT_FOUND = 500,
};

enum : int {
  CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16,
  CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75,
  CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76,
  CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN = 97,
  CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8,
  CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT = 9,
  CU_SHAREDMEM_CARVEOUT_MAX_SHARED = 100,
  CU_POINTER_ATTRIBUTE_MEMORY_TYPE = 2,
  CU_JIT_INFO_LOG_BUFFER = 3,
  CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES = 4,
  CU_JIT_ERROR_LOG_BUFFER = 5,
  CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6,
};

/// cuLaunchKernelEx's configuration (cuda.h's CUlaunchConfig and
/// CUlaunchAttribute; the attribute value is a 64-byte union).
enum : int { CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION = 6 };
struct CUlaunchAttribute {
  int id;
  char pad[4];
  union {
    char bytes[64];
    int programmaticStreamSerializationAllowed;
  } value;
};
static_assert(sizeof(CUlaunchAttribute) == 72, "cuda.h's CUlaunchAttribute");
struct CUlaunchConfig {
  unsigned gridDimX, gridDimY, gridDimZ;
  unsigned blockDimX, blockDimY, blockDimZ;
  unsigned sharedMemBytes;
  CUstream hStream;
  CUlaunchAttribute *attrs;
  unsigned numAttrs;
};

/// cuda.h's CUtensorMap (64-byte aligned, 128 bytes) and the enumerators of
/// cuTensorMapEncodeTiled that the runtime uses.
struct alignas(64) CUtensorMap {
  unsigned long long opaque[16];
};
enum : int {
  CU_TENSOR_MAP_DATA_TYPE_INT32 = 3,
  CU_TENSOR_MAP_DATA_TYPE_INT64 = 5,
  CU_TENSOR_MAP_DATA_TYPE_FLOAT16 = 6,
  CU_TENSOR_MAP_DATA_TYPE_FLOAT32 = 7,
  CU_TENSOR_MAP_DATA_TYPE_BFLOAT16 = 9,
  CU_TENSOR_MAP_INTERLEAVE_NONE = 0,
  CU_TENSOR_MAP_SWIZZLE_NONE = 0, // then 32B, 64B, 128B
  CU_TENSOR_MAP_L2_PROMOTION_L2_256B = 3,
  CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE = 0,
};

/// The driver entry points, resolved by dlsym. Optional ones may be null.
struct Driver {
  CUresult (*cuInit)(unsigned flags);
  CUresult (*cuDriverGetVersion)(int *version);
  CUresult (*cuDeviceGetCount)(int *count);
  CUresult (*cuDeviceGet)(CUdevice *device, int ordinal);
  CUresult (*cuDeviceGetAttribute)(int *value, int attribute, CUdevice device);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *context, CUdevice device);
  CUresult (*cuCtxGetCurrent)(CUcontext *context);
  CUresult (*cuCtxSetCurrent)(CUcontext context);
  CUresult (*cuCtxGetDevice)(CUdevice *device);
  CUresult (*cuCtxSynchronize)();
  CUresult (*cuModuleLoadData)(CUmodule *module, const void *image);
  CUresult (*cuModuleLoadDataEx)(CUmodule *module, const void *image,
                                 unsigned numOptions, int *options,
                                 void **optionValues);
  CUresult (*cuModuleUnload)(CUmodule module);
  CUresult (*cuModuleGetFunction)(CUfunction *function, CUmodule module,
                                  const char *name);
  CUresult (*cuFuncSetAttribute)(CUfunction function, int attribute, int value);
  CUresult (*cuLaunchKernel)(CUfunction function, unsigned gridX,
                             unsigned gridY, unsigned gridZ, unsigned blockX,
                             unsigned blockY, unsigned blockZ,
                             unsigned sharedBytes, CUstream stream,
                             void **params, void **extra);
  CUresult (*cuGetErrorName)(CUresult error, const char **name);
  CUresult (*cuGetErrorString)(CUresult error, const char **text);
  CUresult (*cuMemAlloc)(CUdeviceptr *pointer, size_t bytes);
  CUresult (*cuMemFree)(CUdeviceptr pointer);
  CUresult (*cuMemcpyHtoD)(CUdeviceptr dst, const void *src, size_t bytes);
  CUresult (*cuMemcpyDtoH)(void *dst, CUdeviceptr src, size_t bytes);
  CUresult (*cuMemsetD8)(CUdeviceptr dst, unsigned char value, size_t count);
  // Optional.
  CUresult (*cuPointerGetAttribute)(void *data, int attribute,
                                    CUdeviceptr pointer);
  CUresult (*cuCtxGetId)(CUcontext context, unsigned long long *id);
  // Stream-ordered allocation (CUDA 11.2) for call workspaces.
  CUresult (*cuMemAllocAsync)(CUdeviceptr *pointer, size_t bytes,
                              CUstream stream);
  CUresult (*cuMemFreeAsync)(CUdeviceptr pointer, CUstream stream);
  CUresult (*cuStreamSynchronize)(CUstream stream);
  // CUDA 12.0: launches that may start before the previous kernel in the
  // stream ends (programmatic dependent launch).
  CUresult (*cuLaunchKernelEx)(const CUlaunchConfig *config,
                               CUfunction function, void **params,
                               void **extra);
  // CUDA 12.0: the descriptors of tensor-map copies.
  CUresult (*cuTensorMapEncodeTiled)(
      CUtensorMap *map, int dataType, unsigned rank, void *address,
      const unsigned long long *dims, const unsigned long long *strides,
      const unsigned *box, const unsigned *elementStrides, int interleave,
      int swizzle, int l2Promotion, int oobFill);
};

/// Opens the driver once per process and calls cuInit(0); later calls
/// return the same table, or the same error. $LOOM_CUDA_LIBRARY names
/// another library than libcuda.so.1 (tests use it to simulate a machine
/// without a driver). Thread-safe.
const Driver *getDriver(std::string &error);

/// "CUDA_ERROR_OUT_OF_MEMORY (out of memory)".
std::string errorString(const Driver &driver, CUresult result);

/// Sets `error` to "<what>: <errorString>" and returns false unless
/// `result` is CUDA_SUCCESS.
bool check(const Driver &driver, CUresult result, const std::string &what,
           std::string &error);

/// The calling thread's current context; where there is none, retains the
/// primary context of device `ordinal` and makes it current.
bool currentContext(const Driver &driver, int ordinal, CUcontext &context,
                    std::string &error);

} // namespace loom::runtime::cuda

#endif // LOOM_LIB_RUNTIME_CUDADRIVER_H
