#!/usr/bin/env python3
"""Side-by-side benchmark of Loom's GPU kernels against the peers (fla, mamba_ssm).

  python3 bench/bench.py --out $OUT/results.json [--bundles DIR] [--quick]
                         [--forms a,b] [--budget-s S] [--seed N]

What it does, in one run on one GPU:
  1. Measures the two ceilings: device-to-device copy bandwidth (a 1 GiB torch
     copy, bytes read + bytes written over time) and the bf16 matmul rate
     (torch.matmul 8192^3 on random data); medians of triton.testing.do_bench
     (CUDA events, L2 flushed between repeats).
  2. For each case draws random bf16 inputs as fla's and mamba's tests do
     (never zeros), runs the peer and -- where <bundles>/<form>/ exists and
     `loom.runtime` imports -- Loom on the SAME tensors, and reports:
       err_o, err_state   ||loom - peer|| / ||peer|| over the whole output and
                          the final state (float64); NaN/inf fails;
       ref_err_o_peer/_loom  each one's ||o - ref|| / ||ref|| against a float64
                          token-by-token recurrence (SPEC.md sections 1-2) over
                          batch row 0 and the first --ref-tokens tokens, so a
                          disagreement can be attributed;
       peer_ms, loom_ms   medians; speedup = peer_ms / loom_ms.
  3. Computes per case the minimum bytes, the FLOPs, the roofline floor
     max(bytes / copy_bw, flops / matmul_rate) and each implementation's
     percentage of it (100 * floor / measured), writes everything to the JSON
     (after every case, so a time-out keeps what was done), a markdown table
     beside it (same stem, .md) and prints the table last.

Cases (bf16 data, f32 gates/decays/betas/states, scale = K^-0.5, no initial
state, final state always returned):
  linear_attn       fla chunk_linear_attn(normalize=False)   o_t = scale S_t^T q_t
  simple_gla        fla chunk_simple_gla, g [B,T,H]
  gla               fla chunk_gla, g [B,T,H,K]
  delta_rule        fla chunk_delta_rule, beta [B,T,H]
  gated_delta_rule  fla chunk_gated_delta_rule, g and beta [B,T,H]
    at (B,T,H,K,V) = (1,8192,16,128,128), (8,4096,16,128,128), (1,32768,32,128,128)
  mamba2            mamba_ssm mamba_chunk_scan_combined(chunk_size=256, D given,
                    ngroups=1), at (B,T,H,P,N) = (1,8192,32,64,128), (8,4096,32,64,128)
--quick runs the first shape of each form.

Loom is called through python/loom: b = loom.runtime.Bundle(<bundles>/<form>),
b.launch(fn, args, outs) with outs allocated once from b.result_shapes (and
poisoned with NaN before the check run); b.run(fn, *args) where there is no
launch. fn = <form>_h<H> (the functions of bench/kernels/<form>.mlir; head
counts are static in loom IR), else <form>. Argument order: q, k, v[, g][, beta] -> (o, state [B,H,K,V] f32);
mamba2: x, dt, A, B, C, D -> (y, state [B,H,P,N] f32) (loom.ssd, SPEC.md 2).

Minimum bytes (each input read once, each output written once, bf16 = 2 B,
f32 = 4 B):
  linear_attention forms: 2*B*T*H*(2K + V)  q, k, v
                        + 2*B*T*H*V          o
                        + 4*B*H*K*V          final state
                        + 4*B*T*H            scalar g, if any  (4*B*T*H*K per-key g)
                        + 4*B*T*H            beta, if any
  mamba2: 2*B*T*H*P (x) + 4*B*T*H (dt) + 4*H (A) + 2*2*B*T*G*N (B, C) + 4*H (D)
        + 2*B*T*H*P (y) + 4*B*H*P*N (state)

FLOPs, chunked form with chunk C = 64 (the same C for every implementation,
so the floor does not depend on a peer's choice; matmul FLOPs only, 2 per
multiply-add, the causal QK^T counted dense as in KERNELS.md):
  additive (linear_attn, simple_gla, gla): per token and head
      QK^T 2CK + P.V 2CV + Q.S 2KV + K^T.V state update 2KV
      flops = 2*B*T*H*(C*K + C*V + 2*K*V)          (98,304 / token / head at 128, 64)
  delta (delta_rule, gated_delta_rule): additive plus KK^T (2CK), S.K (2KV)
      and the triangular solve applied to the C x V block T.(V - S.K) (2CV):
      flops = 2*B*T*H*(2*C*K + 2*C*V + 3*K*V)      (163,840 / token / head)
  mamba2 (additive with K = N, V = P; C.B^T is shared by the H/G heads of a
      group): flops = 2*B*T*(G*C*N + H*(C*P + 2*N*P))
"""
import argparse
import datetime
import json
import math
import os
import re
import statistics
import subprocess
import sys
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for _p in (os.path.join(ROOT, "third_party_peers"), os.path.join(ROOT, "python")):
    if os.path.isdir(_p) and _p not in sys.path:
        sys.path.insert(0, _p)
