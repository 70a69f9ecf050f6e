#!/usr/bin/env python3
"""Writes random .npy inputs for a function of a .mlir file, one per argument
in order (in0.npy, in1.npy, ...), for loom-run.

Dynamic sizes take the value given with --dynamic (default 64). Floating
data is N(0, 1) scaled by 1/sqrt(the last dimension), so projections keep
activations of order one; bf16 is written as its bits (<u2); integer
arguments get values in [0, --int-high).
"""
import argparse
import os
import re
import sys

import numpy as np

DTYPES = {"f32": np.float32, "f16": np.float16, "i32": np.int32, "i64": np.int64}


def to_bf16_bits(x):
    bits = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    return ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)


def signature(text, entry):
    match = re.search(r"func\.func\s+@" + re.escape(entry) + r"\s*\((.*?)\)\s*(->|\{)", text, re.S)
    if not match:
        sys.exit(f"error: no function @{entry}")
    return re.findall(r"%[\w.]+\s*:\s*tensor<([^>]*)>", match.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mlir")
    parser.add_argument("outdir")
    parser.add_argument("--entry", default="main")
    parser.add_argument("--dynamic", type=int, default=64)
    parser.add_argument("--int-high", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    os.makedirs(args.outdir, exist_ok=True)
    with open(args.mlir) as f:
        types = signature(f.read(), args.entry)
    for i, spec in enumerate(types):
        *dims, element = spec.split("x")
        shape = [args.dynamic if d == "?" else int(d) for d in dims]
        if element in ("i32", "i64"):
            array = rng.integers(0, args.int_high, shape).astype(DTYPES[element])
        else:
            scale = 1.0 / np.sqrt(shape[-1]) if shape else 1.0
            data = (rng.standard_normal(shape) * scale).astype(np.float32)
            array = to_bf16_bits(data) if element == "bf16" else data.astype(DTYPES[element])
        np.save(os.path.join(args.outdir, f"in{i}.npy"), array)
        print(f"  in{i}.npy  {spec}")


if __name__ == "__main__":
    main()
