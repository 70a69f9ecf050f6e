#!/usr/bin/env python3
"""Runs the bundles of make_bundles.py on the GPU against float64 references.

  check_gpu.py --cases DIR [--json OUT.json] [--seed N] [--only PREFIXES]
               [--lengths T,...] [--dump DIR]
  check_gpu.py --cases DIR --bad-offsets CASE

Per case and sequence length: fresh random inputs (never zeros), outputs
poisoned with NaN before the launch, the float64 math of SPEC.md sections 1
and 2 as the reference, and ||out - ref|| / ||ref|| for the output and the
final state (0 for ops without one; without beta, o's denominator is at
least its magnitude without cancellation, see run_case). Exit code 1 if
any case fails; with --dump, each failing launch's inputs, outputs and
references are saved to DIR/<case>-T<T>.pt (torch.save) to be looked at
off the GPU.
--bad-offsets runs a cu_seqlens case on decreasing offsets and passes if the
device-side check stops it (the assert leaves the CUDA context unusable, so
it runs in its own process).
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


def reference(q, k, v, g, s0, scale, H, beta=None, l2norm=False):
    """SPEC.md section 1, float64, one token at a time (all heads at once)."""
    B, T, Hk, K = q.shape
    V = v.shape[-1]
    rep = H // Hk
    q = q.double().repeat_interleave(rep, dim=2)
    k = k.double().repeat_interleave(rep, dim=2)
    if l2norm:
        q = q / torch.sqrt((q * q).sum(-1, keepdim=True) + 1e-6)
        k = k / torch.sqrt((k * k).sum(-1, keepdim=True) + 1e-6)
    v = v.double()
    S = (s0.double().clone() if s0 is not None
         else torch.zeros(B, H, K, V, dtype=torch.float64, device=q.device))
    o = torch.empty(B, T, H, V, dtype=torch.float64, device=q.device)
    for t in range(T):
        if g is not None and g.dim() == 4:  # per key
            S = S * torch.exp(g[:, t].double())[..., None]
        elif g is not None:
            S = S * torch.exp(g[:, t].double())[..., None, None]
        if beta is not None:
            old = torch.einsum("bhkv,bhk->bhv", S, k[:, t])
            u = beta[:, t].double()[..., None] * (v[:, t] - old)
            S = S + k[:, t, :, :, None] * u[:, :, None, :]
        else:
            S = S + k[:, t, :, :, None] * v[:, t, :, None, :]
        o[:, t] = scale * torch.einsum("bhkv,bhk->bhv", S, q[:, t])
    return o, S


def ssd_reference(x, dt, A, Bm, Cm, D, z, bias, softplus, h0, H):
    """SPEC.md section 2 (loom.ssd), float64, one token at a time."""
    Bsz, T, _, P = x.shape
    G, N = Bm.shape[2], Bm.shape[3]
    rep = H // G
    x, dt, A = x.double(), dt.double(), A.double()
    Bm = Bm.double().repeat_interleave(rep, dim=2)
    Cm = Cm.double().repeat_interleave(rep, dim=2)
    if bias is not None:
        dt = dt + bias.double()
    if softplus:
        dt = torch.where(dt > 20, dt, torch.log1p(torch.exp(dt)))
    h = (h0.double().clone() if h0 is not None
         else torch.zeros(Bsz, H, P, N, dtype=torch.float64, device=x.device))
    y = torch.empty(Bsz, T, H, P, dtype=torch.float64, device=x.device)
    for t in range(T):
        h = (torch.exp(dt[:, t] * A)[..., None, None] * h
             + (dt[:, t, :, None] * x[:, t])[..., None] * Bm[:, t, :, None, :])
        y[:, t] = torch.einsum("bhpn,bhn->bhp", h, Cm[:, t])
    if D is not None:
        y = y + D.double()[:, None] * x
    if z is not None:
        zz = z.double()
        y = y * zz * torch.sigmoid(zz)
    return y, h


def segments(T, gen):
    """cu_seqlens for T tokens: up to five segments, one of them empty, and
    at T >= 64 one cut on a chunk boundary and one just past it."""
    cuts = torch.randint(0, T + 1, (3,), generator=gen, device="cuda").tolist()
    if T >= 64:
        cuts += [c for c in (64, 65) if c <= T]
    cuts = sorted(set(cuts) | {0, T})
    cuts.insert(1, cuts[1] if len(cuts) > 2 else 0)  # an empty segment
    return cuts


def per_segment(cuts, run):
    """Concatenates `run(start, end, n)`'s (output, state) over segments."""
    outs, states = [], []
    for n in range(len(cuts) - 1):
        o, s = run(cuts[n], cuts[n + 1], n)
        outs.append(o)
        states.append(s)
    return torch.cat(outs, dim=1), torch.cat(states, dim=0)


