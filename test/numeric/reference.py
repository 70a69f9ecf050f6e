"""Float64 numpy reference of every loom op (SPEC.md sections 1-4).

Each function is written from the math in SPEC.md, not from any lowering, so
that a disagreement points at the lowering (or at the contract) rather than
at a shared mistake. Inputs are float64 (or integer) numpy arrays holding the
values the op really sees, i.e. already rounded to the operand's element
type; outputs are float64 arrays, and int32 arrays for indices.

Keyword names match the op's operand and attribute names, and defaults match
SPEC.md's defaults, so a test can call `FUNCTIONS[op](**operands, **attrs)`
with exactly the attributes it wrote into the IR.

Recurrences loop over time with the per-step update vectorized over batch
and heads: linear_attention at T=4096, H=4, K=V=128 takes about a second.

Where SPEC.md leaves a case open, the choice made here is stated in the
function's docstring (topk: NaN and +inf; moe_router: ties between groups
and groups of one expert).
"""
import numpy as np


# ---------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------

def softplus_rule(dt):
    """`dt > 20 ? dt : log1p(exp(dt))`, the threshold of mamba_ssm."""
    return np.where(dt > 20, dt, np.log1p(np.exp(np.minimum(dt, 20))))


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def silu(x):
    return x * sigmoid(x)


def l2norm(x):
    """Divides by `sqrt(sum(x^2) + 1e-6)` over the last axis (qk_l2norm)."""
    return x / np.sqrt(np.sum(x * x, axis=-1, keepdims=True) + 1e-6)


