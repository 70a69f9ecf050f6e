#!/usr/bin/python3
"""Self-checks of reference.py (and of the bf16 encoding in cases.py).

The reference is the oracle of the numeric tests, so it is checked here
against independent formulations: closed forms of the recurrences, the
equivalences SPEC.md states (ssd and selective_scan as linear_attention,
sparse attention over every key as dense attention), brute-force loops,
hand-made examples and MoE round-trip identities. Prints one line per check
and exits non-zero if any fails. Run with /usr/bin/python3.
"""
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cases as C  # noqa: E402
import reference as R  # noqa: E402

CHECKS = []


def check(fn):
    CHECKS.append(fn)
    return fn


def rel(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300)


def rng_for(name):
    """A generator seeded by the check's name, the same in every run."""
    return np.random.default_rng(list(name.encode()))


def la_inputs(rng, batch=2, length=9, hk=2, heads=4, kd=5, vd=3):
    q = rng.normal(size=(batch, length, hk, kd))
    k = rng.normal(size=(batch, length, hk, kd)) / np.sqrt(kd)
    v = rng.normal(size=(batch, length, heads, vd))
    s0 = rng.normal(size=(batch, heads, kd, vd))
    return q, k, v, s0


# ---------------------------------------------------------------------------
# Recurrences
# ---------------------------------------------------------------------------

@check
def linear_attention_closed_form():
    """No decay, no beta: o_t = scale (S0^T q_t + sum_{s<=t} (q_t.k_s) v_s)."""
    q, k, v, s0 = la_inputs(rng_for("la"))
    o, s = R.linear_attention(q, k, v, initial_state=s0, scale=0.7)
    qx, kx = np.repeat(q, 2, axis=2), np.repeat(k, 2, axis=2)
    scores = np.einsum("bthk,bshk->bhts", qx, kx) * np.tril(np.ones((9, 9)))
    want = 0.7 * (np.einsum("bhts,bshv->bthv", scores, v) + np.einsum("bthk,bhkv->bthv", qx, s0))
    want_s = s0 + np.einsum("bshk,bshv->bhkv", kx, v)
    return max(rel(o, want), rel(s, want_s))


@check
def linear_attention_scalar_decay_closed_form():
    """o_t = scale (e^{G_t} S0^T q_t + sum_{s<=t} e^{G_t - G_s} (q_t.k_s) v_s), G = cumsum g."""
    rng = rng_for("la-scalar")
    q, k, v, s0 = la_inputs(rng)
    g = -rng.uniform(0, 1, size=(2, 9, 4))
    o, s = R.linear_attention(q, k, v, decay=g, initial_state=s0)
    qx, kx = np.repeat(q, 2, axis=2), np.repeat(k, 2, axis=2)
    G = np.cumsum(g, axis=1)                                          # [B,T,H]
    gates = np.exp(G[:, :, None, :] - G[:, None, :, :]) * np.tril(np.ones((9, 9)))[..., None]
    scores = np.einsum("bthk,bshk->btsh", qx, kx) * gates
    want = 5 ** -0.5 * (np.einsum("btsh,bshv->bthv", scores, v)
                        + np.exp(G)[..., None] * np.einsum("bthk,bhkv->bthv", qx, s0))
    GT = G[:, -1]
    want_s = (np.exp(GT)[..., None, None] * s0
              + np.einsum("bsh,bshk,bshv->bhkv", np.exp(GT[:, None] - G), kx, v))
    return max(rel(o, want), rel(s, want_s))


@check
def linear_attention_per_key_decay_closed_form():
    """Per key i: o_t = scale sum_i q_t[i] (e^{G_t[i]} S0[i] + sum_s e^{G_t[i]-G_s[i]} k_s[i] v_s)."""
    rng = rng_for("la-key")
    q, k, v, s0 = la_inputs(rng)
    g = -rng.uniform(0, 1, size=(2, 9, 4, 5))
    o, s = R.linear_attention(q, k, v, decay=g, initial_state=s0, scale=0.5)
    qx, kx = np.repeat(q, 2, axis=2), np.repeat(k, 2, axis=2)
    G = np.cumsum(g, axis=1)                                          # [B,T,H,K]
    mask = np.tril(np.ones((9, 9)))[None, :, :, None, None]
    gates = np.exp(G[:, :, None] - G[:, None, :]) * mask              # [B,t,s,H,K]
    want = 0.5 * (np.einsum("bthk,btshk,bshk,bshv->bthv", qx, gates, kx, v)
                  + np.einsum("bthk,bthk,bhkv->bthv", qx, np.exp(G), s0))
    GT = G[:, -1]
    want_s = (np.exp(GT)[..., None] * s0
              + np.einsum("bshk,bshk,bshv->bhkv", np.exp(GT[:, None] - G), kx, v))
    return max(rel(o, want), rel(s, want_s))


