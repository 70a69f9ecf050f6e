#!/usr/bin/env python3
"""Mutation smoke test: loom-opt never crashes on malformed loom IR.

Takes the cases of the given .mlir files (split at `// -----`), applies
random token-level mutations (deletions, insertions, swaps, changed numbers,
shapes, element types and keywords), and runs every mutant through loom-opt
in one -split-input-file process. Diagnostics and exit code 1 are expected;
a signal, an exit code other than 0 or 1, or a crash banner fails the test.

The seed is fresh each run and printed; LOOM_FUZZ_SEED replays one.
"""
import argparse
import os
import random
import re
import subprocess
import sys

TOKEN = re.compile(r"%[\w.]+|[A-Za-z_][\w.]*|-?\d+(?:\.\d*)?(?:e[-+]?\d+)?|\"[^\"]*\"|\S")
NUMBERS = ["0", "1", "-1", "2", "3", "7", "64", "65536", "9223372036854775807",
           "-9223372036854775808", "18446744073709551616", "0.0", "-1.0e+30", "1.0e+39"]
TYPES = ["f32", "f16", "bf16", "f64", "i32", "i64", "i1", "index", "f8E4M3FN", "none"]
WORDS = ["decay", "beta", "initial_state", "cu_seqlens", "D", "z", "delta_bias", "dt_bias",
         "bias", "causal", "normalize", "qk_l2norm", "k", "top_k", "n_group", "topk_group",
         "num_experts", "activation", "score", "scale", "alpha", "?", "x", "tensor", "<", ">",
         "(", ")", "{", "}", ",", ":", "=", "->", "*", "loom.topk", "loom.ssd", "%arg0"]


def split_cases(text):
    return [c for c in re.split(r"^// -----\s*$", text, flags=re.M) if "loom." in c]


def mutate_type_everywhere(text, rng):
    """Rewrites one tensor type at all its uses, so that the IR still parses
    and the mutant reaches the verifiers."""
    types = sorted(set(re.findall(r"tensor<[^>]*>", text)))
    if not types:
        return text
    old = rng.choice(types)
    dims = old[len("tensor<"):-1].split("x")
    choice = rng.randrange(4)
    if choice == 0 and len(dims) > 1:
        k = rng.randrange(len(dims) - 1)
        dims[k] = rng.choice(["?", "0", "1", "2", "3", "5", "17", "4096", "9223372036854775806"])
    elif choice == 1:
        dims[-1] = rng.choice(TYPES[:-1])
    elif choice == 2 and len(dims) > 1:
        del dims[rng.randrange(len(dims) - 1)]
    else:
        dims.insert(rng.randrange(len(dims)), rng.choice(["1", "2", "?"]))
    new = "tensor<" + "x".join(dims) + ">"
    return text.replace(old, new)


def mutate(case, rng):
    # Drop comments so expected-error annotations do not matter.
    lines = [l for l in case.splitlines() if not l.lstrip().startswith("//")]
    text = "\n".join(lines)
    spans = [m.span() for m in TOKEN.finditer(text)]
    for _ in range(rng.randint(1, 3)):
        if rng.random() < 0.5:
            text = mutate_type_everywhere(text, rng)
            spans = [m.span() for m in TOKEN.finditer(text)]
            continue
        if not spans:
            break
        i = rng.randrange(len(spans))
        start, end = spans[i]
        tok = text[start:end]
        kind = rng.randrange(8)
        if kind == 0:
            new = ""
        elif kind == 1:
            new = tok + " " + rng.choice(WORDS)
        elif kind == 2:
            j = rng.randrange(len(spans))
            new = text[spans[j][0]:spans[j][1]]
        elif kind == 3 or re.fullmatch(r"-?\d.*", tok):
            new = rng.choice(NUMBERS)
        elif kind == 4:
            new = re.sub(r"(\d+|\?)x", lambda m: rng.choice(["?x", "0x", "1x", "3x", "x", "1x1x"]), tok, count=1) \
                if "x" in tok else rng.choice(TYPES)
        elif kind == 5:
            new = rng.choice(TYPES)
        elif kind == 6:
            new = rng.choice(WORDS)
        else:
            # Change one dimension inside a tensor type near this token.
            m = re.search(r"tensor<([^>]*)>", text[start:])
            if m:
                dims = m.group(1).split("x")
                if len(dims) > 1:
                    k = rng.randrange(len(dims) - 1)
                    dims[k] = rng.choice(["?", "0", "1", "2", "5", "4096"])
                    if rng.random() < 0.2:
                        del dims[k]
                s0 = start + m.start(1)
                text = text[:s0] + "x".join(dims) + text[start + m.end(1):]
                spans = [m.span() for m in TOKEN.finditer(text)]
                continue
            new = tok
        text = text[:start] + new + text[end:]
        spans = [m.span() for m in TOKEN.finditer(text)]
    return text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--loom-opt", required=True)
    parser.add_argument("--mutants", type=int, default=2000)
    parser.add_argument("--pipeline", default="",
                        help="also run this pass pipeline on every mutant that verifies")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()

    seed = int(os.environ.get("LOOM_FUZZ_SEED", random.SystemRandom().randrange(2**32)))
    rng = random.Random(seed)
    cases = []
    for path in args.files:
        with open(path) as f:
            cases += split_cases(f.read())
    mutants = [mutate(rng.choice(cases), rng) for _ in range(args.mutants)]
    source = "\n// -----\n".join(mutants)

    command = [args.loom_opt, "-split-input-file", "-", "-o", os.devnull]
    if args.pipeline:
        command.append(f"--pass-pipeline={args.pipeline}")
    proc = subprocess.run(command, input=source.encode(), capture_output=True)
    stderr = proc.stderr.decode(errors="replace")
    crashed = (proc.returncode not in (0, 1) or "Stack dump" in stderr
               or "PLEASE submit a bug report" in stderr or "LLVM ERROR" in stderr)
    if crashed:
        path = f"mutants-{seed}.mlir"
        with open(path, "w") as f:
            f.write(source)
        print(f"loom-opt crashed (exit {proc.returncode}) on mutants of seed {seed}; "
              f"input kept in {os.path.abspath(path)}")
        print(stderr[-4000:])
        return 1
    print(f"seed {seed}: {len(mutants)} mutants, exit {proc.returncode}, "
          f"{stderr.count('error:')} diagnostics, no crash")
    return 0


if __name__ == "__main__":
    sys.exit(main())
