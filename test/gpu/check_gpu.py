#!/usr/bin/env python3
"""Runs the bundles of make_bundles.py on the GPU against float64 references.

  check_gpu.py --cases DIR [--json OUT.json] [--seed N]

Per case and sequence length: fresh random inputs (never zeros), outputs
poisoned with NaN before the launch, the float64 recurrence of SPEC.md
section 1 as the reference, and ||out - ref|| / ||ref|| for o and the final
state. Exit code 1 if any case fails.
"""
import argparse
import json
import math
import os
import sys

import torch

import loom.runtime

TOL = {"bf16": 2e-2, "f16": 5e-3, "f32": 1e-3}
T_VALUES = [1, 63, 64, 65, 4096]
DTYPES = {"bf16": torch.bfloat16, "f16": torch.float16, "f32": torch.float32}


def reference(q, k, v, g, s0, scale, H):
    """SPEC.md section 1, float64, one token at a time (all heads at once)."""
    B, T, Hk, K = q.shape
    V = v.shape[-1]
    rep = H // Hk
    q = q.double().repeat_interleave(rep, dim=2)
    k = k.double().repeat_interleave(rep, dim=2)
    v = v.double()
    S = (s0.double().clone() if s0 is not None
         else torch.zeros(B, H, K, V, dtype=torch.float64, device=q.device))
    o = torch.empty(B, T, H, V, dtype=torch.float64, device=q.device)
    for t in range(T):
        if g is not None:
            S = S * torch.exp(g[:, t].double())[..., None, None]
        S = S + k[:, t, :, :, None] * v[:, t, :, None, :]
        o[:, t] = scale * torch.einsum("bhkv,bhk->bhv", S, q[:, t])
    return o, S


def rel(x, ref):
    x = x.double()
    if not torch.isfinite(x).all():
        return math.inf
    return ((x - ref).norm() / ref.norm().clamp_min(1e-30)).item()


def run_case(case, root, T, gen):
    dev = "cuda"
    dt = DTYPES[case["dtype"]]
    B = 2 if T < 4096 else 1
    H, Hk, K, V = case["H"], case["Hk"], case["K"], case["V"]
    q = torch.randn(B, T, Hk, K, generator=gen, device=dev).to(dt)
    k = (torch.randn(B, T, Hk, K, generator=gen, device=dev) / math.sqrt(K)).to(dt)
    v = torch.randn(B, T, H, V, generator=gen, device=dev).to(dt)
    inputs = [q, k, v]
    g = s0 = None
    if case["decay"]:
        # log decays in [-0.7, -0.001] as in trained gates, a few at -30
        g = -torch.rand(B, T, H, generator=gen, device=dev) * 0.7 - 1e-3
        g[:, ::97] = -30.0
        inputs.append(g)
    if case["init"]:
        s0 = torch.randn(B, H, K, V, generator=gen, device=dev)
        inputs.append(s0)
    o = torch.full((B, T, H, V), float("nan"), dtype=dt, device=dev)
    s = torch.full((B, H, K, V), float("nan"), dtype=torch.float32, device=dev)
    bundle = loom.runtime.Bundle(os.path.join(root, case["bundle"]))
    bundle.launch(case["name"], inputs, [o, s])
    torch.cuda.synchronize()
    o_ref, s_ref = reference(q, k, v, g, s0, K ** -0.5, H)
    return rel(o, o_ref), rel(s, s_ref)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", required=True)
    ap.add_argument("--json")
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "little")
    gen = torch.Generator(device="cuda").manual_seed(seed)
    cases = json.load(open(os.path.join(args.cases, "cases.json")))
    rows, failed = [], 0
    for case in cases:
        for T in T_VALUES:
            try:
                eo, es = run_case(case, args.cases, T, gen)
                error = None
            except Exception as e:  # a failed launch is a failed case
                eo = es = math.inf
                error = str(e)
            ok = eo <= TOL[case["dtype"]] and es <= TOL[case["dtype"]]
            failed += not ok
            rows.append(dict(case=case["name"], T=T, err_o=eo, err_state=es,
                             ok=ok, error=error))
            if not ok:
                print(f"FAIL {case['name']} T={T}: o {eo:.2e} state {es:.2e} {error or ''}")
    worst = {}
    for r in rows:
        d = r["case"].split("_")[1]
        worst[d] = max(worst.get(d, 0.0), r["err_o"], r["err_state"])
    print(f"seed {seed}, card {torch.cuda.get_device_name()}")
    print("worst relative error per dtype: " +
          ", ".join(f"{d} {w:.2e}" for d, w in sorted(worst.items())))
    print(f"{len(rows) - failed} passed, {failed} failed")
    if args.json:
        json.dump(dict(seed=seed, card=torch.cuda.get_device_name(), rows=rows),
                  open(args.json, "w"), indent=1)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