@check
def delta_rule_writes_value():
    """beta = 1 and unit k: after step t, S^T k_t = v_t, so q = k, scale 1 gives o = v."""
    rng = rng_for("delta")
    _, k, v, s0 = la_inputs(rng, hk=4)
    k = k / np.linalg.norm(k, axis=-1, keepdims=True)
    g = -rng.uniform(0, 1, size=(2, 9, 4, 5))
    o, _ = R.linear_attention(k, k, v, decay=g, beta=np.ones((2, 9, 4)),
                              initial_state=s0, scale=1.0)
    return rel(o, v)


@check
def delta_rule_qk_l2norm_flag():
    """qk_l2norm equals dividing q and k by sqrt(sum x^2 + 1e-6) beforehand."""
    rng = rng_for("l2")
    q, k, v, s0 = la_inputs(rng)
    g, b = -rng.uniform(0, 1, size=(2, 9, 4)), rng.uniform(0, 1, size=(2, 9, 4))
    o1, s1 = R.linear_attention(q, k, v, decay=g, beta=b, initial_state=s0, qk_l2norm=True)
    qn = q / np.sqrt(np.sum(q * q, -1, keepdims=True) + 1e-6)
    kn = k / np.sqrt(np.sum(k * k, -1, keepdims=True) + 1e-6)
    o2, s2 = R.linear_attention(qn, kn, v, decay=g, beta=b, initial_state=s0)
    return max(rel(o1, o2), rel(s1, s2))


@check
def linear_attention_varlen():
    """cu_seqlens (with empty sequences) equals separate B=1 runs per sequence."""
    rng = rng_for("varlen")
    q, k, v, _ = la_inputs(rng, batch=1, length=12)
    cu = np.array([0, 0, 5, 5, 12, 12])
    s0 = rng.normal(size=(5, 4, 5, 3))
    g, b = -rng.uniform(0, 1, size=(1, 12, 4, 5)), rng.uniform(0, 1, size=(1, 12, 4))
    o, s = R.linear_attention(q, k, v, decay=g, beta=b, initial_state=s0, cu_seqlens=cu)
    worst = 0.0
    for i in range(5):
        lo, hi = cu[i], cu[i + 1]
        piece = slice(lo, hi)
        oi, si = R.linear_attention(q[:, piece], k[:, piece], v[:, piece], decay=g[:, piece],
                                    beta=b[:, piece], initial_state=s0[i:i + 1])
        worst = max(worst, rel(s[i:i + 1], si), rel(o[:, piece], oi) if hi > lo else 0.0)
    return worst


def ssd_as_linear_attention(x, dt, A, B, C, D, z, dt_bias, s0, cu, softplus):
    """SPEC's equivalence: q=C, k=B, v=dt'x, decay=dt'A, scale=1, state transposed."""
    dtp = dt + dt_bias if dt_bias is not None else dt
    dtp = R.softplus_rule(dtp) if softplus else dtp
    o, s = R.linear_attention(C, B, dtp[..., None] * x, decay=dtp * A,
                              initial_state=np.swapaxes(s0, -1, -2), cu_seqlens=cu, scale=1.0)
    return (o + D[:, None] * x) * z * R.sigmoid(z), np.swapaxes(s, -1, -2)


