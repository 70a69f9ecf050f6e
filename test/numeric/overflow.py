#!/usr/bin/env python3
"""bf16 inputs whose products overflow: a defined result, not garbage.

Linear attention (scalar decay, and the delta rule) on bf16 inputs of
magnitude ~1e18, so that q.k, S^T q and o leave the f32/bf16 range for some
rows and not others. Both CPU pipelines (reference loops and fuse + chunk)
must give what the float64 reference gives once rounded to bf16 wherever
that is finite (to bf16 accuracy, relative to each row's magnitude), and a
non-finite value (inf, or NaN where overflowing terms of both signs meet in
an f32 sum: SPEC.md computes in f32) wherever it overflows: never a finite
number in place of an overflow, and never NaN or inf in place of a value of
ordinary size.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import reference as R  # noqa: E402
from cases import bf16_bits, decode  # noqa: E402

B, T, H, K = 1, 80, 2, 16


def ir(beta):
    q = f"tensor<{B}x{T}x{H}x{K}xbf16>"
    g = f"tensor<{B}x{T}x{H}xf32>"
    s = f"tensor<{B}x{H}x{K}x{K}xf32>"
    args = f"%q: {q}, %k: {q}, %v: {q}, %g: {g}" + (f", %b: {g}" if beta else "")
    ops = "%q, %k, %v decay %g" + (" beta %b" if beta else "")
    types = f"{q}, {q}, {q}, {g}" + (f", {g}" if beta else "")
    return (f"func.func @main({args}) -> ({q}, {s}) {{\n"
            f"  %o, %s = loom.linear_attention {ops} : ({types}) -> ({q}, {s})\n"
            f"  return %o, %s : {q}, {s}\n}}\n")


def to_bf16(x):
    """float64 -> the bf16 value it rounds to (inf beyond the range)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return decode(bf16_bits(x.astype(np.float32)), "bf16")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--loom-run", required=True)
    ap.add_argument("--seed", type=int)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "little")
    print(f"seed {seed}")
    rng = np.random.default_rng(seed)
    work = tempfile.mkdtemp(prefix="loom-overflow-")
    failed = False
    for beta in [False, True]:
        # Rows of magnitude 1 .. 1e18 (1e20 for the delta rule): products
        # reach 1e36 * K and beyond.
        mag = 10.0 ** rng.integers(0, 21 if beta else 19, size=(B, T, H, 1))
        q = decode(bf16_bits(rng.standard_normal((B, T, H, K)) * mag), "bf16")
        k = rng.standard_normal((B, T, H, K))
        if beta:
            # The delta rule is a contraction only for beta |k|^2 <= 2, and
            # its chunked (WY) form forms products of up to C keys: with
            # |k| ~ 1e18 those overflow f32 wherever the token-by-token
            # recurrence does not. Keys are unit rows, as in DeltaNet
            # layers; q and v carry the magnitudes.
            k = k / np.linalg.norm(k, axis=-1, keepdims=True)
        else:
            k = k * mag[:, ::-1]
        k = decode(bf16_bits(k), "bf16")
        v = decode(bf16_bits(rng.standard_normal((B, T, H, K)) * mag), "bf16")
        g = -rng.random((B, T, H)) * 0.5
        b = rng.random((B, T, H)) if beta else None
        with np.errstate(all="ignore"):
            o_ref, s_ref = R.linear_attention(q, k, v, decay=g, beta=b)
        o_ref = to_bf16(o_ref)
        s_ref = s_ref.astype(np.float32).astype(np.float64)
        path = os.path.join(work, f"la{int(beta)}.mlir")
        with open(path, "w") as f:
            f.write(ir(beta))
        inputs = []
        for name, x, bf in [("q", q, 1), ("k", k, 1), ("v", v, 1), ("g", g, 0), ("b", b, 0)]:
            if x is None:
                continue
            file = os.path.join(work, f"{name}{int(beta)}.npy")
            np.save(file, bf16_bits(x.astype(np.float32)).astype("<u2") if bf else x.astype("<f4"))
            inputs.append(f"--input={file}")
        for mode in ["reference", "full"]:
            out = os.path.join(work, f"{mode}{int(beta)}")
            cmd = [args.loom_run, path, f"--output-dir={out}", *inputs]
            if mode == "reference":
                cmd.append("--reference")
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0:
                sys.exit(f"{mode}: loom-run failed:\n{r.stderr}")
            o = decode(np.load(os.path.join(out, "out0.npy")), "bf16")
            s = np.load(os.path.join(out, "out1.npy")).astype(np.float64)
            for name, x, ref in [("o", o, o_ref), ("state", s, s_ref)]:
                # Within 2^100 of the f32 limit an f32 sum may overflow on the
                # way to a representable result (SPEC.md computes in f32);
                # below that, nothing may be lost.
                lost = ~np.isfinite(x) & np.isfinite(ref) & (np.abs(ref) < 1e8)
                invented = np.isfinite(x) & ~np.isfinite(ref)
                fin = np.isfinite(x) & np.isfinite(ref)
                # Relative to each row's magnitude: rows span 36 decades.
                scale = np.maximum(np.abs(ref), 1e-30)
                with np.errstate(all="ignore"):
                    diff = np.where(fin, np.abs(x - ref), 0.0)
                    rel = diff / scale
                    row = np.where(np.isfinite(ref), np.abs(ref), 0.0).max(axis=-1, keepdims=True)
                # bf16 output rounding, f32 accumulation of terms of mixed sign.
                loose = (rel > 5e-2) & (diff > 1e-3 * row)
                status = "ok"
                if lost.any() or invented.any() or loose.any():
                    status = (f"FAIL: {lost.sum()} non-finite where the reference is finite, "
                              f"{invented.sum()} finite where it overflows, {loose.sum()} far off")
                    failed = True
                print(f"{'delta' if beta else 'gla'} {mode} {name}: "
                      f"{np.isinf(ref).sum()} inf in the reference, {status}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
