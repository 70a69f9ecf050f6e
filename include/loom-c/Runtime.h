/*===- loom-c/Runtime.h - The Loom GPU runtime (C API) -------------*- C -*-===*\
|*                                                                            *|
|* Loads kernel bundles (docs/bundle.md) and launches their functions on     *|
|* CUDA device buffers. libLoomRuntime.so needs neither MLIR nor LLVM nor a   *|
|* CUDA toolkit: the CUDA driver (libcuda.so.1) is opened on first use, so   *|
|* loading a bundle and checking arguments work on machines without a GPU.   *|
|*                                                                            *|
|* Every call that can fail returns a LoomStatus (0 on success) and, when     *|
|* `err` is not NULL, writes a NUL-terminated message of at most `errLen`    *|
|* bytes into it. All calls are thread-safe; loomBundleFree must not race    *|
|* with other calls on the same bundle.                                       *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef LOOM_C_RUNTIME_H
#define LOOM_C_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define LOOM_RUNTIME_API
#else
#define LOOM_RUNTIME_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Buffers have at most this many dims. */
#define LOOM_MAX_RANK 8

typedef enum LoomStatus {
  LOOM_OK = 0,
  /* The bundle cannot be read: missing file, malformed manifest. */
  LOOM_ERROR_BUNDLE = 1,
  /* The call does not fit the function: unknown name, buffer count, dtype,
     rank or extent mismatch, a failed check, grid out of range. */
  LOOM_ERROR_ARGUMENT = 2,
  /* The CUDA driver: missing, no device, wrong compute capability, module
     load or launch failure. */
  LOOM_ERROR_CUDA = 3,
  /* Out of host memory, or a bug in the runtime. */
  LOOM_ERROR_INTERNAL = 4
} LoomStatus;

typedef enum LoomDType {
  LOOM_F32 = 0,
  LOOM_F16 = 1,
  LOOM_BF16 = 2,
  LOOM_I32 = 3,
  LOOM_I64 = 4
} LoomDType;

/* A dense, row-major buffer. `data` is a device pointer (it may be NULL
   when the buffer has no elements); `dtype` holds a LoomDType; `shape`
   points to `rank` extents. */
typedef struct LoomBuffer {
  void *data;
  int32_t dtype;
  int32_t rank;
  const int64_t *shape;
} LoomBuffer;

typedef struct LoomBundle LoomBundle;

/* "0.1.0". */
LOOM_RUNTIME_API const char *loomRuntimeVersion(void);

/* Reads and validates a bundle: `path` is a bundle directory or its
   manifest file. Touches no GPU. On success sets *bundle. */
LOOM_RUNTIME_API int loomBundleLoad(const char *path, LoomBundle **bundle,
                                    char *err, size_t errLen);

/* Unloads the bundle's modules and frees it; NULL is ignored. */
LOOM_RUNTIME_API void loomBundleFree(LoomBundle *bundle);

/* The manifest's arch, e.g. "sm_90a". */
LOOM_RUNTIME_API const char *loomBundleArch(const LoomBundle *bundle);

LOOM_RUNTIME_API int64_t loomFunctionCount(const LoomBundle *bundle);

/* The name of function `index`, or NULL when out of range. */
LOOM_RUNTIME_API const char *loomFunctionName(const LoomBundle *bundle,
                                              int64_t index);

LOOM_RUNTIME_API int loomFunctionArity(const LoomBundle *bundle,
                                       const char *fn, int64_t *numArgs,
                                       int64_t *numResults, char *err,
                                       size_t errLen);

/* Writes the signature of `fn`, e.g.
   "main(%0: f32[1, ?, 2, 4]) -> (%1: f32[1, dim(%0, 1), 2, 4])", like
   snprintf: returns its length (0 for an unknown function) and writes at
   most `len` bytes, NUL included. */
LOOM_RUNTIME_API size_t loomFunctionSignature(const LoomBundle *bundle,
                                              const char *fn, char *buf,
                                              size_t len);

/* Checks the args of a call of `fn` (dtype, rank, static extents, the
   manifest's checks, and its grids and params, which follow from the args;
   `data` is not looked at) and computes its results' dtypes, ranks and
   shapes: result r's extents go to shapes[r * LOOM_MAX_RANK ...]. `dtypes`
   may be NULL. Touches no GPU. */
LOOM_RUNTIME_API int loomResultShapes(const LoomBundle *bundle,
                                      const char *fn, const LoomBuffer *args,
                                      int64_t numArgs, int32_t *dtypes,
                                      int32_t *ranks, int64_t *shapes,
                                      char *err, size_t errLen);

/* Loads the bundle's module into the calling thread's current CUDA context
   (device 0's primary context where there is none) and checks the
   device's compute capability. loomLaunch does this on first use; call it
   before capturing a CUDA graph. */
LOOM_RUNTIME_API int loomBundlePrepare(LoomBundle *bundle, char *err,
                                       size_t errLen);

/* Launches `fn` on `stream` (a CUstream; NULL is the legacy default
   stream) with `buffers` = its args, then its results, whose shapes must be
   those loomResultShapes computes. Everything is checked before the first
   kernel is enqueued. Does not synchronize: kernel faults surface at the
   caller's next synchronization. */
LOOM_RUNTIME_API int loomLaunch(LoomBundle *bundle, const char *fn,
                                const LoomBuffer *buffers, int64_t numBuffers,
                                void *stream, char *err, size_t errLen);

#ifdef __cplusplus
}
#endif

#endif /* LOOM_C_RUNTIME_H */
