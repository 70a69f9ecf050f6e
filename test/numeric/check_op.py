#!/usr/bin/python3
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
    type is f32 and 1e-2 when it is f16 or bf16 -- or, for an
    ill-conditioned result (say a single output that is a cancelling dot
    product), at most CONDITIONING_SLACK times the change of the reference
    under random input perturbations of f32's unit roundoff, since no f32
    computation can do better there (see cases.Case.sensitivity).

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
import traceback

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cases as C  # noqa: E402

TOLERANCE = {"f32": 1e-5, "f16": 1e-2, "bf16": 1e-2}
CONDITIONING_SLACK = 64


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
    mode = ["--reference"] if args.pipeline == "reference" else [f"--chunk-size={args.chunk_size}"]
    return ([args.loom_run, mlir, "--target=cpu"] + mode
            + [f"--input={p}" for p in inputs] + [f"--output-dir={out_dir}"]
            + shlex.split(args.extra_args))


def compare(index, elem, got, want, tolerance, sensitivity):
    """Returns (what to print, problem or None) for result `index`.

    A float result whose error exceeds the tolerance still passes when it is
    within CONDITIONING_SLACK times its sensitivity() (an ill-conditioned
    result that no f32 computation could get closer); the line says so.
    """
    name = f"result {index}"
    if got.dtype.str != C.NPY_DTYPE[elem]:
        return "-", f"{name}: dtype {got.dtype.str}, expected {C.NPY_DTYPE[elem]} ({elem})"
    if got.shape != want.shape:
        return "-", f"{name}: shape {got.shape}, expected {want.shape}"
    got = C.decode(got, elem)
    if elem in ("i32", "i64"):
        wrong = np.argwhere(got != want)
        if len(wrong):
            at = tuple(wrong[0])
            return "-", (f"{name}: {len(wrong)} of {want.size} entries differ;"
                         f" first at {at}: got {got[at]}, expected {want[at]}")
        return "exact", None
    for label, test in (("NaN", np.isnan), ("+inf", np.isposinf), ("-inf", np.isneginf)):
        wrong = np.argwhere(test(got) != test(want))
        if len(wrong):
            at = tuple(wrong[0])
            return "-", (f"{name}: {label} pattern differs at {len(wrong)} entries;"
                         f" first at {at}: got {got[at]}, expected {want[at]}")
    finite = np.isfinite(want)
    error = C.relative_error(got[finite], want[finite])
    if error <= tolerance:
        return f"{error:.1e}", None
    allowed = CONDITIONING_SLACK * sensitivity()
    if error <= allowed:
        return f"{error:.1e}(ill-conditioned, allowed {allowed:.1e})", None
    worst = np.unravel_index(np.argmax(np.where(finite, np.abs(got - want), -1)), want.shape)
    return "-", (f"{name}: relative error {error:.3e} > {tolerance:g}"
                 f" (and > {CONDITIONING_SLACK} x sensitivity = {allowed:.1e});"
                 f" worst at {tuple(worst)}: got {got[worst]!r}, expected {want[worst]!r}")


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
        shown, problem = compare(i, elem, np.load(path), want, tolerance,
                                 lambda: case.sensitivity(i))
        if problem:
            return errors, problem
        errors.append(shown)
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
    if args.pipeline != "reference":
        parts += ["--pipeline", args.pipeline, "--chunk-size", str(args.chunk_size)]
    if args.extra_args:
        parts.append(f"--extra-args={args.extra_args}")
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
    parser.add_argument("--pipeline", choices=["reference", "full"], default="reference",
                        help="reference: plain loops (loom-run --reference); full: fused "
                             "and chunked, with sequence lengths around the chunk size")
    parser.add_argument("--chunk-size", type=int, default=64,
                        help="chunk size of the full pipeline")
    parser.add_argument("--extra-args", default="",
                        help="more loom-run arguments, as one string (--extra-args='...')")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per loom-run call")
    parser.add_argument("--work-dir", help="where case files go (default: a temporary dir)")
    parser.add_argument("--mlir-only", metavar="DIR",
                        help="only write the cases (and references) into DIR")
    args = parser.parse_args()
    if not args.mlir_only and not args.loom_run:
        parser.error("--loom-run is required unless --mlir-only is given")
    if args.large and args.op not in C.LARGE_OPS:
        parser.error(f"--large is not defined for {args.op}")
    if args.pipeline == "full":
        # Chunk boundaries are where chunked forms break: one token, a chunk
        # minus one, exactly one, one more, and a few hundred.
        c = args.chunk_size
        C.LENGTHS = tuple(sorted({1, max(c - 1, 1), c, c + 1, 300}))
        # The chunked forms reassociate sums; SPEC allows them 1e-4 in f32.
        TOLERANCE["f32"] = 1e-4
    return args


def main():
    args = parse_args()
    seed = args.seed if args.seed is not None else secrets.randbits(32)
    work_dir = args.mlir_only or args.work_dir or tempfile.mkdtemp(prefix="loom-numeric-")
    os.makedirs(work_dir, exist_ok=True)
    indices = [args.case] if args.case is not None else range(args.cases)
    print(f"check_op: op={args.op} seed={seed} cases={len(indices)} pipeline={args.pipeline}"
          f"{f' chunk-size={args.chunk_size}' if args.pipeline == 'full' else ''}"
          f"{' large' if args.large else ''} work-dir={work_dir}", flush=True)
    for index in indices:
        case_dir = os.path.join(work_dir, f"case{index:03d}")
        start = time.time()
        summary, errors = "(not generated)", []
        try:
            case = C.GENERATORS[args.op](np.random.default_rng([seed, index]), args.large)
            summary = case.summary()
            errors, problem = run_case(args, case, case_dir)
        except Exception:
            problem = "the harness raised:\n" + traceback.format_exc()
        print(f"[{index:3d}] {summary} | {' '.join(errors) or '-'} | {time.time() - start:.2f}s", flush=True)
        if problem:
            print(f"FAIL: {args.op} case {index} (seed {seed}): {summary}\n{problem}\n"
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