@check
def ssd_is_linear_attention():
    """ssd == linear_attention mapping plus the D and z epilogue (varlen, groups)."""
    rng = rng_for("ssd")
    length, heads, groups, pdim, nstate = 11, 4, 2, 3, 5
    x = rng.normal(size=(1, length, heads, pdim))
    dt = rng.normal(size=(1, length, heads))
    dt[0, 3, 1] = 25.0
    A = -rng.uniform(0.5, 4, size=heads)
    B, Cm = rng.normal(size=(2, 1, length, groups, nstate))
    D, z, bias = rng.normal(size=heads), rng.normal(size=x.shape), rng.normal(size=heads)
    cu = np.array([0, 4, 4, 11])
    s0 = rng.normal(size=(3, heads, pdim, nstate))
    y, s = R.ssd(x, dt, A, B, Cm, D=D, z=z, dt_bias=bias, initial_state=s0, cu_seqlens=cu,
                 dt_softplus=True)
    y2, s2 = ssd_as_linear_attention(x, dt, A, B, Cm, D, z, bias, s0, cu, True)
    return max(rel(y, y2), rel(s, s2))


@check
def selective_scan_is_per_key_linear_attention():
    """Mamba1 per channel c is per-key-decay linear attention with V = 1:
    q = C, k = B (group c // (Dc/G)), v = dt u, decay = dt A[c], scale 1."""
    rng = rng_for("mamba1")
    batch, channels, groups, nstate, length = 2, 6, 3, 4, 10
    u = rng.normal(size=(batch, channels, length))
    delta = rng.normal(size=u.shape)
    A = -rng.uniform(0.5, 8, size=(channels, nstate))
    B, Cm = rng.normal(size=(2, batch, groups, nstate, length))
    D, z, bias = rng.normal(size=channels), rng.normal(size=u.shape), rng.normal(size=channels)
    h0 = rng.normal(size=(batch, channels, nstate))
    y, h = R.selective_scan(u, delta, A, B, Cm, D=D, z=z, delta_bias=bias, initial_state=h0,
                            delta_softplus=True)
    dt = R.softplus_rule(delta + bias[None, :, None])                 # [B,Dc,L]
    tm = lambda a: np.moveaxis(a, -1, 1)                              # [B,...,L] -> [B,L,...]
    o, s = R.linear_attention(tm(Cm), tm(B), tm(dt * u)[..., None],
                              decay=tm(dt)[..., None] * A, initial_state=h0[..., None],
                              scale=1.0)
    y2 = np.moveaxis(o[..., 0], 1, -1)
    y2 = (y2 + D[None, :, None] * u) * z * R.sigmoid(z)
    return max(rel(y, y2), rel(h, s[..., 0]))


@check
def causal_conv1d_is_convolve():
    rng = rng_for("conv")
    x, w, b = rng.normal(size=(2, 9, 3)), rng.normal(size=(3, 4)), rng.normal(size=3)
    y = R.causal_conv1d(x, w, bias=b, activation="silu")
    want = np.empty_like(x)
    for n in range(2):
        for c in range(3):
            pre = np.convolve(x[n, :, c], w[c, ::-1])[:9] + b[c]
            want[n, :, c] = pre / (1 + np.exp(-pre))
    return rel(y, want)


# ---------------------------------------------------------------------------
# Attention
# ---------------------------------------------------------------------------

@check
def lightning_indexer_loops():
    rng = rng_for("indexer")
    qi, ki, w = rng.normal(size=(2, 3, 2, 4)), rng.normal(size=(2, 5, 4)), rng.normal(size=(2, 3, 2))
    got = R.lightning_indexer(qi, ki, w, causal=True)
    want = np.zeros((2, 3, 5))
    for b in range(2):
        for t in range(3):
            for s in range(5):
                want[b, t, s] = (sum(w[b, t, h] * max(0.0, qi[b, t, h] @ ki[b, s]) for h in range(2))
                                 if s <= t + 2 else -np.inf)
    if not np.array_equal(np.isinf(got), np.isinf(want)):
        return np.inf
    return rel(got[np.isfinite(got)], want[np.isfinite(want)])


@check
def topk_brute_force():
    """Descending, ties to the smaller index, NaN and -inf never selected, -1 padding."""
    rng = rng_for("topk")
    scores = rng.integers(-3, 4, size=(40, 12)).astype(float)
    scores[rng.random(scores.shape) < 0.2] = -np.inf
    scores[rng.random(scores.shape) < 0.1] = np.nan
    scores[0] = -np.inf
    worst = 0.0
    for k in (1, 5, 12, 15):
        vals, idx = R.topk(scores, k)
        for row, v, i in zip(scores, vals, idx):
            order = sorted((j for j in range(12) if row[j] > -np.inf), key=lambda j: (-row[j], j))
            order = (order + [-1] * k)[:k]
            want_v = [row[j] if j >= 0 else -np.inf for j in order]
            if list(i) != order or not np.array_equal(v, want_v):
                worst = np.inf
    return worst