def offsets_tensor(case, cuts):
    dtype = torch.int64 if case["cu"] == "i64" else torch.int32
    return torch.tensor(cuts, dtype=dtype, device="cuda")


def run_ssd_case(case, root, T, gen):
    dev = "cuda"
    dt_ = DTYPES[case["dtype"]]
    Bsz = 1 if T >= 4096 or case.get("cu") else 2
    cuts = segments(T, gen) if case.get("cu") else None
    Nseq = len(cuts) - 1 if cuts else Bsz
    H, G, N, P = case["H"], case["Hk"], case["K"], case["V"]
    x = torch.randn(Bsz, T, H, P, generator=gen, device=dev).to(dt_)
    dt = torch.rand(Bsz, T, H, generator=gen, device=dev) * 0.1
    if case["softplus"]:
        dt = torch.randn(Bsz, T, H, generator=gen, device=dev) - 2.0
    A = -torch.rand(H, generator=gen, device=dev) * 4 - 0.5
    Bm = (torch.randn(Bsz, T, G, N, generator=gen, device=dev) / math.sqrt(N)).to(dt_)
    Cm = torch.randn(Bsz, T, G, N, generator=gen, device=dev).to(dt_)
    inputs = [x, dt, A, Bm, Cm]
    D = z = bias = h0 = None
    if case["D"]:
        D = torch.randn(H, generator=gen, device=dev)
        inputs.append(D)
    if case["z"]:
        z = torch.randn(Bsz, T, H, P, generator=gen, device=dev).to(dt_)
        inputs.append(z)
    if case["bias"]:
        bias = torch.randn(H, generator=gen, device=dev) * 0.5
        inputs.append(bias)
    if case["init"]:
        h0 = torch.randn(Nseq, H, P, N, generator=gen, device=dev)
        inputs.append(h0)
    if cuts:
        inputs.append(offsets_tensor(case, cuts))
        y_ref, h_ref = per_segment(cuts, lambda a, b, n: ssd_reference(
            x[:, a:b], dt[:, a:b], A, Bm[:, a:b], Cm[:, a:b], D,
            None if z is None else z[:, a:b], bias, case["softplus"],
            None if h0 is None else h0[n:n + 1], H))
    else:
        y_ref, h_ref = ssd_reference(x, dt, A, Bm, Cm, D, z, bias,
                                     case["softplus"], h0, H)
    y, h = launch_poisoned(case, root, inputs, (Bsz, T, H, P), (Nseq, H, P, N))
    return rel(y, y_ref), rel(h, h_ref)


def selective_scan_reference(u, delta, A, Bm, Cm, D, z, bias, softplus, h0):
    """SPEC.md section 2 (loom.selective_scan), float64, one step at a time
    for all (batch, channel) rows at once."""
    Bsz, Dc, L = u.shape
    G, N = Bm.shape[1], Bm.shape[2]
    rep = Dc // G
    u, dt, A = u.double(), delta.double(), A.double()
    if bias is not None:
        dt = dt + bias.double()[:, None]
    if softplus:
        dt = torch.where(dt > 20, dt, torch.log1p(torch.exp(dt)))
    # [L, B, G, N]: one contiguous slice per step.
    Bt = Bm.double().permute(3, 0, 1, 2).contiguous()
    Ct = Cm.double().permute(3, 0, 1, 2).contiguous()
    h = (h0.double().clone() if h0 is not None
         else torch.zeros(Bsz, Dc, N, dtype=torch.float64, device=u.device))
    y = torch.empty(Bsz, Dc, L, dtype=torch.float64, device=u.device)
    for t in range(L):
        h = (torch.exp(dt[:, :, t, None] * A) * h
             + (dt[:, :, t] * u[:, :, t])[..., None]
             * Bt[t].repeat_interleave(rep, dim=1))
        y[:, :, t] = (Ct[t].repeat_interleave(rep, dim=1) * h).sum(-1)
    if D is not None:
        y = y + D.double()[:, None] * u
    if z is not None:
        zz = z.double()
        y = y * zz * torch.sigmoid(zz)
    return y, h