# fla: stay on its Triton kernels (no optional backend dispatch).
os.environ.setdefault("FLA_DISABLE_BACKEND_DISPATCH", "1")

import torch  # noqa: E402

# The peer snapshots used (bench/PEERS.md says how they were copied).
FLA_COMMIT = "bc3b101dcb713ddc5bd8924b66754eb68b5ccf89"
MAMBA_COMMIT = "e9594ce1c732d97440f0332fdc43170a2294dbfa"

FLOP_CHUNK = 64          # C in the FLOP formulas
MAMBA_CHUNK = 256        # mamba_chunk_scan_combined's chunk_size (as Mamba2 uses)
ERR_TOL = 3e-2           # loom vs peer (both bf16 outputs) above this is a mismatch

# form -> (decay: None | "scalar" | "key", beta, peer function name)
LA_FORMS = {
    "linear_attn": (None, False, "fla.ops.linear_attn.chunk_linear_attn(normalize=False)"),
    "simple_gla": ("scalar", False, "fla.ops.simple_gla.chunk_simple_gla"),
    "gla": ("key", False, "fla.ops.gla.chunk_gla"),
    "delta_rule": (None, True, "fla.ops.delta_rule.chunk_delta_rule"),
    "gated_delta_rule": ("scalar", True, "fla.ops.gated_delta_rule.chunk_gated_delta_rule"),
}
SSD_PEER = "mamba_ssm.ops.triton.ssd_combined.mamba_chunk_scan_combined(chunk_size=256)"
FORMS = list(LA_FORMS) + ["mamba2"]
LA_SHAPES = [(1, 8192, 16, 128, 128), (8, 4096, 16, 128, 128), (1, 32768, 32, 128, 128)]
SSD_SHAPES = [(1, 8192, 32, 64, 128), (8, 4096, 32, 64, 128)]
SSD_GROUPS = 1
TORCH_DTYPES = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16,
                "i32": torch.int32, "i64": torch.int64}


# ---------------------------------------------------------------------------
# Cases, bytes and FLOPs
# ---------------------------------------------------------------------------

def make_cases(forms, quick):
    """Shape-major order: every form's first shape before any second shape."""
    cases = []
    for i in range(max(len(LA_SHAPES), len(SSD_SHAPES))):
        if quick and i > 0:
            break
        for form in forms:
            shapes = SSD_SHAPES if form == "mamba2" else LA_SHAPES
            if i >= len(shapes):
                continue
            if form == "mamba2":
                B, T, H, P, N = shapes[i]
                shape = dict(B=B, T=T, H=H, P=P, N=N, G=SSD_GROUPS)
            else:
                B, T, H, K, V = shapes[i]
                shape = dict(B=B, T=T, H=H, K=K, V=V)
            cases.append(dict(form=form, shape=shape))
    return cases


def case_name(case):
    s = case["shape"]
    return f"{case['form']} B{s['B']} T{s['T']} H{s['H']}"


def min_bytes(form, s):
    B, T, H = s["B"], s["T"], s["H"]
    if form == "mamba2":
        P, N, G = s["P"], s["N"], s["G"]
        return (2 * B * T * H * P + 4 * B * T * H + 4 * H + 2 * 2 * B * T * G * N + 4 * H
                + 2 * B * T * H * P + 4 * B * H * P * N)
    K, V = s["K"], s["V"]
    decay, beta, _ = LA_FORMS[form]
    n = 2 * B * T * H * (2 * K + V) + 2 * B * T * H * V + 4 * B * H * K * V
    if decay == "scalar":
        n += 4 * B * T * H
    elif decay == "key":
        n += 4 * B * T * H * K
    if beta:
        n += 4 * B * T * H
    return n


def flops(form, s, C=FLOP_CHUNK):
    B, T, H = s["B"], s["T"], s["H"]
    if form == "mamba2":
        P, N, G = s["P"], s["N"], s["G"]
        return 2 * B * T * (G * C * N + H * (C * P + 2 * N * P))
    K, V = s["K"], s["V"]
    if LA_FORMS[form][1]:
        return 2 * B * T * H * (2 * C * K + 2 * C * V + 3 * K * V)
    return 2 * B * T * H * (C * K + C * V + 2 * K * V)


