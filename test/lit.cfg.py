# -*- Python -*-
import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "LOOM"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.loom_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%loom_src_root", config.loom_src_root))
config.substitutions.append(("%loom_lib_dir", os.path.join(config.loom_obj_root, "lib")))
# Debian's interpreter, which sees python3-numpy (another python3 earlier on
# PATH may not).
config.substitutions.append(("%python3", "/usr/bin/python3"))

# ASan + UBSan builds (scripts/sanitize.sh): their shared libraries cannot
# be loaded into an uninstrumented python3.
if config.loom_sanitized:
    config.available_features.add("sanitizers")

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tools = [
    ToolSubst("loom-launch", unresolved="fatal"),
    ToolSubst("loom-opt", unresolved="fatal"),
    ToolSubst("loom-run", unresolved="fatal"),
    ToolSubst("loomc", unresolved="fatal"),
]
llvm_config.add_tool_substitutions(tools, [config.loom_tools_dir])

# ptxas (CUDA toolkit) assembles the GPU kernels; tests that need it say
# `REQUIRES: ptxas`.
cuda_root = os.environ.get("LOOM_CUDA_ROOT", "/usr/local/cuda")
if os.access(os.path.join(cuda_root, "bin", "ptxas"), os.X_OK):
    config.available_features.add("ptxas")
    config.environment["LOOM_CUDA_ROOT"] = cuda_root
