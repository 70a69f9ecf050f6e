//===- loom-launch.cpp - Run a function of a kernel bundle on .npy inputs -===//
//
//   loom-launch BUNDLE [--entry=NAME] [--input=A.npy]... [--output-dir=DIR]
//               [--poison] [--device=N]
//   loom-launch BUNDLE --list
//
// Reads one .npy per argument, checks them against the manifest, copies
// them to the GPU, launches, synchronizes and writes out0.npy, out1.npy, ...
// per result. Everything about the bundle and the inputs is checked before
// CUDA is touched, so those errors come out on machines without a GPU too.
// Plain C++ like the runtime (no MLIR or LLVM).
//
//===----------------------------------------------------------------------===//

#include "loom-c/Runtime.h"

#include "CudaDriver.h"
#include "loom/Support/Npy.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

namespace cu = loom::runtime::cuda;
namespace npy = loom::npy;

namespace {

const char kUsage[] =
    "usage: loom-launch BUNDLE [--entry=NAME] [--input=A.npy]... "
    "[--output-dir=DIR] [--poison] [--device=N]\n"
    "       loom-launch BUNDLE --list\n"
    "\n"
    "BUNDLE is a bundle directory (docs/bundle.md) or its manifest file.\n"
    "  --entry=NAME      the function to run (default: the only one, or main)\n"
    "  --input=A.npy     one per argument, in order\n"
    "  --output-dir=DIR  where out0.npy, out1.npy, ... go (default: .)\n"
    "  --poison          fill the results with 0xFF bytes (NaN) first\n"
    "  --device=N        the CUDA device (default: 0)\n"
    "  --list            print the bundle's functions and exit\n";

int fail(const std::string &message) {
  std::fprintf(stderr, "loom-launch: error: %s\n", message.c_str());
  return 1;
}

struct Options {
  std::string bundle, entry, outputDir = ".";
  std::vector<std::string> inputs;
  bool list = false, poison = false, help = false;
  int device = 0;
};

bool parseOptions(int argc, char **argv, Options &options, std::string &error) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char *name, std::string &out) {
      size_t n = std::strlen(name);
      if (arg.compare(0, n, name) != 0 || arg.size() <= n || arg[n] != '=')
        return false;
      out = arg.substr(n + 1);
      return true;
    };
    std::string text;
    if (arg == "--list")
      options.list = true;
    else if (arg == "--poison")
      options.poison = true;
    else if (arg == "--help" || arg == "-h")
      options.help = true;
    else if (value("--entry", options.entry) ||
             value("--output-dir", options.outputDir))
      continue;
    else if (value("--input", text))
      options.inputs.push_back(text);
    else if (value("--device", text)) {
      char *end = nullptr;
      long device = std::strtol(text.c_str(), &end, 10);
      if (text.empty() || *end || device < 0 || device > 1024) {
        error = "--device wants a device ordinal, got '" + text + "'";
        return false;
      }
      options.device = int(device);
    } else if (arg.size() > 1 && arg[0] == '-') {
      error = "unknown option '" + arg + "' (see --help)";
      return false;
    } else if (options.bundle.empty()) {
      options.bundle = arg;
    } else {
      error = "more than one bundle given ('" + options.bundle + "' and '" +
              arg + "')";
      return false;
    }
  }
  if (options.bundle.empty() && !options.help) {
    error = "no bundle given (see --help)";
    return false;
  }
  return true;
}

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