# ---------------------------------------------------------------------------
# Inputs (as fla's / mamba_ssm's tests draw them), peers, reference
# ---------------------------------------------------------------------------

def make_inputs(case, dev, gen):
    """Returns (named tensors, loom argument list, loom result shapes)."""
    s = case["shape"]
    form = case["form"]
    B, T, H = s["B"], s["T"], s["H"]
    bf16, f32 = torch.bfloat16, torch.float32

    def randn(*shape):
        return torch.randn(*shape, generator=gen, device=dev, dtype=f32)

    if form == "mamba2":
        P, N, G = s["P"], s["N"], s["G"]
        x = randn(B, T, H, P).to(bf16)
        # dt after softplus(dt_raw + dt_bias) lies in Mamba2's init range [1e-3, 1e-1]
        u = torch.rand(B, T, H, generator=gen, device=dev, dtype=f32)
        dt = torch.exp(math.log(1e-3) + u * (math.log(1e-1) - math.log(1e-3)))
        A = -(1.0 + 15.0 * torch.rand(H, generator=gen, device=dev, dtype=f32))  # -exp(A_log), A_log ~ log U(1,16)
        Bm = randn(B, T, G, N).to(bf16)
        Cm = randn(B, T, G, N).to(bf16)
        D = 1.0 + 0.1 * randn(H)
        t = dict(x=x, dt=dt, A=A, B=Bm, C=Cm, D=D)
        return t, [x, dt, A, Bm, Cm, D], [((B, T, H, P), bf16), ((B, H, P, N), f32)]
    K, V = s["K"], s["V"]
    decay, beta, _ = LA_FORMS[form]
    q, k, v = randn(B, T, H, K), randn(B, T, H, K), randn(B, T, H, V)
    if beta:  # delta rules run on L2-normalised q, k (fla's tests, Gated DeltaNet layers)
        q = torch.nn.functional.normalize(q, p=2, dim=-1)
        k = torch.nn.functional.normalize(k, p=2, dim=-1)
    t = dict(q=q.to(bf16), k=k.to(bf16), v=v.to(bf16), g=None, beta=None)
    args = [t["q"], t["k"], t["v"]]
    if decay is not None:
        gshape = (B, T, H) if decay == "scalar" else (B, T, H, K)
        t["g"] = torch.nn.functional.logsigmoid(randn(*gshape)) / 16
        args.append(t["g"])
    if beta:
        t["beta"] = torch.sigmoid(randn(B, T, H))
        args.append(t["beta"])
    return t, args, [((B, T, H, V), bf16), ((B, H, K, V), f32)]


def peer_callable(form, t, scale):
    """The peer call on the case's tensors; returns (o, final_state)."""
    if form == "linear_attn":
        from fla.ops.linear_attn import chunk_linear_attn
        return lambda: chunk_linear_attn(t["q"], t["k"], t["v"], scale=scale, initial_state=None,
                                         output_final_state=True, normalize=False)
    if form == "simple_gla":
        from fla.ops.simple_gla import chunk_simple_gla
        return lambda: chunk_simple_gla(t["q"], t["k"], t["v"], g=t["g"], scale=scale,
                                        initial_state=None, output_final_state=True)
    if form == "gla":
        from fla.ops.gla import chunk_gla
        return lambda: chunk_gla(t["q"], t["k"], t["v"], g=t["g"], scale=scale,
                                 initial_state=None, output_final_state=True)
    if form == "delta_rule":
        from fla.ops.delta_rule import chunk_delta_rule
        return lambda: chunk_delta_rule(t["q"], t["k"], t["v"], beta=t["beta"], scale=scale,
                                        initial_state=None, output_final_state=True)
    if form == "gated_delta_rule":
        from fla.ops.gated_delta_rule import chunk_gated_delta_rule
        return lambda: chunk_gated_delta_rule(t["q"], t["k"], t["v"], g=t["g"], beta=t["beta"],
                                              scale=scale, initial_state=None,
                                              output_final_state=True)
    if form == "mamba2":
        from mamba_ssm.ops.triton.ssd_combined import mamba_chunk_scan_combined
        return lambda: mamba_chunk_scan_combined(t["x"], t["dt"], t["A"], t["B"], t["C"],
                                                 chunk_size=MAMBA_CHUNK, D=t["D"], z=None,
                                                 dt_bias=None, initial_states=None,
                                                 dt_softplus=False, return_final_states=True)
    raise ValueError(form)