def causal_conv1d_reference(x, w, bias, silu):
    """SPEC.md section 2 (loom.causal_conv1d), float64, all taps at once."""
    Bsz, T, C = x.shape
    W = w.shape[1]
    x, w = x.double(), w.double()
    padded = torch.cat(
        [torch.zeros(Bsz, W - 1, C, dtype=torch.float64, device=x.device), x],
        dim=1)
    y = w[:, 0] * padded[:, 0:T]
    for i in range(1, W):
        y = y + w[:, i] * padded[:, i:i + T]
    if bias is not None:
        y = y + bias.double()
    if silu:
        y = y * torch.sigmoid(y)
    return y


def run_scan_case(case, root, T, gen):
    dev = "cuda"
    dt_ = DTYPES[case["dtype"]]
    Bsz = 2 if T < 4096 else 1
    Dc, G, N = case["Dc"], case["G"], case["N"]
    u = torch.randn(Bsz, Dc, T, generator=gen, device=dev).to(dt_)
    if case["softplus"]:
        # Pre-activation dt around softplus^-1(0.1 .. 1), a few past the
        # threshold 20 (where softplus is the identity).
        delta = torch.randn(Bsz, Dc, T, generator=gen, device=dev) * 0.5 - 1.0
        delta[:, :, ::97] = 21.0
    else:
        delta = torch.rand(Bsz, Dc, T, generator=gen, device=dev) * 0.2 + 1e-3
    delta = delta.to(torch.float32 if case["delta_f32"] else dt_)
    A = -torch.rand(Dc, N, generator=gen, device=dev) * 4 - 0.5
    Bm = torch.randn(Bsz, G, N, T, generator=gen, device=dev).to(dt_)
    Cm = torch.randn(Bsz, G, N, T, generator=gen, device=dev).to(dt_)
    inputs = [u, delta, A, Bm, Cm]
    D = z = bias = h0 = None
    if case["D"]:
        D = torch.randn(Dc, generator=gen, device=dev)
        inputs.append(D)
    if case["z"]:
        z = torch.randn(Bsz, Dc, T, generator=gen, device=dev).to(dt_)
        inputs.append(z)
    if case["bias"]:
        bias = torch.randn(Dc, generator=gen, device=dev) * 0.5
        inputs.append(bias)
    if case["init"]:
        h0 = torch.randn(Bsz, Dc, N, generator=gen, device=dev)
        inputs.append(h0)
    y, h = launch_poisoned(case, root, inputs, (Bsz, Dc, T), (Bsz, Dc, N))
    y_ref, h_ref = selective_scan_reference(u, delta, A, Bm, Cm, D, z, bias,
                                            case["softplus"], h0)
    return rel(y, y_ref), rel(h, h_ref)


def run_conv_case(case, root, T, gen):
    dev = "cuda"
    dt_ = DTYPES[case["dtype"]]
    Bsz = 2 if T < 4096 else 1
    C, W = case["C"], case["W"]
    x = torch.randn(Bsz, T, C, generator=gen, device=dev).to(dt_)
    w = torch.randn(C, W, generator=gen, device=dev) * 0.5
    inputs = [x, w]
    bias = None
    if case["bias"]:
        bias = torch.randn(C, generator=gen, device=dev)
        inputs.append(bias)
    y = torch.full((Bsz, T, C), float("nan"), dtype=dt_, device=dev)
    bundle = loom.runtime.Bundle(os.path.join(root, case["bundle"]))
    bundle.launch(case["name"], inputs, [y])
    torch.cuda.synchronize()
    return rel(y, causal_conv1d_reference(x, w, bias, case["silu"])), 0.0