int run(const Options &options) {
  LoomBundle *bundle = nullptr;
  char err[8192];
  if (loomBundleLoad(options.bundle.c_str(), &bundle, err, sizeof(err)))
    return fail(err);
  struct BundleGuard {
    LoomBundle *bundle;
    ~BundleGuard() { loomBundleFree(bundle); }
  } guard{bundle};

  auto signature = [&](const char *name) {
    std::string text(loomFunctionSignature(bundle, name, nullptr, 0) + 1, '\0');
    loomFunctionSignature(bundle, name, text.data(), text.size());
    text.pop_back();
    return text;
  };
  int64_t count = loomFunctionCount(bundle);
  if (options.list) {
    std::printf("%s: %s, %lld function%s\n", options.bundle.c_str(),
                loomBundleArch(bundle), static_cast<long long>(count),
                count == 1 ? "" : "s");
    for (int64_t i = 0; i < count; ++i)
      std::printf("  %s\n", signature(loomFunctionName(bundle, i)).c_str());
    return 0;
  }

  std::string names;
  bool hasMain = false;
  for (int64_t i = 0; i < count; ++i) {
    std::string name = loomFunctionName(bundle, i);
    names += (i ? ", '" : "'") + name + "'";
    hasMain |= name == "main";
  }
  std::string entry = options.entry;
  if (entry.empty()) {
    if (count == 1)
      entry = loomFunctionName(bundle, 0);
    else if (hasMain)
      entry = "main";
    else if (count == 0)
      return fail("the bundle has no functions");
    else
      return fail("the bundle has " + std::to_string(count) +
                  " functions and none is 'main'; pick one with --entry (" +
                  names + ")");
  }
  int64_t numArgs, numResults;
  if (loomFunctionArity(bundle, entry.c_str(), &numArgs, &numResults, err,
                        sizeof(err)))
    return fail(err);
  if (size_t(numArgs) != options.inputs.size())
    return fail("'" + entry + "' takes " + std::to_string(numArgs) + " args, " +
                std::to_string(options.inputs.size()) +
                " inputs were given: " + signature(entry.c_str()));

  std::vector<npy::Array> inputs(options.inputs.size());
  std::vector<LoomBuffer> buffers(size_t(numArgs + numResults));
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::string error;
    if (!npy::readFile(options.inputs[i], inputs[i], error))
      return fail(error);
    buffers[i] = {nullptr, toLoomDType(inputs[i].dtype),
                  int32_t(inputs[i].shape.size()), inputs[i].shape.data()};
  }
  std::vector<int32_t> dtypes(size_t(numResults) + 1), ranks(dtypes.size());
  std::vector<int64_t> shapes(dtypes.size() * LOOM_MAX_RANK);
  if (loomResultShapes(bundle, entry.c_str(), buffers.data(), numArgs,
                       dtypes.data(), ranks.data(), shapes.data(), err,
                       sizeof(err)))
    return fail("'" + entry + "': " + err);
  std::vector<std::vector<int64_t>> resultShapes(
      static_cast<size_t>(numResults));
  std::vector<size_t> resultBytes(static_cast<size_t>(numResults));
  for (size_t r = 0; r < resultShapes.size(); ++r) {
    resultShapes[r].assign(shapes.begin() + r * LOOM_MAX_RANK,
                           shapes.begin() + r * LOOM_MAX_RANK + ranks[r]);
    // Cannot overflow: the runtime checked the byte size.
    size_t bytes = npy::elementSize(toNpyDType(dtypes[r]));
    for (int64_t dim : resultShapes[r])
      bytes *= size_t(dim);
    resultBytes[r] = bytes;
    buffers[size_t(numArgs) + r] = {nullptr, dtypes[r], ranks[r],
                                    resultShapes[r].data()};
  }

  // Only now CUDA.
  std::string error;
  DeviceBuffers memory;
  memory.driver = cu::getDriver(error);
  if (!memory.driver)
    return fail(error);
  const cu::Driver &driver = *memory.driver;
  cu::CUcontext context;
  if (!cu::currentContext(driver, options.device, context, error))
    return fail(error);
  for (size_t i = 0; i < inputs.size(); ++i) {
    cu::CUdeviceptr pointer;
    const std::vector<uint8_t> &bytes = inputs[i].bytes;
    if (!memory.allocate(bytes.size(), pointer, error) ||
        (pointer &&
         !cu::check(
             driver, driver.cuMemcpyHtoD(pointer, bytes.data(), bytes.size()),
             "cannot copy input #" + std::to_string(i) + " to the device",
             error)))
      return fail(error);
    buffers[i].data = reinterpret_cast<void *>(uintptr_t(pointer));
  }
  std::vector<cu::CUdeviceptr> results(static_cast<size_t>(numResults));
  for (size_t r = 0; r < results.size(); ++r) {
    if (!memory.allocate(resultBytes[r], results[r], error) ||
        (results[r] && options.poison &&
         !cu::check(driver, driver.cuMemsetD8(results[r], 0xFF, resultBytes[r]),
                    "cuMemsetD8", error)))
      return fail(error);
    buffers[size_t(numArgs) + r].data =
        reinterpret_cast<void *>(uintptr_t(results[r]));
  }

  if (loomLaunch(bundle, entry.c_str(), buffers.data(), int64_t(buffers.size()),
                 /*stream=*/nullptr, err, sizeof(err)))
    return fail(err);
  if (!cu::check(driver, driver.cuCtxSynchronize(),
                 "the kernels of '" + entry + "' failed", error))
    return fail(error);

  std::error_code ec;
  std::filesystem::create_directories(options.outputDir, ec);
  if (ec)
    return fail("cannot create " + options.outputDir + ": " + ec.message());
  for (size_t r = 0; r < results.size(); ++r) {
    std::vector<uint8_t> host(resultBytes[r]);
    if (results[r] &&
        !cu::check(driver,
                   driver.cuMemcpyDtoH(host.data(), results[r], host.size()),
                   "cannot copy result #" + std::to_string(r) + " back", error))
      return fail(error);
    std::string path = (std::filesystem::path(options.outputDir) /
                        ("out" + std::to_string(r) + ".npy"))
                           .string();
    if (!npy::writeFile(path, toNpyDType(dtypes[r]), resultShapes[r],
                        host.data(), error))
      return fail(error);
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  std::string error;
  if (!parseOptions(argc, argv, options, error))
    return fail(error);
  if (options.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  return run(options);
}