def reference_prefix(form, t, scale, tokens):
    """float64 token-by-token recurrence (SPEC.md 1-2) for batch row 0, first
    `tokens` tokens; returns o (or y) [tokens, H, V]."""
    d = torch.float64
    if form == "mamba2":
        x, dt = t["x"][0, :tokens].to(d), t["dt"][0, :tokens].to(d)
        A, D = t["A"].to(d), t["D"].to(d)
        Bm, Cm = t["B"][0, :tokens].to(d), t["C"][0, :tokens].to(d)
        H, P = x.shape[1], x.shape[2]
        G, N = Bm.shape[1], Bm.shape[2]
        rep = H // G
        Bm, Cm = Bm.repeat_interleave(rep, dim=1), Cm.repeat_interleave(rep, dim=1)  # [T,H,N]
        h = torch.zeros(H, P, N, dtype=d, device=x.device)
        y = torch.empty(x.shape, dtype=d, device=x.device)
        for i in range(x.shape[0]):
            h = (torch.exp(dt[i] * A)[:, None, None] * h
                 + (dt[i][:, None] * x[i])[:, :, None] * Bm[i][:, None, :])
            y[i] = torch.einsum("hpn,hn->hp", h, Cm[i]) + D[:, None] * x[i]
        return y
    q, k, v = (t[n][0, :tokens].to(d) for n in ("q", "k", "v"))
    g = None if t["g"] is None else t["g"][0, :tokens].to(d)
    beta = None if t["beta"] is None else t["beta"][0, :tokens].to(d)
    H, K, V = q.shape[1], q.shape[2], v.shape[2]
    S = torch.zeros(H, K, V, dtype=d, device=q.device)
    o = torch.empty(v.shape, dtype=d, device=q.device)
    for i in range(q.shape[0]):
        if g is not None:
            gate = torch.exp(g[i])
            S = S * (gate[:, :, None] if gate.dim() == 2 else gate[:, None, None])
        if beta is not None:
            recalled = torch.einsum("hk,hkv->hv", k[i], S)
            S = S + beta[i][:, None, None] * k[i][:, :, None] * (v[i] - recalled)[:, None, :]
        else:
            S = S + k[i][:, :, None] * v[i][:, None, :]
        o[i] = scale * torch.einsum("hk,hkv->hv", q[i], S)
    return o


def rel_err(x, ref):
    """||x - ref|| / ||ref|| in float64; inf when x has a NaN or inf."""
    x = x.to(torch.float64)
    ref = ref.to(torch.float64)
    if not bool(torch.isfinite(x).all()):
        return math.inf
    den = float(ref.norm())
    return float((x - ref).norm()) / max(den, 1e-30)


# ---------------------------------------------------------------------------
# Loom
# ---------------------------------------------------------------------------

class Loom:
    """Finds and calls Loom bundles; every failure becomes a status string."""

    def __init__(self, bundles):
        self.bundles = bundles
        self.bundle_cache = {}
        self.version = None
        try:
            import loom.runtime as runtime
            self.runtime = runtime
            self.error = None
            for attr in ("__version__", "version", "runtime_version"):
                v = getattr(runtime, attr, None)
                if v is not None:
                    self.version = str(v() if callable(v) else v)
                    break
        except Exception as e:  # noqa: BLE001 - any import failure is reported
            self.runtime = None
            self.error = f"loom.runtime unavailable: {type(e).__name__}: {e}"

    def function_names(self, path):
        try:
            with open(os.path.join(path, "manifest.json")) as f:
                return [fn["name"] for fn in json.load(f)["functions"]]
        except Exception:  # noqa: BLE001
            return None

    def callable(self, form, H, args, result_specs, dev):
        """Returns (call, fn name, None) or (None, fn name or None, status)."""
        if self.runtime is None:
            return None, None, self.error
        path = os.path.join(self.bundles, form)
        if not os.path.isdir(path):
            return None, None, f"no bundle at {os.path.relpath(path, ROOT)}"
        names = self.function_names(path)
        fn = f"{form}_h{H}"
        if names is not None and fn not in names:
            if form in names:
                fn = form
            else:
                return None, None, f"bundle {path} has no function {form}_h{H} or {form} (has {names})"
        if path not in self.bundle_cache:
            self.bundle_cache[path] = self.runtime.Bundle(path)
        bundle = self.bundle_cache[path]
        if hasattr(bundle, "launch"):
            # Preallocated results (NaN-poisoned before the check run): the
            # timing then covers the launch, as run() does minus allocation.
            if hasattr(bundle, "result_shapes"):
                specs = [(shape, TORCH_DTYPES[dtype]) for dtype, shape in bundle.result_shapes(fn, *args)]
            else:
                specs = result_specs
            outs = [torch.empty(shape, dtype=dtype, device=dev) for shape, dtype in specs]

            def call():
                bundle.launch(fn, list(args), outs)
                return tuple(outs)
            call.outs = outs
            call.how = "Bundle.launch"
            return call, fn, None
        if hasattr(bundle, "run"):
            def call():
                return tuple(bundle.run(fn, *args))
            call.how = "Bundle.run"
            return call, fn, None
        return None, fn, "loom.runtime.Bundle has neither run nor launch"


