#!/usr/bin/python3
"""Checks bench/kernels/*.mlir on the CPU: every function parses, verifies
(loom-opt) and runs (loom-run --target=cpu) on small random inputs drawn as
bench.py draws them, against test/numeric/reference.py in float64.

  /usr/bin/python3 bench/check_ir.py [--build build] [--T 70] [--B 2]
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "test", "numeric"))
import reference as R  # noqa: E402


def bf16_bits(x):
    bits = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    return ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)


def from_bf16(bits):
    return (bits.astype(np.uint32) << 16).view(np.float32)


def logsigmoid(x):
    return -np.logaddexp(0.0, -x)


def l2n(x):
    return x / np.sqrt((x * x).sum(-1, keepdims=True) + 1e-6)


def make_inputs(form, B, T, H, rng):
    """Returns [(array as stored, array as float64)] in argument order."""
    K = V = 128
    def bf(x):
        b = bf16_bits(x)
        return b, from_bf16(b).astype(np.float64)
    def f32(x):
        x = x.astype(np.float32)
        return x, x.astype(np.float64)
    if form == "mamba2":
        P, N = 64, 128
        x = rng.standard_normal((B, T, H, P))
        dt = np.exp(rng.uniform(np.log(1e-3), np.log(1e-1), (B, T, H)))
        A = -rng.uniform(1.0, 16.0, H)
        Bm = rng.standard_normal((B, T, 1, N))
        Cm = rng.standard_normal((B, T, 1, N))
        D = 1.0 + 0.1 * rng.standard_normal(H)
        return [bf(x), f32(dt), f32(A), bf(Bm), bf(Cm), f32(D)]
    q = rng.standard_normal((B, T, H, K))
    k = rng.standard_normal((B, T, H, K))
    v = rng.standard_normal((B, T, H, V))
    if form in ("delta_rule", "gated_delta_rule"):
        q, k = l2n(q), l2n(k)
    out = [bf(q), bf(k), bf(v)]
    if form in ("simple_gla", "gated_delta_rule"):
        out.append(f32(logsigmoid(rng.standard_normal((B, T, H))) / 16))
    if form == "gla":
        out.append(f32(logsigmoid(rng.standard_normal((B, T, H, K))) / 16))
    if form in ("delta_rule", "gated_delta_rule"):
        out.append(f32(1.0 / (1.0 + np.exp(-rng.standard_normal((B, T, H))))))
    return out


def reference(form, ins):
    a = [x for _, x in ins]
    if form == "mamba2":
        return R.ssd(a[0], a[1], a[2], a[3], a[4], D=a[5])
    kw = {}
    rest = a[3:]
    if form in ("simple_gla", "gla", "gated_delta_rule"):
        kw["decay"] = rest.pop(0)
    if form in ("delta_rule", "gated_delta_rule"):
        kw["beta"] = rest.pop(0)
    return R.linear_attention(a[0], a[1], a[2], scale=128 ** -0.5, **kw)


def rel(x, ref):
    if not np.isfinite(x).all():
        return float("inf")
    return float(np.linalg.norm(x - ref) / max(np.linalg.norm(ref), 1e-30))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--B", type=int, default=2)
    ap.add_argument("--T", type=int, default=70)
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "little")
    rng = np.random.default_rng(seed)
    failed = 0
    for path in sorted(glob.glob(os.path.join(ROOT, "bench", "kernels", "*.mlir"))):
        form = os.path.basename(path)[:-5]
        r = subprocess.run([os.path.join(args.build, "bin", "loom-opt"), path],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print(f"FAIL {form}: loom-opt\n{r.stderr}")
            failed += 1
            continue
        for fn, H in re.findall(r"func\.func @(\w+_h(\d+))\(", open(path).read()):
            with tempfile.TemporaryDirectory() as d:
                ins = make_inputs(form, args.B, args.T, int(H), rng)
                files = []
                for i, (x, _) in enumerate(ins):
                    files.append(os.path.join(d, f"in{i}.npy"))
                    np.save(files[-1], x)
                cmd = [os.path.join(args.build, "bin", "loom-run"), path, f"--entry={fn}",
                       "--target=cpu", f"--output-dir={d}"] + [f"--input={f}" for f in files]
                r = subprocess.run(cmd, capture_output=True, text=True)
                if r.returncode != 0:
                    print(f"FAIL {fn}: loom-run\n{r.stderr}")
                    failed += 1
                    continue
                o, s = np.load(os.path.join(d, "out0.npy")), np.load(os.path.join(d, "out1.npy"))
                o = from_bf16(o) if o.dtype == np.uint16 else o
                o_ref, s_ref = reference(form, ins)
                eo, es = rel(o.astype(np.float64), o_ref), rel(s.astype(np.float64), s_ref)
                ok = eo <= 1e-2 and es <= 1e-4
                failed += not ok
                print(f"{'ok  ' if ok else 'FAIL'} {fn:24s} B={args.B} T={args.T} "
                      f"o {eo:.2e} state {es:.2e}")
    print(f"seed {seed}; {'all passed' if not failed else f'{failed} failed'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
