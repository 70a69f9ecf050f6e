#!/usr/bin/env python3
"""Checks the CPU lowering of one loom op against a float64 numpy reference.

For each case a random configuration of the op is drawn (cases.py), written
as `@main` plus one .npy per argument, run through

    loom-run main.mlir --target=cpu --reference --input=a0.npy ... --output-dir=out

and every result is compared with reference.py computed from the same
(rounded) inputs:
  * integer results (indices, perm, offsets) must match exactly;
  * float results must have the same NaN, +inf and -inf pattern, and over
    the finite entries a norm-wise relative error
    ||out - ref|| / max(||ref||, 1e-30) of at most 1e-5 when the op's data
    type is f32 and 1e-2 when it is f16 or bf16.

The seed is fresh each run unless --seed is given, and is printed; a failing
case prints the command that replays just that case, and its files are kept.
--mlir-only DIR writes the cases (IR, inputs, float64 references as
ref<i>.npy, and the loom-run command) without running anything.

Run with /usr/bin/python3 (Debian's, which has numpy).
"""
import argparse
import os
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cases as C  # noqa: E402

TOLERANCE = {"f32": 1e-5, "f16": 1e-2, "bf16": 1e-2}


def write_case(case, case_dir):
    """Writes main.mlir and a<i>.npy; returns (mlir path, input paths)."""
    shutil.rmtree(case_dir, ignore_errors=True)
    os.makedirs(case_dir)
    mlir = os.path.join(case_dir, "main.mlir")
    with open(mlir, "w") as f:
        f.write(f"// {case.summary()}\n" + case.mlir())
    inputs = []
    for i, operand in enumerate(case.operands):
        inputs.append(os.path.join(case_dir, f"a{i}.npy"))
        np.save(inputs[-1], operand.array)
    return mlir, inputs


def loom_run_command(args, mlir, inputs, out_dir):
    return ([args.loom_run, mlir, "--target=cpu", "--reference"]
            + [f"--input={p}" for p in inputs] + [f"--output-dir={out_dir}"]
            + shlex.split(args.extra_args))


def compare(index, elem, got, want, tolerance):
    """Returns (error or None for exact integers, problem or None)."""
    name = f"result {index}"
    if got.dtype.str != C.NPY_DTYPE[elem]:
        return None, f"{name}: dtype {got.dtype.str}, expected {C.NPY_DTYPE[elem]} ({elem})"
    if got.shape != want.shape:
        return None, f"{name}: shape {got.shape}, expected {want.shape}"
    got = C.decode(got, elem)
    if elem in ("i32", "i64"):
        wrong = np.argwhere(got != want)
        if len(wrong):
            at = tuple(wrong[0])
            return None, (f"{name}: {len(wrong)} of {want.size} entries differ;"
                          f" first at {at}: got {got[at]}, expected {want[at]}")
        return None, None
    for label, test in (("NaN", np.isnan), ("+inf", np.isposinf), ("-inf", np.isneginf)):
        wrong = np.argwhere(test(got) != test(want))
        if len(wrong):
            at = tuple(wrong[0])
            return None, (f"{name}: {label} pattern differs at {len(wrong)} entries;"
                          f" first at {at}: got {got[at]}, expected {want[at]}")
    finite = np.isfinite(want)
    diff = np.linalg.norm(got[finite] - want[finite])
    error = diff / max(np.linalg.norm(want[finite]), 1e-30)
    if not error <= tolerance:
        worst = np.unravel_index(np.argmax(np.where(finite, np.abs(got - want), -1)), want.shape)
        return error, (f"{name}: relative error {error:.3e} > {tolerance:g};"
                       f" worst at {tuple(worst)}: got {got[worst]!r}, expected {want[worst]!r}")
    return error, None


