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

#include "loom/Runtime/HostRun.h"
#include "loom/Support/Npy.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

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

int run(const Options &options) {
  LoomBundle *bundle = nullptr;
  char err[8192];
  if (loomBundleLoad(options.bundle.c_str(), &bundle, err, sizeof(err)))
    return fail(err);
  struct BundleGuard {
    LoomBundle *bundle;
    ~BundleGuard() { loomBundleFree(bundle); }
  } guard{bundle};

  if (options.list) {
    int64_t count = loomFunctionCount(bundle);
    std::printf("%s: %s, %lld function%s\n", options.bundle.c_str(),
                loomBundleArch(bundle), static_cast<long long>(count),
                count == 1 ? "" : "s");
    for (int64_t i = 0; i < count; ++i) {
      const char *name = loomFunctionName(bundle, i);
      std::string text(loomFunctionSignature(bundle, name, nullptr, 0) + 1,
                       '\0');
      loomFunctionSignature(bundle, name, text.data(), text.size());
      std::printf("  %s\n", text.c_str());
    }
    return 0;
  }

  std::string entry, error;
  if (!loom::runtime::pickEntry(bundle, options.entry, entry, error))
    return fail(error);
  std::vector<npy::Array> inputs(options.inputs.size()), results;
  for (size_t i = 0; i < inputs.size(); ++i)
    if (!npy::readFile(options.inputs[i], inputs[i], error))
      return fail(error);
  loom::runtime::HostRunOptions runOptions;
  runOptions.poison = options.poison;
  runOptions.device = options.device;
  if (!loom::runtime::runOnHostArrays(bundle, entry, inputs, runOptions,
                                      results, error))
    return fail(error);

  std::error_code ec;
  std::filesystem::create_directories(options.outputDir, ec);
  if (ec)
    return fail("cannot create " + options.outputDir + ": " + ec.message());
  for (size_t r = 0; r < results.size(); ++r) {
    std::string path = (std::filesystem::path(options.outputDir) /
                        ("out" + std::to_string(r) + ".npy"))
                           .string();
    if (!npy::writeFile(path, results[r].dtype, results[r].shape,
                        results[r].bytes.data(), error))
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
