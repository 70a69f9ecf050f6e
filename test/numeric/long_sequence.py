#!/usr/bin/env python3
"""One very long sequence on the CPU chunked path: memory linear in T.

Runs Gated DeltaNet (scalar decay + beta, bf16, H = 1, K = V = 16) at
T = 2^20 through the full pipeline and the reference lowering, compares the
two (both are Loom, so this checks the chunked path against the oracle at a
length the float64 numpy reference cannot reach), and bounds the peak memory
of each run by the bytes of its inputs and outputs plus a fixed allowance.
"""
import argparse
import os
import resource
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from cases import bf16_bits, decode  # noqa: E402

IR = """func.func @main(%q: tensor<1x?x1x16xbf16>, %k: tensor<1x?x1x16xbf16>,
                 %v: tensor<1x?x1x16xbf16>, %g: tensor<1x?x1xf32>,
                 %b: tensor<1x?x1xf32>)
    -> (tensor<1x?x1x16xbf16>, tensor<1x1x16x16xf32>) {
  %o, %s = loom.linear_attention %q, %k, %v decay %g beta %b {qk_l2norm}
      : (tensor<1x?x1x16xbf16>, tensor<1x?x1x16xbf16>, tensor<1x?x1x16xbf16>,
         tensor<1x?x1xf32>, tensor<1x?x1xf32>)
      -> (tensor<1x?x1x16xbf16>, tensor<1x1x16x16xf32>)
  return %o, %s : tensor<1x?x1x16xbf16>, tensor<1x1x16x16xf32>
}
"""


# Runs argv[1:] and prints its peak RSS: RUSAGE_CHILDREN is a maximum over
# all children, so each measured run gets a parent of its own.
MEASURE = """import resource, subprocess, sys
p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stderr.write(p.stderr)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)
sys.exit(p.returncode)"""


def run(cmd):
    """Runs cmd; returns its peak RSS in bytes."""
    proc = subprocess.run([sys.executable, "-c", MEASURE, *cmd],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    return int(proc.stdout.split()[-1])


def write_inputs(rng, T, work):
    arrays = {
        "q": bf16_bits(rng.standard_normal((1, T, 1, 16), dtype=np.float32)),
        "k": bf16_bits(rng.standard_normal((1, T, 1, 16), dtype=np.float32)),
        "v": bf16_bits(rng.standard_normal((1, T, 1, 16), dtype=np.float32)),
        "g": -rng.random((1, T, 1), dtype=np.float32) * 0.5,
        "b": rng.random((1, T, 1), dtype=np.float32),
    }
    inputs, io_bytes = [], arrays["v"].nbytes  # the output
    for name, a in arrays.items():
        path = os.path.join(work, f"{name}{T}.npy")
        np.save(path, a)
        inputs.append(f"--input={path}")
        io_bytes += a.nbytes
    return inputs, io_bytes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--loom-run", required=True)
    ap.add_argument("--tokens", type=int, default=1 << 20)
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "little")
    print(f"seed {seed}")
    rng = np.random.default_rng(seed)
    T = args.tokens
    work = tempfile.mkdtemp(prefix="loom-long-")
    ir = os.path.join(work, "gdn.mlir")
    with open(ir, "w") as f:
        f.write(IR)
    # A quarter of the length first: the growth from T/4 to T must be that of
    # the inputs and outputs (plus slack), whatever the fixed cost of the JIT.
    small_inputs, small_io = write_inputs(rng, T // 4, work)
    inputs, io_bytes = write_inputs(rng, T, work)
    outs = {}
    for mode in ["full", "reference"]:
        flags = ["--reference"] if mode == "reference" else []
        small = run([args.loom_run, ir, f"--output-dir={work}/{mode}-small",
                     *small_inputs, *flags])
        out = os.path.join(work, mode)
        peak = run([args.loom_run, ir, f"--output-dir={out}", *inputs, *flags])
        growth, allowed = peak - small, 3 * (io_bytes - small_io) + 64 * 2**20
        print(f"{mode}: peak RSS {small / 2**20:.0f} MiB at T/4, "
              f"{peak / 2**20:.0f} MiB at T (growth {growth / 2**20:.0f} MiB, "
              f"allowed {allowed / 2**20:.0f})")
        if growth > allowed:
            sys.exit(f"{mode}: memory is not linear in T")
        outs[mode] = (decode(np.load(os.path.join(out, "out0.npy")), "bf16"),
                      np.load(os.path.join(out, "out1.npy")))
    (o_full, s_full), (o_ref, s_ref) = outs["full"], outs["reference"]
    for name, x, ref in [("o", o_full, o_ref), ("state", s_full, s_ref)]:
        if not np.isfinite(x).all():
            sys.exit(f"{name}: non-finite values")
        err = np.linalg.norm(x - ref) / max(np.linalg.norm(ref), 1e-30)
        print(f"{name}: relative error {err:.2e}")
        # bf16 rounding of o; the state is f32 in both.
        if err > (1e-2 if name == "o" else 1e-3):
            sys.exit(f"{name}: chunked and reference paths disagree")
    print("ok")


if __name__ == "__main__":
    main()