# ---------------------------------------------------------------------------
# Timing and ceilings
# ---------------------------------------------------------------------------

def make_timer(dev, warmup_ms, rep_ms):
    if dev == "cpu":  # --selftest only
        def cpu_timer(fn):
            fn()
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                fn()
                times.append((time.perf_counter() - t0) * 1e3)
            return statistics.median(times)
        return cpu_timer
    try:
        from triton.testing import do_bench
    except Exception:  # noqa: BLE001
        do_bench = None
    flush = torch.empty(256 << 20, dtype=torch.int8, device=dev)

    def event_median(fn):
        fn()
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        for _ in range(3):
            fn()
        torch.cuda.synchronize()
        est = max((time.perf_counter() - t0) * 1e3 / 3, 1e-3)
        n_warm, n_rep = max(1, int(warmup_ms / est)), max(5, int(rep_ms / est))
        for _ in range(n_warm):
            fn()
        starts = [torch.cuda.Event(enable_timing=True) for _ in range(n_rep)]
        ends = [torch.cuda.Event(enable_timing=True) for _ in range(n_rep)]
        for i in range(n_rep):
            flush.zero_()
            starts[i].record()
            fn()
            ends[i].record()
        torch.cuda.synchronize()
        return statistics.median(s.elapsed_time(e) for s, e in zip(starts, ends))

    def timer(fn):
        if do_bench is not None:
            try:
                return float(do_bench(fn, warmup=warmup_ms, rep=rep_ms, return_mode="median"))
            except (TypeError, AssertionError):  # another do_bench signature: time it here
                pass
        return event_median(fn)
    return timer


def measure_ceilings(dev, timer, selftest=False):
    n = (1 << 16) if selftest else (1 << 29)          # bf16 elements: 1 GiB on the GPU
    src = torch.randn(n, device=dev, dtype=torch.float32).to(torch.bfloat16)
    dst = torch.empty_like(src)
    copy_ms = timer(lambda: dst.copy_(src))
    copy_bytes = 2 * src.numel() * src.element_size()
    m = 256 if selftest else 8192
    a = torch.randn(m, m, device=dev, dtype=torch.float32).to(torch.bfloat16)
    b = torch.randn(m, m, device=dev, dtype=torch.float32).to(torch.bfloat16)
    c = torch.empty(m, m, device=dev, dtype=torch.bfloat16)
    mm_ms = timer(lambda: torch.matmul(a, b, out=c))
    return dict(copy_bytes=copy_bytes, copy_ms=copy_ms,
                copy_bytes_per_s=copy_bytes / (copy_ms * 1e-3),
                matmul_n=m, matmul_ms=mm_ms,
                matmul_flops_per_s=2 * m ** 3 / (mm_ms * 1e-3))


# ---------------------------------------------------------------------------
# One case
# ---------------------------------------------------------------------------