def run_case(args, case, case_dir):
    """Runs loom-run on one case and compares; returns (errors, problem)."""
    mlir, inputs = write_case(case, case_dir)
    out_dir = os.path.join(case_dir, "out")
    command = loom_run_command(args, mlir, inputs, out_dir)
    with open(os.path.join(case_dir, "command.txt"), "w") as f:
        f.write(shlex.join(command) + "\n")
    expected = case.reference()
    if args.mlir_only:
        for i, ref in enumerate(expected):
            np.save(os.path.join(case_dir, f"ref{i}.npy"), ref)
        return [], None
    os.makedirs(out_dir)
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return [], f"loom-run timed out after {args.timeout} s"
    if proc.returncode != 0:
        return [], (f"loom-run exited with {proc.returncode}\n"
                    f"--- stderr (tail) ---\n{proc.stderr[-4000:]}")
    tolerance = TOLERANCE[case.data_type]
    errors = []
    for i, ((elem, _), want) in enumerate(zip(case.results, expected)):
        path = os.path.join(out_dir, f"out{i}.npy")
        if not os.path.exists(path):
            return errors, f"loom-run wrote no {path}"
        error, problem = compare(i, elem, np.load(path), want, tolerance)
        if problem:
            return errors, problem
        errors.append(error)
    extra = sorted(set(os.listdir(out_dir)) - {f"out{i}.npy" for i in range(len(expected))})
    if extra:
        return errors, f"unexpected files in {out_dir}: {extra}"
    return errors, None


def replay_command(args, seed, index):
    parts = [sys.executable, os.path.abspath(__file__), "--op", args.op,
             "--seed", str(seed), "--case", str(index)]
    if args.mlir_only:
        parts += ["--mlir-only", args.mlir_only]
    else:
        parts += ["--loom-run", args.loom_run]
    if args.large:
        parts.append("--large")
    if args.extra_args:
        parts += ["--extra-args", args.extra_args]
    return shlex.join(parts)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--op", required=True, choices=sorted(C.GENERATORS))
    parser.add_argument("--cases", type=int, default=20, help="number of random cases")
    parser.add_argument("--seed", type=int, help="replay this seed (default: fresh)")
    parser.add_argument("--case", type=int, help="run only case number CASE of the seed")
    parser.add_argument("--large", action="store_true",
                        help=f"model-sized shapes (only {', '.join(C.LARGE_OPS)})")
    parser.add_argument("--loom-run", help="the loom-run executable")
    parser.add_argument("--extra-args", default="", help="more loom-run arguments")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per loom-run call")
    parser.add_argument("--work-dir", help="where case files go (default: a temporary dir)")
    parser.add_argument("--mlir-only", metavar="DIR",
                        help="only write the cases (and references) into DIR")
    args = parser.parse_args()
    if not args.mlir_only and not args.loom_run:
        parser.error("--loom-run is required unless --mlir-only is given")
    if args.large and args.op not in C.LARGE_OPS:
        parser.error(f"--large is not defined for {args.op}")
    return args


def main():
    args = parse_args()
    seed = args.seed if args.seed is not None else secrets.randbits(32)
    work_dir = args.mlir_only or args.work_dir or tempfile.mkdtemp(prefix="loom-numeric-")
    os.makedirs(work_dir, exist_ok=True)
    indices = [args.case] if args.case is not None else range(args.cases)
    print(f"check_op: op={args.op} seed={seed} cases={len(indices)}"
          f"{' large' if args.large else ''} work-dir={work_dir}", flush=True)
    for index in indices:
        rng = np.random.default_rng([seed, index])
        case = C.GENERATORS[args.op](rng, args.large)
        case_dir = os.path.join(work_dir, f"case{index:03d}")
        start = time.time()
        errors, problem = run_case(args, case, case_dir)
        shown = " ".join("exact" if e is None else f"{e:.1e}" for e in errors)
        print(f"[{index:3d}] {case.summary()} | {shown or '-'} | {time.time() - start:.2f}s",
              flush=True)
        if problem:
            print(f"FAIL: {args.op} case {index} (seed {seed}): {case.summary()}\n{problem}\n"
                  f"files kept in {case_dir} (main.mlir, a<i>.npy, out/, command.txt)\n"
                  f"replay: {replay_command(args, seed, index)}", flush=True)
            return 1
        if not args.mlir_only:
            shutil.rmtree(case_dir)
    if args.mlir_only:
        print(f"check_op: {args.op}: wrote {len(indices)} cases to {work_dir} (seed {seed})")
        return 0
    if not args.work_dir:
        shutil.rmtree(work_dir)
    print(f"check_op: {args.op}: all {len(indices)} cases passed (seed {seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