# The last linear-attention launch, for --dump.
last_launch = {}


def launch_poisoned(case, root, inputs, out_shape, state_shape):
    """Runs the case's bundle into NaN-filled outputs (o, final state)."""
    dev = "cuda"
    out = torch.full(out_shape, float("nan"), dtype=DTYPES[case["dtype"]], device=dev)
    state = torch.full(state_shape, float("nan"), dtype=torch.float32, device=dev)
    bundle = loom.runtime.Bundle(os.path.join(root, case["bundle"]))
    bundle.launch(case["name"], inputs, [out, state])
    torch.cuda.synchronize()
    last_launch.clear()
    last_launch.update(inputs=inputs, out=out, state=state)
    return out, state


def rel(x, ref, norm=None):
    """||x - ref|| / norm, norm defaulting to ||ref||."""
    x = x.double()
    if not torch.isfinite(x).all():
        return math.inf
    norm = ref.norm() if norm is None else norm
    return ((x - ref).norm() / norm.clamp_min(1e-30)).item()


def to_cpu(x):
    """x with its tensors (also those in a list) moved to the host."""
    if torch.is_tensor(x):
        return x.cpu()
    return [to_cpu(t) for t in x] if isinstance(x, list) else x


def run_case(case, root, T, gen):
    dev = "cuda"
    dt = DTYPES[case["dtype"]]
    B = 1 if T >= 4096 or case.get("cu") else 2
    cuts = segments(T, gen) if case.get("cu") else None
    N = len(cuts) - 1 if cuts else B
    H, Hk, K, V = case["H"], case["Hk"], case["K"], case["V"]
    q = torch.randn(B, T, Hk, K, generator=gen, device=dev).to(dt)
    k = torch.randn(B, T, Hk, K, generator=gen, device=dev)
    # The delta rule is contractive for beta ||k||^2 <= 2: unit keys, as
    # Gated DeltaNet layers normalize them.
    if case.get("l2norm"):
        k = (k * 3.0).to(dt)  # the kernel normalizes; any scale will do
    else:
        k = (k / k.norm(dim=-1, keepdim=True) if case.get("beta")
             else k / math.sqrt(K)).to(dt)
    v = torch.randn(B, T, H, V, generator=gen, device=dev).to(dt)
    inputs = [q, k, v]
    g = s0 = beta = None
    if case["decay"]:
        # log decays in [-0.7, -0.001] as in trained gates, a few at -30;
        # per key also a few at -80, past what 16-bit operands can fold in
        # over a 16-token block.
        per_key = case["decay"] == "key"
        g = -torch.rand(B, T, H, *([K] if per_key else []), generator=gen,
                        device=dev) * 0.7 - 1e-3
        g[:, ::97] = -30.0
        if per_key:
            g[:, 5::211, :, ::3] = -80.0
        inputs.append(g)
    if case.get("beta"):
        beta = torch.rand(B, T, H, generator=gen, device=dev) * 0.9 + 0.05
        inputs.append(beta)
    if case["init"]:
        s0 = torch.randn(N, H, K, V, generator=gen, device=dev)
        inputs.append(s0)
    l2norm = case.get("l2norm", False)
    if cuts:
        inputs.append(offsets_tensor(case, cuts))
        cut = lambda x, a, b: None if x is None else x[:, a:b]
        o_ref, s_ref = per_segment(cuts, lambda a, b, n: reference(
            q[:, a:b], k[:, a:b], v[:, a:b], cut(g, a, b),
            None if s0 is None else s0[n:n + 1], K ** -0.5, H,
            cut(beta, a, b), l2norm))
    else:
        o_ref, s_ref = reference(q, k, v, g, s0, K ** -0.5, H, beta, l2norm)
    # Without beta, o's error is also measured against its magnitude
    # without cancellation: the same recurrence on squared terms (decays
    # doubled), sqrt(sum_s sum_i (q_ti k_si e^(G_t - G_s))^2 v_s^2) scaled.
    # Products of 16-bit operands carry errors of that size, and at T = 1
    # q . k can cancel to far below it (GLA's decayed q and k round each
    # term; one token's output is a scalar per key head).
    o_norm = o_ref.norm()
    if beta is None and not l2norm:
        sq = lambda x: None if x is None else x.double() ** 2
        g2 = None if g is None else 2 * g.double()
        if cuts:
            o_squares, _ = per_segment(cuts, lambda a, b, n: reference(
                sq(q[:, a:b]), sq(k[:, a:b]), sq(v[:, a:b]), cut(g2, a, b),
                None if s0 is None else sq(s0[n:n + 1]), 1 / K, H))
        else:
            o_squares, _ = reference(sq(q), sq(k), sq(v), g2, sq(s0), 1 / K, H)
        o_norm = torch.maximum(o_norm, o_squares.sqrt().norm())
    o, s = launch_poisoned(case, root, inputs, (B, T, H, V), (N, H, K, V))
    last_launch.update(out_ref=o_ref, state_ref=s_ref, cuts=cuts)
    return rel(o, o_ref, o_norm), rel(s, s_ref)