def sparse_all_keys(rng, batch, queries, keys, causal):
    """Index lists holding every (visible) key once in random order, -1 padded."""
    idx = np.full((batch, queries, keys + 2), -1)
    for b in range(batch):
        for t in range(queries):
            visible = np.arange(keys if not causal else t + keys - queries + 1)
            idx[b, t, :len(visible)] = rng.permutation(visible)
            idx[b, t] = rng.permutation(idx[b, t])
    return idx


@check
def sparse_attention_over_all_keys_is_attention():
    rng = rng_for("sparse")
    q, k, v = rng.normal(size=(2, 4, 4, 8)), rng.normal(size=(2, 7, 2, 8)), rng.normal(size=(2, 7, 2, 3))
    worst = 0.0
    for causal in (False, True):
        idx = sparse_all_keys(rng, 2, 4, 7, causal)
        worst = max(worst, rel(R.sparse_attention(q, k, v, idx, scale=0.3),
                               R.attention(q, k, v, causal=causal, scale=0.3)))
    return worst


@check
def sparse_attention_empty_row_is_zero():
    rng = rng_for("sparse-empty")
    q, k, v = rng.normal(size=(1, 2, 2, 4)), rng.normal(size=(1, 5, 1, 4)), rng.normal(size=(1, 5, 1, 3))
    idx = np.array([[[-1, -1, -1], [2, -7, 2]]])
    o = R.sparse_attention(q, k, v, idx)
    return max(np.abs(o[0, 0]).max(), rel(o[0, 1], np.repeat(v[0, 2], 2, axis=0)))


@check
def dsa_pipeline_with_full_budget_is_causal_attention():
    """indexer(causal) -> topk(k >= S) -> sparse_attention selects every visible key."""
    rng = rng_for("dsa")
    qi, ki, w = rng.normal(size=(1, 5, 2, 4)), rng.normal(size=(1, 8, 4)), rng.normal(size=(1, 5, 2))
    _, idx = R.topk(R.lightning_indexer(qi, ki, w, causal=True), 10)
    q, k, v = rng.normal(size=(1, 5, 2, 4)), rng.normal(size=(1, 8, 1, 4)), rng.normal(size=(1, 8, 1, 6))
    return rel(R.sparse_attention(q, k, v, idx), R.attention(q, k, v, causal=True))


# ---------------------------------------------------------------------------
# Mixture of experts
# ---------------------------------------------------------------------------

@check
def router_plain_topk():
    rng = rng_for("router")
    logits = rng.normal(size=(20, 16))
    w, idx = R.moe_router(logits, top_k=3, score="sigmoid", normalize=True, scaling=2.5)
    want_idx = np.argsort(-logits, axis=1, kind="stable")[:, :3]
    s = 1 / (1 + np.exp(-np.take_along_axis(logits, want_idx, 1)))
    want_w = 2.5 * s / s.sum(1, keepdims=True)
    return np.inf if not np.array_equal(idx, want_idx) else rel(w, want_w)


@check
def router_groups_of_one_expert():
    """n_group = E: a group's score is its one sel, so groups rank like experts."""
    rng = rng_for("router-one")
    logits, bias = rng.normal(size=(20, 8)), rng.normal(size=8)
    w1, i1 = R.moe_router(logits, bias, top_k=3, n_group=8, topk_group=3)
    w2, i2 = R.moe_router(logits, bias, top_k=3)
    return np.inf if not np.array_equal(i1, i2) else rel(w1, w2)


@check
def router_group_masking_by_hand():
    """sel = [0.9, 0.0, 0.5, 0.5]: group 1 (0.5 + 0.5) beats group 0 (0.9 + 0.0);
    the bias steers selection, the weights stay s = 0.25; 0.5 tie -> index 2."""
    logits = np.zeros((1, 4))
    bias = np.array([0.65, -0.25, 0.25, 0.25])
    w, idx = R.moe_router(logits, bias, top_k=2, n_group=2, topk_group=1, scaling=2.0)
    w1, idx1 = R.moe_router(logits, bias, top_k=1)
    ok = idx.tolist() == [[2, 3]] and idx1.tolist() == [[0]]
    return rel(w, [[0.5, 0.5]]) if ok else np.inf