def run_case(case, ctx):
    form, s = case["form"], case["shape"]
    dev, timer, loom = ctx["dev"], ctx["timer"], ctx["loom"]
    scale = 1.0 if form == "mamba2" else s["K"] ** -0.5
    nbytes, nflops = min_bytes(form, s), flops(form, s)
    floor_s = max(nbytes / ctx["ceil"]["copy_bytes_per_s"], nflops / ctx["ceil"]["matmul_flops_per_s"])
    row = dict(form=form, name=case_name(case), shape=s,
               peer=SSD_PEER if form == "mamba2" else LA_FORMS[form][2],
               scale=scale, bytes=nbytes, flops=nflops, flop_chunk=FLOP_CHUNK,
               intensity=nflops / nbytes, floor_ms=floor_s * 1e3,
               floor_bound="memory" if nbytes / ctx["ceil"]["copy_bytes_per_s"]
               >= nflops / ctx["ceil"]["matmul_flops_per_s"] else "compute",
               peer_ms=None, loom_ms=None, speedup=None, peer_pct_floor=None,
               loom_pct_floor=None, peer_tflops=None, loom_tflops=None,
               err_o=None, err_state=None, ref_tokens=None, ref_err_o_peer=None,
               ref_err_o_loom=None, peer_status=None, loom_status=None, loom_function=None)
    gen = torch.Generator(device=dev)
    gen.manual_seed(ctx["seed"] + ctx["index"])
    t, loom_args, result_specs = make_inputs(case, dev, gen)
    H = s["H"]

    # The peer: first call (autotuning, compilation) doubles as the check run.
    peer_out = None
    try:
        peer = ctx["peer_override"](form, t, scale) if ctx.get("peer_override") else \
            peer_callable(form, t, scale)
        out = peer()
        if dev != "cpu":
            torch.cuda.synchronize()
        peer_out = (out[0], out[1])
        if not bool(torch.isfinite(peer_out[0]).all()) or not bool(torch.isfinite(peer_out[1]).all()):
            row["peer_status"] = "nan in peer output"
        else:
            row["peer_status"] = "ok"
    except Exception as e:  # noqa: BLE001
        row["peer_status"] = f"error: {type(e).__name__}: {e}"
        ctx["log"](traceback.format_exc())
        peer = None

    # Loom on the same tensors.
    loom_out = None
    call = None
    try:
        call, fn, status = (ctx["loom_override"](form, t, scale) if ctx.get("loom_override")
                            else loom.callable(form, H, loom_args, result_specs, dev))
        row["loom_function"] = fn
        row["loom_call"] = getattr(call, "how", None)
        if call is None:
            row["loom_status"] = status
        else:
            for o in getattr(call, "outs", []):   # poison preallocated outputs
                o.fill_(float("nan"))
            out = call()
            if dev != "cpu":
                torch.cuda.synchronize()
            if len(out) < 2:
                raise RuntimeError(f"expected (o, state), got {len(out)} result(s)")
            loom_out = (out[0], out[-1])
            want = [tuple(shape) for shape, _ in result_specs]
            got = [tuple(loom_out[0].shape), tuple(loom_out[1].shape)]
            if got != want:
                row["loom_status"] = f"bad result shapes {got}, expected {want}"
                loom_out, call = None, None
            elif not bool(torch.isfinite(loom_out[0]).all()) or \
                    not bool(torch.isfinite(loom_out[1]).all()):
                row["loom_status"] = "NaN/inf in loom output (or an element left unwritten)"
                loom_out, call = None, None
            else:
                row["loom_status"] = "ok"
    except Exception as e:  # noqa: BLE001
        row["loom_status"] = f"error: {type(e).__name__}: {e}"
        ctx["log"](traceback.format_exc())
        loom_out, call = None, None

    # Correctness: loom vs peer (whole outputs), both vs the float64 reference prefix.
    if loom_out is not None and peer_out is not None and row["peer_status"] == "ok":
        row["err_o"] = rel_err(loom_out[0], peer_out[0])
        row["err_state"] = rel_err(loom_out[1], peer_out[1])
    try:
        tokens = min(ctx["ref_tokens"], s["T"])
        if tokens > 0 and (peer_out is not None or loom_out is not None):
            ref = reference_prefix(form, t, scale, tokens)
            row["ref_tokens"] = tokens
            if peer_out is not None:
                row["ref_err_o_peer"] = rel_err(peer_out[0][0, :tokens], ref)
            if loom_out is not None:
                row["ref_err_o_loom"] = rel_err(loom_out[0][0, :tokens], ref)
            del ref
    except Exception as e:  # noqa: BLE001
        ctx["log"](f"reference failed: {e}")
    if loom_out is not None and ((row["err_o"] is not None and not row["err_o"] <= ERR_TOL) or
                                 (row["err_state"] is not None and not row["err_state"] <= ERR_TOL)):
        row["loom_status"] = "mismatch vs peer"
    del peer_out, loom_out

    # Timing (medians).
    if peer is not None and row["peer_status"] == "ok":
        try:
            row["peer_ms"] = timer(peer)
        except Exception as e:  # noqa: BLE001
            row["peer_status"] = f"timing error: {type(e).__name__}: {e}"
    if call is not None:
        try:
            row["loom_ms"] = timer(call)
        except Exception as e:  # noqa: BLE001
            row["loom_status"] = f"timing error: {type(e).__name__}: {e}"
    for who in ("peer", "loom"):
        ms = row[f"{who}_ms"]
        if ms:
            row[f"{who}_pct_floor"] = 100.0 * row["floor_ms"] / ms
            row[f"{who}_tflops"] = nflops / (ms * 1e-3) / 1e12
    if row["peer_ms"] and row["loom_ms"]:
        row["speedup"] = row["peer_ms"] / row["loom_ms"]
    del t, loom_args, peer, call
    return row


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

def fmt(v, spec, none="-"):
    if v is None:
        return none
    if isinstance(v, float) and (math.isinf(v) or math.isnan(v)):
        return str(v)
    return format(v, spec)


COLUMNS = ["case", "peer ms", "loom ms", "speedup", "floor ms", "bound", "peer %fl",
           "loom %fl", "err o", "err S", "ref o p/l", "loom status"]


