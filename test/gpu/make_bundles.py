#!/usr/bin/env python3
"""Compiles the GPU correctness cases into bundles (on the machine with MLIR).

Each case is one loom function; `check_gpu.py` runs the bundles on the GPU
against float64 references. Writes OUT/cases.json and one bundle per case.

  make_bundles.py --loomc build/bin/loomc --out build/gpu-check
"""
import argparse
import itertools
import json
import os
import subprocess
import sys


def linear_attention_ir(name, dtype, B, H, Hk, K, V, decay, init, beta=False,
                        l2norm=False, cu=None):
    """decay: False, True (scalar, [B, T, H]) or "key" ([B, T, H, K])."""
    def t(shape, ty):
        return "tensor<" + "x".join(str(d) for d in shape) + "x" + ty + ">"

    # cu: the offsets' element type (i32 or i64) of a varlen case, whose
    # one batch row is static.
    batch = 1 if cu else "?"
    q = t([batch, "?", Hk, K], dtype)
    v = t([batch, "?", H, V], dtype)
    g = t([batch, "?", H] + ([K] if decay == "key" else []), "f32")
    gate = t([batch, "?", H], "f32")
    s = t(["?", H, K, V], "f32")
    args = [f"%q: {q}", f"%k: {q}", f"%v: {v}"]
    operands = "%q, %k, %v"
    types = [q, q, v]
    if decay:
        args.append(f"%g: {g}")
        operands += " decay %g"
        types.append(g)
    if beta:
        args.append(f"%beta: {gate}")
        operands += " beta %beta"
        types.append(gate)
    if init:
        args.append(f"%s0: {s}")
        operands += " initial_state %s0"
        types.append(s)
    if cu:
        args.append(f"%cu: tensor<?x{cu}>")
        operands += " cu_seqlens %cu"
        types.append(f"tensor<?x{cu}>")
    scale = K ** -0.5
    return (
        f"func.func @{name}({', '.join(args)}) -> ({v}, {s}) {{\n"
        f"  %o, %s = loom.linear_attention {operands} {{scale = {scale:.9e} : f32"
        f"{', qk_l2norm' if l2norm else ''}}}"
        f" : ({', '.join(types)}) -> ({v}, {s})\n"
        f"  return %o, %s : {v}, {s}\n}}\n"
    )


def ssd_ir(name, dtype, H, G, P, N, D, z, bias, softplus, init, cu=None):
    def t(shape, ty):
        return "tensor<" + "x".join(str(d) for d in shape) + "x" + ty + ">"

    batch = 1 if cu else "?"
    x = t([batch, "?", H, P], dtype)
    dt = t([batch, "?", H], "f32")
    hv = t([H], "f32")
    bc = t([batch, "?", G, N], dtype)
    st = t(["?", H, P, N], "f32")
    args = [f"%x: {x}", f"%dt: {dt}", f"%A: {hv}", f"%B: {bc}", f"%C: {bc}"]
    types = [x, dt, hv, bc, bc]
    operands = "%x, %dt, %A, %B, %C"
    for flag, arg, ty, kw in [(D, "%D", hv, "D"), (z, "%z", x, "z"),
                              (bias, "%db", hv, "dt_bias"),
                              (init, "%h0", st, "initial_state"),
                              (cu, "%cu", f"tensor<?x{cu}>", "cu_seqlens")]:
        if flag:
            args.append(f"{arg}: {ty}")
            types.append(ty)
            operands += f" {kw} {arg}"
    attrs = " {dt_softplus}" if softplus else ""
    return (
        f"func.func @{name}({', '.join(args)}) -> ({x}, {st}) {{\n"
        f"  %y, %h = loom.ssd {operands}{attrs}"
        f" : ({', '.join(types)}) -> ({x}, {st})\n"
        f"  return %y, %h : {x}, {st}\n}}\n"
    )


def _tensor(shape, ty):
    return "tensor<" + "x".join(str(d) for d in shape) + "x" + ty + ">"