@check
def aux_and_z_loss_by_hand():
    """Uniform logits with balanced routing give alpha; zero logits give (log E)^2."""
    idx = np.arange(16).reshape(8, 2) % 4
    aux = R.moe_aux_loss(np.zeros((8, 4)), idx, alpha=0.3)
    rng = rng_for("aux")
    logits, idx = rng.normal(size=(6, 5)), rng.integers(0, 5, size=(6, 3))
    p = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    loop = sum(5 * np.sum(idx == e) / 18 * p[:, e].mean() for e in range(5))
    return max(rel(aux, 0.3), rel(R.moe_aux_loss(logits, idx, alpha=1.0), loop),
               rel(R.router_z_loss(np.zeros((3, 6))), np.log(6) ** 2))


@check
def moe_dispatch_combine_round_trip():
    """Dispatch sorts by expert, stably; combine(dispatch(x)) = x * sum_j w_j;
    combine(grouped_matmul(dispatch(x))) = the dense per-token mixture."""
    rng = rng_for("moe")
    tokens, k, experts, model, hidden = 9, 3, 5, 4, 6
    x = rng.normal(size=(tokens, model))
    idx = rng.integers(0, experts, size=(tokens, k))
    w = rng.uniform(size=(tokens, k))
    xs, perm, offs = R.moe_dispatch(x, idx, experts)
    flat = idx.ravel()
    ok = sorted(perm.tolist()) == list(range(tokens * k))
    ok &= all(np.all(flat[perm[offs[e]:offs[e + 1]]] == e) for e in range(experts))
    ok &= all(np.all(np.diff(perm[offs[e]:offs[e + 1]]) > 0) for e in range(experts))
    if not ok:
        return np.inf
    weights = rng.normal(size=(experts, model, 2 * hidden))
    ys = R.grouped_matmul(xs, weights, offs, activation="swiglu")
    dense = np.zeros((tokens, hidden))
    for n in range(tokens):
        for j in range(k):
            a = x[n] @ weights[idx[n, j]]
            dense[n] += w[n, j] * R.silu(a[:hidden]) * a[hidden:]
    return max(rel(R.moe_combine(xs, perm, w), x * w.sum(1, keepdims=True)),
               rel(R.moe_combine(ys, perm, w), dense))


# ---------------------------------------------------------------------------
# Harness pieces
# ---------------------------------------------------------------------------

@check
def bf16_round_to_nearest_even():
    values = np.array([1.0, 1 + 2**-8, 1 + 3 * 2**-8, -2.5, np.inf, -np.inf, 3.4e38, -0.0, np.nan],
                      dtype=np.float32)
    want = [0x3F80, 0x3F80, 0x3F82, 0xC020, 0x7F80, 0xFF80, 0x7F80, 0x8000, 0x7FC0]
    got = C.bf16_bits(values).tolist()
    back = C.decode(C.encode(values[:4], "bf16"), "bf16")
    return 0.0 if got == want and back.tolist() == [1.0, 1.0, 1 + 2**-6, -2.5] else np.inf


def linear_attention_seconds():
    """Time of a Gated DeltaNet reference at T=4096, H=4, K=V=128."""
    rng = rng_for("speed")
    q, k, v, _ = la_inputs(rng, batch=1, length=4096, hk=4, heads=4, kd=128, vd=128)
    start = time.time()
    R.linear_attention(q, k, v, decay=-np.ones((1, 4096, 4)), beta=np.full((1, 4096, 4), 0.5),
                       qk_l2norm=True)
    return time.time() - start


def main():
    failed = 0
    for fn in CHECKS:
        error = fn()
        ok = error <= 1e-10
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {fn.__name__}: {error:.2e}")
    seconds = linear_attention_seconds()
    slow = seconds > 10
    print(f"{'FAIL' if slow else 'ok  '} linear_attention T=4096 H=4 K=V=128: {seconds:.2f}s")
    failed += slow
    print(f"{len(CHECKS) + 1 - failed} of {len(CHECKS) + 1} reference self-checks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
