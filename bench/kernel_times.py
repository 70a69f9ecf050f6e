#!/usr/bin/env python3
"""Where one benchmark case's time goes, kernel by kernel (GPU machine).

  python3 bench/kernel_times.py FORM SHAPE_INDEX [--bundles DIR]... [--calls N] [--peer]

Runs Loom (and with --peer the peer) on bench.py's inputs for the case and
prints a call's median time and the CUDA time of every kernel launched per
call, from torch.profiler.
`--bundles` may be given more than once: each directory's kernels run on the
same inputs in the same process, one after the other, for A/B comparisons.
A kernel launched early (the manifest's early_launch) is timed from its
launch, its wait for the previous kernel included: for per-kernel times run
with LOOM_SERIAL_LAUNCHES=1, and compare call times without it.
Under Nsight Compute, `--calls 1 --no-profiler` launches each kernel once
after a warm-up call, e.g.

  ncu --clock-control none -k regex:_bv --launch-skip 1 --launch-count 1 \
      --set full python3 bench/kernel_times.py gated_delta_rule 2 --calls 1 --no-profiler
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("form", choices=bench.FORMS)
    ap.add_argument("shape", type=int, help="index into bench.py's shapes for the form")
    ap.add_argument("--bundles", action="append",
                    help="bundle directory (repeatable; default bench/bundles)")
    ap.add_argument("--calls", type=int, default=20)
    ap.add_argument("--peer", action="store_true", help="profile the peer as well")
    ap.add_argument("--no-profiler", action="store_true", help="just launch (for ncu)")
    a = ap.parse_args()

    cases = bench.make_cases([a.form], quick=False)
    if not 0 <= a.shape < len(cases):
        sys.exit(f"error: {a.form} has shapes 0..{len(cases) - 1}")
    case = cases[a.shape]
    dev = "cuda"
    gen = torch.Generator(device=dev)
    gen.manual_seed(0)
    t, args, specs = bench.make_inputs(case, dev, gen)
    s = case["shape"]
    scale = 1.0 if a.form == "mamba2" else s["K"] ** -0.5
    runs = []
    dirs = a.bundles or [os.path.join(bench.ROOT, "bench", "bundles")]
    for d in dirs:
        call, fn, status = bench.Loom(d).callable(a.form, s["H"], args, specs, dev)
        if call is None:
            sys.exit(f"error: Loom ({d}): {status}")
        runs.append((f"loom {fn}" if len(dirs) == 1 else f"loom {fn} from {d}", call))
    if a.peer:
        runs.append(("peer", bench.peer_callable(a.form, t, scale)))
    print(f"== {bench.case_name(case)} on {torch.cuda.get_device_name()}")
    # Under ncu (--no-profiler) nothing but the calls themselves runs.
    timer = None if a.no_profiler else bench.make_timer(dev, 25, 100)
    for name, run in runs:
        run()  # warm-up: compilation, autotuning, module loading
        torch.cuda.synchronize()
        if a.no_profiler:
            for _ in range(a.calls):
                run()
            torch.cuda.synchronize()
            continue
        # Kernels that overlap make a call shorter than their sum.
        print(f"-- {name}: {timer(run) * 1e3:.1f} us a call (median, bench.py's timer)")
        from torch.profiler import ProfilerActivity, profile
        with profile(activities=[ProfilerActivity.CUDA]) as prof:
            for _ in range(a.calls):
                run()
            torch.cuda.synchronize()
        per_kernel = {}  # kernel name -> (launches, total us), in launch order
        for ev in prof.events():
            if ev.device_type != torch.autograd.DeviceType.CUDA:
                continue
            us = ev.device_time if hasattr(ev, "device_time") else ev.cuda_time
            n, total = per_kernel.get(ev.name, (0, 0.0))
            per_kernel[ev.name] = (n + 1, total + us)
        total = sum(v[1] for v in per_kernel.values()) / a.calls
        print(f"-- {name}: {total:.1f} us of kernels per call")
        for k, (n, us) in per_kernel.items():
            print(f"   {us / a.calls:9.1f} us  x{n // a.calls:<3} {k[:110]}")


if __name__ == "__main__":
    main()