def selective_scan_ir(name, dtype, Dc, G, N, D, z, bias, softplus, init,
                      delta_f32):
    u = _tensor(["?", Dc, "?"], dtype)
    delta = _tensor(["?", Dc, "?"], "f32" if delta_f32 else dtype)
    a = _tensor([Dc, N], "f32")
    bc = _tensor(["?", G, N, "?"], dtype)
    per_channel = _tensor([Dc], "f32")
    st = _tensor(["?", Dc, N], "f32")
    args = [f"%u: {u}", f"%delta: {delta}", f"%A: {a}", f"%B: {bc}", f"%C: {bc}"]
    types = [u, delta, a, bc, bc]
    operands = "%u, %delta, %A, %B, %C"
    for flag, arg, ty, kw in [(D, "%D", per_channel, "D"), (z, "%z", u, "z"),
                              (bias, "%db", per_channel, "delta_bias"),
                              (init, "%h0", st, "initial_state")]:
        if flag:
            args.append(f"{arg}: {ty}")
            types.append(ty)
            operands += f" {kw} {arg}"
    attrs = " {delta_softplus}" if softplus else ""
    return (
        f"func.func @{name}({', '.join(args)}) -> ({u}, {st}) {{\n"
        f"  %y, %h = loom.selective_scan {operands}{attrs}"
        f" : ({', '.join(types)}) -> ({u}, {st})\n"
        f"  return %y, %h : {u}, {st}\n}}\n"
    )


def causal_conv1d_ir(name, dtype, C, W, bias, silu):
    x = _tensor(["?", "?", C], dtype)
    w = _tensor([C, W], "f32")
    b = _tensor([C], "f32")
    args = [f"%x: {x}", f"%w: {w}"] + ([f"%b: {b}"] if bias else [])
    types = [x, w] + ([b] if bias else [])
    operands = "%x, %w" + (" bias %b" if bias else "")
    act = "silu" if silu else "none"
    return (
        f"func.func @{name}({', '.join(args)}) -> {x} {{\n"
        f"  %y = loom.causal_conv1d {operands} {{activation = \"{act}\"}}"
        f" : ({', '.join(types)}) -> {x}\n"
        f"  return %y : {x}\n}}\n"
    )


def scan_conv_cases():
    """Mamba1's selective scan and the short convolution, every dtype."""
    out = []
    # Dc = 6 channels: with B = 1 or 2 the CTAs of 4 (batch, channel) rows
    # end part-filled. "full" has every optional operand and an f32 delta.
    forms = {
        "plain": dict(D=False, z=False, bias=False, softplus=False,
                      init=False, delta_f32=False),
        "dz": dict(D=True, z=True, bias=False, softplus=False, init=False,
                   delta_f32=False),
        "softplus": dict(D=False, z=False, bias=True, softplus=True,
                         init=False, delta_f32=True),
        "s0": dict(D=False, z=False, bias=False, softplus=False, init=True,
                   delta_f32=False),
        "full": dict(D=True, z=True, bias=True, softplus=True, init=True,
                     delta_f32=True),
    }
    for dtype, form, G in itertools.product(["f32", "bf16", "f16"], forms,
                                            [1, 3]):
        name = f"scan_{dtype}_{form}_g{G}_dc6_n16"
        out.append((name, dict(op="selective_scan", dtype=dtype, Dc=6, G=G,
                               N=16, **forms[form])))
    # N = 256 states per chunk, grouped.
    for dtype in ["f32", "bf16", "f16"]:
        name = f"scan_{dtype}_full_g2_dc64_n256"
        out.append((name, dict(op="selective_scan", dtype=dtype, Dc=64, G=2,
                               N=256, **forms["full"])))
    # C = 1536 fills its channel tiles; 200 (16-byte vectors but for f32)
    # and 33 (no vectors) leave the last one part-filled.
    for dtype, W, C, (bias, silu) in itertools.product(
        ["f32", "bf16", "f16"], [2, 3, 4], [1536, 200, 33],
        [(False, False), (True, True)]):
        name = (f"conv_{dtype}_w{W}_c{C}_{'bias' if bias else 'nobias'}"
                f"_{'silu' if silu else 'none'}")
        out.append((name, dict(op="causal_conv1d", dtype=dtype, C=C, W=W,
                               bias=bias, silu=silu)))
    for dtype, (bias, silu) in itertools.product(
        ["f32", "bf16", "f16"], [(True, False), (False, True)]):
        name = (f"conv_{dtype}_w4_c200_{'bias' if bias else 'nobias'}"
                f"_{'silu' if silu else 'none'}")
        out.append((name, dict(op="causal_conv1d", dtype=dtype, C=200, W=4,
                               bias=bias, silu=silu)))
    return out