def bad_offsets(root, name):
    """Launches cu_seqlens case `name` on offsets [0, 40, 20, 64]."""
    case = next(c for c in json.load(open(os.path.join(root, "cases.json")))
                if c["name"] == name)
    bundle = loom.runtime.Bundle(os.path.join(root, case["bundle"]))
    dt = DTYPES[case["dtype"]]
    inputs = [torch.randn(s, device="cuda").to(t)
              for s, t in bundle_arg_shapes(bundle, case, 64, dt)]
    inputs[-1] = offsets_tensor(case, [0, 40, 20, 64])
    try:
        outs = bundle.run(case["name"], *inputs)
        torch.cuda.synchronize()
    except Exception as e:  # the runtime or torch reports the assert
        print(f"stopped as expected: {str(e).splitlines()[0]}")
        return 0
    print("FAIL: decreasing cu_seqlens ran to completion")
    return 1


def bundle_arg_shapes(bundle, case, T, dt):
    """(shape, dtype) of each argument of a linear-attention varlen case
    with three sequences of T tokens in all."""
    H, Hk, K, V = case["H"], case["Hk"], case["K"], case["V"]
    shapes = [((1, T, Hk, K), dt), ((1, T, Hk, K), dt), ((1, T, H, V), dt)]
    if case["decay"]:
        shapes.append(((1, T, H, K) if case["decay"] == "key" else (1, T, H),
                       torch.float32))
    if case.get("beta"):
        shapes.append(((1, T, H), torch.float32))
    if case["init"]:
        shapes.append(((3, H, K, V), torch.float32))
    shapes.append(((4,), torch.float32))  # replaced by the offsets
    return shapes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", required=True)
    ap.add_argument("--json")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--bad-offsets", metavar="CASE")
    ap.add_argument("--only", default="",
                    help="comma-separated name prefixes of the cases to run")
    ap.add_argument("--dump", metavar="DIR",
                    help="save each failing launch's tensors under DIR")
    ap.add_argument("--lengths", default=",".join(map(str, T_VALUES)),
                    help="comma-separated sequence lengths (default %(default)s)")
    args = ap.parse_args()
    prefixes = [p for p in args.only.split(",") if p]
    lengths = [int(t) for t in args.lengths.split(",") if t]
    if args.bad_offsets:
        sys.exit(bad_offsets(args.cases, args.bad_offsets))
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "little")
    gen = torch.Generator(device="cuda").manual_seed(seed)
    cases = [c for c in json.load(open(os.path.join(args.cases, "cases.json")))
             if not prefixes or any(c["name"].startswith(p) for p in prefixes)]
    rows, failed = [], 0
    for case in cases:
        for T in lengths:
            try:
                run = {"ssd": run_ssd_case, "selective_scan": run_scan_case,
                       "causal_conv1d": run_conv_case}.get(case["op"], run_case)
                eo, es = run(case, args.cases, T, gen)
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
                if args.dump and last_launch:
                    os.makedirs(args.dump, exist_ok=True)
                    torch.save({k: to_cpu(v) for k, v in last_launch.items()},
                               os.path.join(args.dump, f"{case['name']}-T{T}.pt"))
            last_launch.clear()
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