def table_rows(rows):
    out = []
    for r in rows:
        status = r["loom_status"] or "-"
        if r["peer_status"] not in (None, "ok"):
            status = f"peer: {r['peer_status']}; loom: {status}"
        out.append([r["name"], fmt(r["peer_ms"], ".3f"), fmt(r["loom_ms"], ".3f"),
                    fmt(r["speedup"], ".2f") + ("x" if r["speedup"] else ""),
                    fmt(r["floor_ms"], ".3f"), r["floor_bound"][:3],
                    fmt(r["peer_pct_floor"], ".0f"), fmt(r["loom_pct_floor"], ".0f"),
                    fmt(r["err_o"], ".1e"), fmt(r["err_state"], ".1e"),
                    fmt(r["ref_err_o_peer"], ".0e") + "/" + fmt(r["ref_err_o_loom"], ".0e"),
                    status[:70]])
    return out


def header_line(res):
    c = res["ceilings"]
    return (f"Loom vs peers on {res['card']}, {res['date']}: copy "
            f"{c['copy_bytes_per_s'] / 1e12:.2f} TB/s, bf16 matmul "
            f"{c['matmul_flops_per_s'] / 1e12:.0f} TFLOP/s (medians, same run)")


def text_table(res):
    body = table_rows(res["cases"])
    widths = [max(len(COLUMNS[i]), *(len(b[i]) for b in body)) if body else len(COLUMNS[i])
              for i in range(len(COLUMNS))]
    lines = [header_line(res), "  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(b, widths)) for b in body]
    lines.append("%fl = 100 * roofline floor / measured; err = ||loom - peer|| / ||peer||; "
                 "ref o p/l = peer/loom o vs float64 recurrence (batch 0, first "
                 f"{res['ref_tokens']} tokens)")
    return "\n".join(lines)


def markdown(res):
    body = table_rows(res["cases"])
    lines = [f"# {header_line(res)}", "",
             f"Peers: fla {res['peers']['fla']}, mamba_ssm {res['peers']['mamba_ssm']}; "
             f"torch {res['torch']}, triton {res['triton']}; seed {res['seed']}.", "",
             "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(b) + " |" for b in body]
    lines += ["", "%fl = 100 * roofline floor / measured time (floor = max(min bytes / copy "
              "bandwidth, FLOPs / matmul rate), formulas in bench/bench.py); err = ||loom - peer|| "
              "/ ||peer|| over o and the final state; ref o p/l = each one's o against a float64 "
              "token-by-token recurrence over batch row 0 and the first "
              f"{res['ref_tokens']} tokens."]
    if res.get("loom_note"):
        lines += ["", f"Loom: {res['loom_note']}"]
    return "\n".join(lines) + "\n"


def write_json(path, res):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(res, f, indent=1, default=str)
    os.replace(tmp, path)


def git_head(bundles=None):
    """The commit the bundles were built from (make_bundles.sh records it:
    the GPU machine's copy of the tree may carry stale git metadata), else
    this tree's HEAD."""
    source = os.path.join(bundles, "COMMIT") if bundles else None
    if source and os.path.isfile(source):
        return open(source).read().strip() or None
    try:
        r = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True,
                           text=True, timeout=10)
        return r.stdout.strip() or None
    except Exception:  # noqa: BLE001
        return None


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def main(argv=None, peer_override=None, loom_override=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="results JSON (a .md table is written beside it)")
    ap.add_argument("--bundles", default=os.path.join(ROOT, "bench", "bundles"))
    ap.add_argument("--quick", action="store_true", help="one shape per form")
    ap.add_argument("--forms", default=",".join(FORMS))
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--ref-tokens", type=int, default=1024,
                    help="tokens of batch row 0 checked against the float64 recurrence (0: none)")
    ap.add_argument("--warmup-ms", type=float, default=25)
    ap.add_argument("--rep-ms", type=float, default=100)
    ap.add_argument("--budget-s", type=float, default=420,
                    help="start no new case after this many seconds (the rest are listed as skipped)")
    ap.add_argument("--selftest", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    forms = [f for f in args.forms.split(",") if f]
    for f in forms:
        if f not in FORMS:
            ap.error(f"unknown form {f!r}; forms: {', '.join(FORMS)}")
    t_start = time.time()
    dev = "cpu" if args.selftest else "cuda"
    if dev == "cuda" and not torch.cuda.is_available():
        sys.exit("error: no CUDA device")
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "little") % (1 << 30)
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    md_path = os.path.splitext(args.out)[0] + ".md"
    log_path = os.path.splitext(args.out)[0] + ".log"
    log_file = open(log_path, "w")

    def log(msg):
        print(msg, file=sys.stderr, flush=True)
        log_file.write(msg + "\n")
        log_file.flush()

    card = "cpu (selftest)" if dev == "cpu" else torch.cuda.get_device_name()
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    slug = re.sub(r"[^a-z0-9]+", "-", card.lower()).strip("-")
    try:
        import triton
        triton_version = triton.__version__
    except Exception:  # noqa: BLE001
        triton_version = None
    loom = Loom(args.bundles)
    res = dict(card=card, date=date, result_stem=f"{date}-{slug}",
               time_utc=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               torch=torch.__version__, triton=triton_version,
               cuda=torch.version.cuda, loom_commit=git_head(args.bundles), loom_runtime=loom.version,
               loom_note=loom.error, bundles=os.path.relpath(os.path.abspath(args.bundles), ROOT),
               peers=dict(fla=FLA_COMMIT, mamba_ssm=MAMBA_COMMIT),
               env={k: os.environ.get(k) for k in ("FLA_DISABLE_BACKEND_DISPATCH", "LOOM_RUNTIME_LIB")},
               seed=seed, quick=args.quick, ref_tokens=args.ref_tokens,
               flop_chunk=FLOP_CHUNK, err_tol=ERR_TOL, timing=dict(
                   method="triton.testing.do_bench median" if dev == "cuda" else "perf_counter",
                   warmup_ms=args.warmup_ms, rep_ms=args.rep_ms),
               ceilings=None, cases=[])
    if loom.error:
        log(f"note: {loom.error}; running the peers only")

    timer = make_timer(dev, args.warmup_ms, args.rep_ms)
    with torch.no_grad():
        res["ceilings"] = measure_ceilings(dev, timer, selftest=args.selftest)
        log(header_line(res))
        write_json(args.out, res)
        cases = make_cases(forms, args.quick)
        if args.selftest:
            for c in cases:
                c["shape"].update(T=min(c["shape"]["T"], 96), B=min(c["shape"]["B"], 2),
                                  H=min(c["shape"]["H"], 16))
        ctx = dict(dev=dev, timer=timer, loom=loom, seed=seed, ceil=res["ceilings"],
                   ref_tokens=args.ref_tokens, log=log,
                   peer_override=peer_override, loom_override=loom_override)
        for i, case in enumerate(cases):
            elapsed = time.time() - t_start
            if elapsed > args.budget_s:
                log(f"skip {case_name(case)}: time budget ({elapsed:.0f} s > {args.budget_s:.0f} s)")
                row = dict(form=case["form"], name=case_name(case), shape=case["shape"],
                           peer=None, bytes=min_bytes(case["form"], case["shape"]),
                           flops=flops(case["form"], case["shape"]), floor_ms=None, floor_bound="-",
                           peer_ms=None, loom_ms=None, speedup=None, peer_pct_floor=None,
                           loom_pct_floor=None, err_o=None, err_state=None, ref_err_o_peer=None,
                           ref_err_o_loom=None, peer_status="skipped (time budget)",
                           loom_status="skipped (time budget)")
                res["cases"].append(row)
                continue
            ctx["index"] = i
            t0 = time.time()
            try:
                row = run_case(case, ctx)
            except Exception as e:  # noqa: BLE001 - e.g. out of memory while drawing inputs
                log(traceback.format_exc())
                row = dict(form=case["form"], name=case_name(case), shape=case["shape"],
                           floor_ms=None, floor_bound="-", peer_ms=None, loom_ms=None, speedup=None,
                           peer_pct_floor=None, loom_pct_floor=None, err_o=None, err_state=None,
                           ref_err_o_peer=None, ref_err_o_loom=None,
                           peer_status=f"error: {type(e).__name__}: {e}", loom_status="-")
            row["wall_s"] = time.time() - t0
            res["cases"].append(row)
            log(f"[{time.time() - t_start:6.1f} s] {row['name']}: peer {fmt(row['peer_ms'], '.3f')} ms "
                f"({row['peer_status']}), loom {fmt(row['loom_ms'], '.3f')} ms ({row['loom_status']}), "
                f"err o {fmt(row['err_o'], '.2e')} S {fmt(row['err_state'], '.2e')}, "
                f"ref p/l {fmt(row['ref_err_o_peer'], '.1e')}/{fmt(row['ref_err_o_loom'], '.1e')}")
            write_json(args.out, res)
            if dev == "cuda":
                torch.cuda.empty_cache()
    res["wall_s"] = time.time() - t_start
    write_json(args.out, res)
    with open(md_path, "w") as f:
        f.write(markdown(res))
    log_file.close()
    print(text_table(res), flush=True)
    return res


if __name__ == "__main__":
    main()
