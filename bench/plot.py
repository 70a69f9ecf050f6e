#!/usr/bin/python3
"""Draws bench.py's results: a roofline and the speed-ups of Loom over the peers.

  /usr/bin/python3 bench/plot.py RESULTS.json [-o OUT.png]

Left: x = arithmetic intensity (the case's FLOPs over its minimum bytes,
FLOP/byte, both as bench.py counts them), y = effective TFLOP/s (the same
FLOPs over the measured median time), log-log; the memory roof (copy
bandwidth x intensity) and the compute roof (bf16 matmul rate) measured in
the same run; one point per case for the peer (open) and Loom (filled), the
same colour per form, the marker per shape. A point's height over the roof
below it is its percentage of the roofline floor.
Right: Loom's speed-up over the peer per case (peer ms / Loom ms; bars only
where both ran), with the line at 1.

Needs matplotlib (Debian: apt-get install -y python3-matplotlib).
"""
import argparse
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

FORM_ORDER = ["linear_attn", "simple_gla", "gla", "delta_rule", "gated_delta_rule", "mamba2"]
MARKERS = ["o", "s", "^", "D", "v", "P"]


def shape_key(case):
    s = case["shape"]
    return (s["B"], s["T"], s["H"])


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results")
    ap.add_argument("-o", "--out", help="PNG path (default: RESULTS with .png)")
    args = ap.parse_args()
    with open(args.results) as f:
        res = json.load(f)
    out = args.out or os.path.splitext(args.results)[0] + ".png"
    ceil = res["ceilings"]
    bw = ceil["copy_bytes_per_s"] / 1e12          # TB/s = TFLOP/s per FLOP/byte
    peak = ceil["matmul_flops_per_s"] / 1e12      # TFLOP/s
    cases = [c for c in res["cases"] if c.get("flops") and c.get("bytes")]
    forms = [f for f in FORM_ORDER if any(c["form"] == f for c in cases)]
    forms += sorted({c["form"] for c in cases} - set(forms))
    colours = {f: plt.cm.tab10(i % 10) for i, f in enumerate(forms)}
    shapes = []
    for c in cases:
        if shape_key(c) not in shapes:
            shapes.append(shape_key(c))
    marker = {k: MARKERS[i % len(MARKERS)] for i, k in enumerate(shapes)}

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(15, 6.5), gridspec_kw=dict(width_ratios=[1.1, 1]))

    # Roofline.
    ais = [c["flops"] / c["bytes"] for c in cases] or [1.0]
    lo = min(min(ais) / 4, peak / bw / 20)
    hi = max(max(ais) * 4, peak / bw * 4)
    xs = [lo * (hi / lo) ** (i / 200) for i in range(201)]
    ax.plot(xs, [min(bw * x, peak) for x in xs], color="black", lw=1.5)
    ax.axvline(peak / bw, color="grey", ls=":", lw=1)
    ax.text(lo * 1.1, bw * lo * 1.3, f"copy {bw:.2f} TB/s", rotation=0, fontsize=8, va="bottom")
    ax.text(hi / 1.1, peak * 1.08, f"bf16 matmul {peak:.0f} TFLOP/s", ha="right", fontsize=8)
    ax.text(peak / bw * 1.05, lo * bw * 1.5, f"ridge {peak / bw:.0f} FLOP/B", fontsize=8,
            color="grey")
    ys = []
    for c in cases:
        ai = c["flops"] / c["bytes"]
        for who, filled in (("peer", False), ("loom", True)):
            ms = c.get(f"{who}_ms")
            if not ms:
                continue
            y = c["flops"] / (ms * 1e-3) / 1e12
            ys.append(y)
            ax.scatter([ai], [y], s=55, marker=marker[shape_key(c)],
                       facecolors=colours[c["form"]] if filled else "none",
                       edgecolors=colours[c["form"]], linewidths=1.5, zorder=3)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, hi)
    ymin = min(ys + [bw * lo]) / 2 if ys else bw * lo / 2
    ax.set_ylim(ymin, peak * 2)
    ax.set_xlabel("arithmetic intensity (FLOP / minimum byte)")
    ax.set_ylabel("effective TFLOP/s (algorithm FLOPs / measured time)")
    ax.set_title("Roofline: open = peer, filled = Loom")
    ax.grid(True, which="both", alpha=0.25)
    handles = [plt.Line2D([], [], color=colours[f], marker="o", ls="", label=f) for f in forms]
    handles += [plt.Line2D([], [], color="black", marker=marker[k], ls="", mfc="none",
                           label=f"B{k[0]} T{k[1]} H{k[2]}") for k in shapes]
    ax.legend(handles=handles, fontsize=8, loc="lower right", ncol=2)

    # Speed-ups.
    both = [c for c in cases if c.get("speedup")]
    labels = [c["name"] for c in cases]
    values = [c.get("speedup") or 0.0 for c in cases]
    pos = list(range(len(cases)))
    bars = bx.barh(pos, values, color=[colours[c["form"]] for c in cases])
    for p, c, b in zip(pos, cases, bars):
        if c.get("speedup"):
            bx.text(b.get_width(), p, f" {c['speedup']:.2f}x", va="center", fontsize=8)
        else:
            reason = "no Loom result" if not c.get("loom_ms") else "no peer result"
            bx.text(0.02, p, f" {reason}", va="center", fontsize=7, color="grey",
                    transform=bx.get_yaxis_transform())
    bx.axvline(1.0, color="black", lw=1)
    bx.set_yticks(pos)
    bx.set_yticklabels(labels, fontsize=8)
    bx.invert_yaxis()
    top = max([c["speedup"] for c in both] + [1.0])
    bx.set_xlim(0, top * 1.25)
    bx.set_xlabel("speed-up of Loom over the peer (peer ms / Loom ms)")
    bx.set_title("Loom vs peer (fla; mamba_ssm for mamba2)")
    bx.grid(True, axis="x", alpha=0.25)

    fig.suptitle(f"{res['card']}, {res['date']}: bf16, median times "
                 f"(fla {res['peers']['fla'][:10]}, mamba_ssm {res['peers']['mamba_ssm'][:10]})",
                 fontsize=11)
    fig.tight_layout()
    fig.savefig(out, dpi=130)
    print(out)


if __name__ == "__main__":
    main()