def expand_heads(x, heads, axis=2):
    """Grouped heads: head `h` of the result is head `h // (heads / Hk)` of x."""
    groups = x.shape[axis]
    assert heads % groups == 0, (heads, groups)
    return np.repeat(x, heads // groups, axis=axis)


def softmax(x, axis=-1):
    """Softmax that gives 0 (not NaN) on a row whose entries are all -inf."""
    m = np.max(x, axis=axis, keepdims=True, initial=-np.inf)
    m = np.where(np.isfinite(m), m, 0.0)
    e = np.exp(x - m)
    total = np.sum(e, axis=axis, keepdims=True)
    return e / np.where(total == 0, 1.0, total)


def logsumexp(x, axis=-1):
    m = np.max(x, axis=axis, keepdims=True)
    return np.squeeze(m, axis) + np.log(np.sum(np.exp(x - m), axis=axis))


def sequences(cu_seqlens, batch, length):
    """The (batch row, start, end, state row) of every sequence.

    Without cu_seqlens each batch row is one sequence with its own state
    row; with it (B = 1) sequence i is `[cu[i], cu[i+1])` of row 0 and owns
    state row i.
    """
    if cu_seqlens is None:
        return [(b, 0, length, b) for b in range(batch)]
    cu = np.asarray(cu_seqlens, dtype=np.int64)
    assert batch == 1 and cu[0] == 0 and cu[-1] == length
    assert np.all(np.diff(cu) >= 0)
    return [(0, int(cu[i]), int(cu[i + 1]), i) for i in range(len(cu) - 1)]


# ---------------------------------------------------------------------------
# 1. Recurrent family
# ---------------------------------------------------------------------------

def _linear_attention_scan(q, k, v, g, beta, state, scale, per_key):
    """One run of the recurrence over [Bs, Ts, H, ...] arrays (heads expanded).

    Updates `state` [Bs, H, K, V] in place and returns o [Bs, Ts, H, V].
    """
    out = np.empty(v.shape)
    for t in range(q.shape[1]):
        if g is not None:
            gate = np.exp(g[:, t])
            state *= gate[..., :, None] if per_key else gate[..., None, None]
        kt = k[:, t]
        if beta is not None:
            recalled = np.matmul(kt[..., None, :], state)[..., 0, :]
            state += (beta[:, t, :, None, None] * kt[..., :, None]
                      * (v[:, t] - recalled)[..., None, :])
        else:
            state += kt[..., :, None] * v[:, t][..., None, :]
        out[:, t] = scale * np.matmul(q[:, t][..., None, :], state)[..., 0, :]
    return out


def linear_attention(q, k, v, decay=None, beta=None, initial_state=None,
                     cu_seqlens=None, scale=None, qk_l2norm=False):
    """SPEC 1: returns (o [B,T,H,V], final state [B or N, H, K, V]).

    decay is [B,T,H] (scalar gate) or [B,T,H,K] (per-key gate), log space;
    beta [B,T,H] selects the delta rule; value head h reads q/k head
    h // (H / Hk).
    """
    batch, length, _, key_dim = q.shape
    heads = v.shape[2]
    if scale is None:
        scale = key_dim ** -0.5
    if qk_l2norm:
        q, k = l2norm(q), l2norm(k)
    q, k = expand_heads(q, heads), expand_heads(k, heads)
    per_key = decay is not None and decay.ndim == 4
    segs = sequences(cu_seqlens, batch, length)
    state = np.zeros((len(segs), heads, key_dim, v.shape[3]))
    if initial_state is not None:
        state[:] = initial_state
    out = np.zeros(v.shape)
    if cu_seqlens is None:
        out[:] = _linear_attention_scan(q, k, v, decay, beta, state, scale, per_key)
        return out, state
    for b, lo, hi, s in segs:
        piece = slice(lo, hi)
        out[b:b + 1, piece] = _linear_attention_scan(
            q[b:b + 1, piece], k[b:b + 1, piece], v[b:b + 1, piece],
            None if decay is None else decay[b:b + 1, piece],
            None if beta is None else beta[b:b + 1, piece],
            state[s:s + 1], scale, per_key)
    return out, state


# ---------------------------------------------------------------------------
# 2. Selective scans
# ---------------------------------------------------------------------------

def _gate(y, x, D, z):
    """The `+ D * x` and `* z * sigmoid(z)` epilogue of both scans."""
    if D is not None:
        y = y + D * x
    if z is not None:
        y = y * z * sigmoid(z)
    return y


def selective_scan(u, delta, A, B, C, D=None, z=None, delta_bias=None,
                   initial_state=None, delta_softplus=False):
    """SPEC 2 (Mamba1): returns (y [B,Dc,L], final state [B,Dc,N]).

    Channel c reads group c // (Dc / G) of B and C.
    """
    batch, channels, length = u.shape
    dt = delta if delta_bias is None else delta + delta_bias[None, :, None]
    if delta_softplus:
        dt = softplus_rule(dt)
    Bx, Cx = expand_heads(B, channels, axis=1), expand_heads(C, channels, axis=1)
    h = np.zeros((batch, channels, A.shape[1]))
    if initial_state is not None:
        h[:] = initial_state
    y = np.empty(u.shape)
    for t in range(length):
        h = (np.exp(dt[:, :, t, None] * A) * h
             + (dt[:, :, t] * u[:, :, t])[..., None] * Bx[..., t])
        y[:, :, t] = np.sum(Cx[..., t] * h, axis=-1)
    D = None if D is None else D[None, :, None]
    return _gate(y, u, D, z), h


def ssd(x, dt, A, B, C, D=None, z=None, dt_bias=None, initial_state=None,
        cu_seqlens=None, dt_softplus=False):
    """SPEC 2 (Mamba2): returns (y [B,T,H,P], final state [B or N, H, P, N]).

    Head h reads group h // (H / G) of B and C. Written directly from the
    recurrence (not through linear_attention) so that test_reference.py can
    check SPEC's stated equivalence between the two.
    """
    batch, length, heads, head_dim = x.shape
    dt = dt if dt_bias is None else dt + dt_bias
    if dt_softplus:
        dt = softplus_rule(dt)
    Bx, Cx = expand_heads(B, heads), expand_heads(C, heads)
    segs = sequences(cu_seqlens, batch, length)
    h = np.zeros((len(segs), heads, head_dim, B.shape[3]))
    if initial_state is not None:
        h[:] = initial_state
    y = np.zeros(x.shape)
    for b, lo, hi, s in segs:
        state = h[s]
        for t in range(lo, hi):
            state = (np.exp(dt[b, t] * A)[:, None, None] * state
                     + (dt[b, t][:, None] * x[b, t])[:, :, None] * Bx[b, t][:, None, :])
            y[b, t] = np.matmul(state, Cx[b, t][:, :, None])[..., 0]
        h[s] = state
    return _gate(y, x, None if D is None else D[:, None], z), h


def causal_conv1d(x, w, bias=None, activation="none"):
    """SPEC 2: y[t,c] = act(b[c] + sum_i w[c,i] x[t-W+1+i, c]), x before 0 is 0."""
    length = x.shape[1]
    width = w.shape[1]
    padded = np.pad(x, ((0, 0), (width - 1, 0), (0, 0)))
    y = sum(w[:, i] * padded[:, i:i + length, :] for i in range(width))
    if bias is not None:
        y = y + bias
    assert activation in ("none", "silu"), activation
    return silu(y) if activation == "silu" else y


# ---------------------------------------------------------------------------
# 3. Sparse and dense attention
# ---------------------------------------------------------------------------

def causal_mask(queries, keys):
    """True where key s is hidden from query t: s > t + (S - T)."""
    t = np.arange(queries)[:, None]
    s = np.arange(keys)[None, :]
    return s > t + (keys - queries)


def lightning_indexer(qi, ki, w, causal=False):
    """SPEC 3: I[b,t,s] = sum_h w[b,t,h] relu(<qi[b,t,h], ki[b,s]>)."""
    dots = np.einsum("bthd,bsd->bths", qi, ki)
    scores = np.einsum("bth,bths->bts", w, np.maximum(dots, 0.0))
    if causal:
        scores[:, causal_mask(qi.shape[1], ki.shape[1])] = -np.inf
    return scores


def topk(scores, k):
    """SPEC 3: returns (values [..., k], indices int32 [..., k]).

    Descending, ties to the smaller index. Candidates are the entries that
    are neither NaN nor -inf: a NaN is never selected, exactly like -inf, and
    slots left over hold index -1 and value -inf. (SPEC says "fewer than k
    entries are finite"; it does not say whether +inf counts, and the
    harness never generates +inf. Here +inf would rank first.)
    """
    rows = scores.reshape(-1, scores.shape[-1])
    values = np.full((rows.shape[0], k), -np.inf)
    indices = np.full((rows.shape[0], k), -1, dtype=np.int32)
    for r, row in enumerate(rows):
        candidates = np.flatnonzero(~np.isnan(row) & (row != -np.inf))
        order = candidates[np.argsort(-row[candidates], kind="stable")][:k]
        values[r, :len(order)] = row[order]
        indices[r, :len(order)] = order
    shape = scores.shape[:-1] + (k,)
    return values.reshape(shape), indices.reshape(shape)


def sparse_attention(q, k, v, indices, scale=None):
    """SPEC 3: softmax attention of query (b,t,h) over keys indices[b,t,:].

    Slots with a negative index are skipped (SPEC: the softmax runs over
    slots with idx >= 0); a row with no valid slot gives 0. Repeated indices
    count once per slot.
    """
    batch, _, heads, dim = q.shape
    if scale is None:
        scale = dim ** -0.5
    valid = indices >= 0
    safe = np.where(valid, indices, 0)
    rows = np.arange(batch)[:, None, None]
    keys = expand_heads(k, heads)[rows, safe]      # [B, T, Kt, H, D]
    values = expand_heads(v, heads)[rows, safe]    # [B, T, Kt, H, Dv]
    logits = scale * np.einsum("bthd,btjhd->bthj", q, keys)
    logits = np.where(valid[:, :, None, :], logits, -np.inf)
    return np.einsum("bthj,btjhv->bthv", softmax(logits), values)


def attention(q, k, v, causal=False, scale=None):
    """SPEC 3: dense softmax attention, causal aligned to the last T keys."""
    heads, dim = q.shape[2], q.shape[3]
    if scale is None:
        scale = dim ** -0.5
    keys, values = expand_heads(k, heads), expand_heads(v, heads)
    logits = scale * np.einsum("bthd,bshd->bths", q, keys)
    if causal:
        hidden = causal_mask(q.shape[1], k.shape[1])[None, :, None, :]
        logits = np.where(hidden, -np.inf, logits)
    return np.einsum("bths,bshv->bthv", softmax(logits), values)


# ---------------------------------------------------------------------------
# 4. Mixture of experts
# ---------------------------------------------------------------------------

def router_scores(logits, score="softmax"):
    assert score in ("softmax", "sigmoid"), score
    return softmax(logits) if score == "softmax" else sigmoid(logits)


def router_group_scores(sel, n_group):
    """Per group: the sum of its two largest sel (its one value if it has one)."""
    grouped = sel.reshape(sel.shape[0], n_group, -1)
    top = -np.sort(-grouped, axis=-1)[..., :2]
    return np.sum(top, axis=-1)


def router_selection(logits, bias=None, score="softmax", n_group=1, topk_group=1):
    """The scores s and the selection scores sel with dropped groups at -inf.

    Groups are kept by descending group score; SPEC does not say how ties
    between group scores break, so here (as for experts) the smaller group
    index wins. The harness avoids such ties.
    """
    s = router_scores(logits, score)
    sel = s if bias is None else s + bias
    if n_group > 1:
        kept = np.argsort(-router_group_scores(sel, n_group), axis=-1,
                          kind="stable")[:, :topk_group]
        keep = np.zeros((sel.shape[0], n_group), dtype=bool)
        np.put_along_axis(keep, kept, True, axis=-1)
        sel = np.where(np.repeat(keep, sel.shape[1] // n_group, axis=1), sel, -np.inf)
    return s, sel


def moe_router(logits, bias=None, top_k=None, score="softmax", n_group=1,
               topk_group=1, normalize=False, scaling=1.0):
    """SPEC 4: returns (weights [N,top_k], indices int32 [N,top_k])."""
    s, sel = router_selection(logits, bias, score, n_group, topk_group)
    _, idx = topk(sel, top_k)
    assert np.all(idx >= 0), "top_k exceeds the experts of the kept groups"
    w = np.take_along_axis(s, idx.astype(np.int64), axis=-1)
    if normalize:
        w = w / (np.sum(w, axis=-1, keepdims=True) + 1e-20)
    return w * scaling, idx


def moe_aux_loss(logits, indices, alpha=0.01):
    """SPEC 4: alpha * sum_e (E count_e / (N k)) * mean_n softmax(logits)[n,e]."""
    tokens, experts = logits.shape
    mean_prob = np.mean(softmax(logits), axis=0)
    counts = np.bincount(indices.ravel(), minlength=experts)
    f = experts * counts / (tokens * indices.shape[1])
    return np.asarray(alpha * np.sum(f * mean_prob))


def router_z_loss(logits):
    """SPEC 4: mean_n logsumexp(logits_n)^2."""
    return np.asarray(np.mean(logsumexp(logits) ** 2))


def moe_dispatch(x, indices, num_experts):
    """SPEC 4: returns (xs [N*k,Dm], perm int32 [N*k], offsets int32 [E+1])."""
    k = indices.shape[1]
    flat = indices.ravel()
    assert np.all((flat >= 0) & (flat < num_experts))
    perm = np.argsort(flat, kind="stable")
    counts = np.bincount(flat, minlength=num_experts)
    offsets = np.concatenate([[0], np.cumsum(counts)])
    return x[perm // k], perm.astype(np.int32), offsets.astype(np.int32)


def grouped_matmul(xs, w, offsets, activation="none"):
    """SPEC 4: rows [offs[e], offs[e+1]) multiply w[e]; swiglu = silu(a) * b.

    Rows outside [offs[0], offs[E]) belong to no expert; SPEC leaves them
    open and the harness never generates them (they are 0 here).
    """
    out = np.zeros((xs.shape[0], w.shape[2]))
    for e in range(w.shape[0]):
        lo, hi = int(offsets[e]), int(offsets[e + 1])
        out[lo:hi] = xs[lo:hi] @ w[e]
    assert activation in ("none", "swiglu"), activation
    if activation == "swiglu":
        half = w.shape[2] // 2
        out = silu(out[:, :half]) * out[:, half:]
    return out


def moe_combine(ys, permutation, weights):
    """SPEC 4: out[n] = sum_j w[n,j] ys[r(n,j)] where perm[r(n,j)] = n*k+j."""
    tokens, k = weights.shape
    row_of_slot = np.empty(len(permutation), dtype=np.int64)
    row_of_slot[permutation] = np.arange(len(permutation))
    gathered = ys[row_of_slot].reshape(tokens, k, ys.shape[1])
    return np.einsum("nk,nkd->nd", weights, gathered)


# Algorithm-level ops that --loom-fuse produces: their math is the chain
# they replace.

def indexer_topk(qi, ki, w, k, causal=False):
    """topk(lightning_indexer(qi, ki, w)) without the scores in between."""
    return topk(lightning_indexer(qi, ki, w, causal=causal), k)


def gathered_matmul(x, w, offsets, permutation, top_k, activation="none"):
    """grouped_matmul over the rows x[perm[r] // top_k] (dispatch's order)."""
    rows = np.asarray(permutation, dtype=np.int64) // top_k
    return grouped_matmul(x[rows], w, offsets, activation)


def grouped_matmul_combine(h, w, offsets, permutation, weights):
    """moe_combine(grouped_matmul(h, w, offsets), perm, weights)."""
    return moe_combine(grouped_matmul(h, w, offsets), permutation, weights)


FUNCTIONS = {
    "grouped_matmul_combine": grouped_matmul_combine,
    "indexer_topk": indexer_topk,
    "gathered_matmul": gathered_matmul,
    "linear_attention": linear_attention,
    "selective_scan": selective_scan,
    "ssd": ssd,
    "causal_conv1d": causal_conv1d,
    "lightning_indexer": lightning_indexer,
    "topk": topk,
    "sparse_attention": sparse_attention,
    "attention": attention,
    "moe_router": moe_router,
    "moe_aux_loss": moe_aux_loss,
    "router_z_loss": router_z_loss,
    "moe_dispatch": moe_dispatch,
    "grouped_matmul": grouped_matmul,
    "moe_combine": moe_combine,
}