def cases():
    """(name, spec) for every configuration the GPU kernels claim."""
    out = []
    # Additive forms ("la") and the delta rule (DeltaNet, Gated DeltaNet),
    # each at every value tile it ships (the delta rule's 64 columns only
    # without an initial state).
    for (prefix, beta, tiles) in [("la", False, [64, 32, 0]),
                                  ("delta", True, [64, 32, 16, 0])]:
        for dtype, decay, init, (H, Hk), (K, V), tile in itertools.product(
            ["bf16", "f16"], [False, True], [False, True], [(4, 4), (4, 2)],
            [(64, 64), (128, 128)], tiles):
            # tile 0: one kernel per value tile, chosen at launch.
            if tile > V or (tile == 0 and dtype == "f16"):
                continue
            if beta and tile == 64 and init:
                continue
            name = (f"{prefix}_{dtype}_{'g' if decay else 'nog'}"
                    f"_{'s0' if init else 'nos0'}_h{H}x{Hk}_k{K}v{V}_bv{tile}")
            spec = dict(op="linear_attention", dtype=dtype, H=H, Hk=Hk, K=K,
                        V=V, decay=decay, init=init, tile=tile)
            if beta:
                spec["beta"] = True
            out.append((name, spec))
    # Head dims 192 and 256: rows of 24 and 32 16-byte segments, which the
    # copies split over 128 threads differently from 64 and 128.
    for (prefix, beta, tile), (K, V) in itertools.product(
            [("la", False, 0), ("la", False, 32), ("delta", True, 0),
             ("delta", True, 32)], [(192, 128), (256, 128)]):
        spec = dict(op="linear_attention", dtype="bf16", H=4, Hk=2, K=K, V=V,
                    decay=True, init=True, tile=tile)
        if beta:
            spec["beta"] = True
        out.append((f"{prefix}_bf16_g_s0_h4x2_k{K}v{V}_bv{tile}", spec))
    # Mamba2 with the value tile chosen at launch (B * H = 4 at T = 4096
    # splits the sequence).
    for dtype in ["bf16", "f16"]:
        out.append((f"ssd_{dtype}_full_s0_bv0",
                    dict(op="ssd", dtype=dtype, H=4, Hk=1, K=128, V=64, D=True,
                         z=True, bias=True, softplus=True, init=True, tile=0)))
    # GLA: per-key decay, each value tile it ships.
    for dtype, init, (H, Hk), (K, V), tile in itertools.product(
        ["bf16", "f16"], [False, True], [(4, 4), (4, 2)],
        [(64, 64), (128, 128)], [64, 32, 0]):
        if tile > V or (tile == 0 and dtype == "f16"):
            continue
        name = (f"gla_{dtype}_{'s0' if init else 'nos0'}_h{H}x{Hk}"
                f"_k{K}v{V}_bv{tile}")
        out.append((name, dict(op="linear_attention", dtype=dtype, H=H, Hk=Hk,
                               K=K, V=V, decay="key", init=init, tile=tile)))
    # qk_l2norm (the form Gated DeltaNet layers use), additive and delta.
    for dtype, decay, beta, (K, V) in itertools.product(
        ["bf16", "f16"], [False, True], [False, True], [(64, 64), (128, 128)]):
        name = (f"l2_{dtype}_{'g' if decay else 'nog'}_{'beta' if beta else 'add'}"
                f"_h4x2_k{K}v{V}_bv0")
        out.append((name, dict(op="linear_attention", dtype=dtype, H=4, Hk=2,
                               K=K, V=V, decay=decay, init=True, beta=beta,
                               l2norm=True, tile=0)))
    # Mamba2: P = 64 values per head, N = 128 state, shared B/C groups.
    for dtype, full, init in itertools.product(["bf16", "f16"], [False, True],
                                               [False, True]):
        name = f"ssd_{dtype}_{'full' if full else 'plain'}_{'s0' if init else 'nos0'}"
        out.append((name, dict(op="ssd", dtype=dtype, H=4, Hk=1, K=128, V=64,
                               D=full, z=full, bias=full, softplus=full,
                               init=init, tile=64)))
    # cu_seqlens: packed sequences of one batch row, i32 and i64 offsets.
    for dtype, form, cu in itertools.product(
        ["bf16", "f16"], ["add", "sgla", "gla", "delta", "gdelta"],
        ["i32", "i64"]):
        name = f"varlen_{dtype}_{form}_{cu}_h4x2_k128v128_bv0"
        decay = "key" if form == "gla" else form in ("sgla", "gdelta")
        out.append((name, dict(op="linear_attention", dtype=dtype, H=4, Hk=2,
                               K=128, V=128, decay=decay,
                               init=True, beta=form in ("delta", "gdelta"),
                               tile=0, cu=cu)))
    for dtype, cu in itertools.product(["bf16", "f16"], ["i32", "i64"]):
        out.append((f"varlen_{dtype}_ssd_{cu}",
                    dict(op="ssd", dtype=dtype, H=4, Hk=1, K=128, V=64, D=True,
                         z=True, bias=True, softplus=True, init=True, tile=64,
                         cu=cu)))
    # Token by token (the forms the chunk kernel does not take): every
    # linear-attention form in f32, KDA in every dtype, head dims off the
    # chunk kernel's tiles (V = 24 leaves a CTA's columns part-filled),
    # cu_seqlens and loom.ssd in f32.
    forms = {"add": (False, False), "sgla": (True, False),
             "gla": ("key", False), "delta": (False, True),
             "gdelta": (True, True), "kda": ("key", True)}
    for form, (K, V) in itertools.product(forms, [(64, 64), (128, 128)]):
        decay, beta = forms[form]
        out.append((f"rec_f32_{form}_s0_h4x2_k{K}v{V}",
                    dict(op="linear_attention", dtype="f32", H=4, Hk=2, K=K,
                         V=V, decay=decay, init=True, beta=beta, tile=0)))
    for dtype in ["bf16", "f16"]:
        out.append((f"rec_{dtype}_kda_s0_h4x2_k128v128",
                    dict(op="linear_attention", dtype=dtype, H=4, Hk=2, K=128,
                         V=128, decay="key", init=True, beta=True, tile=0)))
    out.append(("rec_f32_kda_l2_h4x4_k128v64",
                dict(op="linear_attention", dtype="f32", H=4, Hk=4, K=128,
                     V=64, decay="key", init=False, beta=True, l2norm=True,
                     tile=0)))
    out.append(("rec_bf16_gdelta_s0_h4x2_k32v24",
                dict(op="linear_attention", dtype="bf16", H=4, Hk=2, K=32,
                     V=24, decay=True, init=True, beta=True, tile=0)))
    for form, cu in [("gdelta", "i32"), ("kda", "i64")]:
        decay, beta = forms[form]
        out.append((f"rec_f32_varlen_{form}_{cu}_h4x2_k64v64",
                    dict(op="linear_attention", dtype="f32", H=4, Hk=2, K=64,
                         V=64, decay=decay, init=True, beta=beta, tile=0,
                         cu=cu)))
    for full, cu in [(False, None), (True, None), (True, "i64")]:
        name = (f"rec_f32_ssd_{'full' if full else 'plain'}"
                f"{'_' + cu if cu else ''}")
        spec = dict(op="ssd", dtype="f32", H=4, Hk=1, K=128, V=64, D=full,
                    z=full, bias=full, softplus=full, init=full, tile=0)
        if cu:
            spec["cu"] = cu
        out.append((name, spec))
    out += scan_conv_cases()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--loomc", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--target", default="sm_90a")
    ap.add_argument("--only", default="",
                    help="comma-separated name prefixes of the cases to build")
    ap.add_argument("--loomc-flag", action="append", default=[],
                    help="extra loomc flag for every bundle (repeatable), "
                         "e.g. --loomc-flag=--warpgroup-mma")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    manifest = []
    prefixes = [p for p in args.only.split(",") if p]
    for name, spec in cases():
        if prefixes and not any(name.startswith(p) for p in prefixes):
            continue
        if spec["op"] == "selective_scan":
            ir = selective_scan_ir(name, spec["dtype"], spec["Dc"], spec["G"],
                                   spec["N"], spec["D"], spec["z"],
                                   spec["bias"], spec["softplus"],
                                   spec["init"], spec["delta_f32"])
        elif spec["op"] == "causal_conv1d":
            ir = causal_conv1d_ir(name, spec["dtype"], spec["C"], spec["W"],
                                  spec["bias"], spec["silu"])
        elif spec["op"] == "ssd":
            ir = ssd_ir(name, spec["dtype"], spec["H"], spec["Hk"], spec["V"],
                        spec["K"], spec["D"], spec["z"], spec["bias"],
                        spec["softplus"], spec["init"], spec.get("cu"))
        else:
            ir = linear_attention_ir(name, spec["dtype"], "?", spec["H"],
                                     spec["Hk"], spec["K"], spec["V"],
                                     spec["decay"], spec["init"],
                                     spec.get("beta", False),
                                     spec.get("l2norm", False),
                                     spec.get("cu"))
        path = os.path.join(args.out, name + ".mlir")
        with open(path, "w") as f:
            f.write(ir)
        bundle = os.path.join(args.out, name)
        r = subprocess.run([args.loomc, path, f"--target={args.target}",
                            "--emit=bundle", f"--value-tile={spec.get('tile', 0)}",
                            *args.loomc_flag, "-o", bundle],
                           capture_output=True, text=True)
        # loomc warns on spills; the shipped configurations must have none.
        if r.returncode != 0 or "spill" in r.stderr:
            sys.exit(f"{name}: loomc failed or spilled:\n{r.stderr}")
        manifest.append(dict(name=name, bundle=name, **spec))
    with open(os.path.join(args.out, "cases.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"{len(manifest)} bundles in {args.out}")


if __name__ == "__main__":
    main()
