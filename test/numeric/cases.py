"""Random configurations of every loom op, as MLIR plus .npy inputs.

A generator draws one configuration of its op (element types, shapes,
which optional operands and attributes are present, which of B/T/S/N are
dynamic) and the operand values, and returns a `Case`. The case knows how to
print itself as a `@main` function in the syntax of SPEC.md, how to encode
its operands as the .npy files loom-run reads, and how to compute the
float64 reference from exactly the values those files hold.

Inputs are scaled so that every output stays well inside f16 range and the
recurrences stay stable; "stress" cases add strong decays (-30) and dt past
the softplus threshold (20). Ops whose outputs are indices (topk,
moe_router) are given inputs without near-ties, so the comparison of indices
can be exact.
"""
import numpy as np

import reference as R

FLOAT_TYPES = ("f32", "f16", "bf16")
NPY_DTYPE = {"f32": "<f4", "f16": "<f2", "bf16": "<u2", "i32": "<i4", "i64": "<i8"}
LENGTHS = (1, 2, 7, 16, 33, 64, 100)


# ---------------------------------------------------------------------------
# Element types
# ---------------------------------------------------------------------------

def bf16_bits(values):
    """float32 -> bf16 bit patterns (uint16), rounding to nearest even."""
    bits = np.asarray(values, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    rounded = np.where(np.isnan(values), 0x7FC0, rounded)
    return rounded.astype(np.uint16)


def encode(values, elem):
    """The array written to the .npy file of an operand of element type elem."""
    if elem == "bf16":
        return bf16_bits(np.asarray(values, dtype=np.float32)).astype("<u2")
    return np.asarray(values).astype(NPY_DTYPE[elem])


def decode(array, elem):
    """The values an .npy array of element type elem holds, as float64 / int64."""
    if elem == "bf16":
        return (np.asarray(array, dtype=np.uint32) << 16).view(np.float32).astype(np.float64)
    if elem in ("i32", "i64"):
        return np.asarray(array, dtype=np.int64)
    return np.asarray(array, dtype=np.float64)


def quantize(values, elem):
    """values rounded to elem and back to float64 (idempotent)."""
    return decode(encode(values, elem), elem)


def f32(value):
    """A real attribute value as the f32 the op will hold."""
    return float(np.float32(value))


# ---------------------------------------------------------------------------
# Case
# ---------------------------------------------------------------------------

class Operand:
    def __init__(self, name, keyword, values, elem, dims):
        self.name, self.keyword, self.elem, self.dims = name, keyword, elem, dims
        self.array = encode(values, elem)


class Case:
    """One configuration of an op: operands, attributes, result types.

    Shapes are written as tuples of symbols (keys of `sizes`) or integers;
    a symbol in `dynamic` prints as `?`. `data_type` is the element type of
    the op's main data input, which sets the tolerance.
    """

    def __init__(self, op, data_type, sizes, dynamic=()):
        self.op, self.data_type = op, data_type
        self.sizes, self.dynamic = dict(sizes), set(dynamic)
        self.operands, self.results, self.attrs, self.notes = [], [], {}, []

    def add(self, name, values, elem, dims, keyword=None):
        """Appends an operand; keyword-introduced ones must come in ODS order."""
        operand = Operand(name, keyword, values, elem, dims)
        expected = tuple(self.size(d) for d in dims)
        assert operand.array.shape == expected, (name, operand.array.shape, expected)
        self.operands.append(operand)

    def result(self, elem, dims):
        self.results.append((elem, dims))

    def note(self, text):
        self.notes.append(text)

    def size(self, dim):
        return dim if isinstance(dim, int) else self.sizes[dim]

    def type(self, elem, dims):
        parts = ["?" if d in self.dynamic else str(self.size(d)) for d in dims]
        return "tensor<" + "x".join(parts + [elem]) + ">"

    def summary(self):
        dyn = sorted(d for d in self.dynamic if d.isalnum())
        text = " ".join([self.op, self.data_type] + self.notes)
        return text + (" dyn=" + ",".join(dyn) if dyn else " static")

    def mlir(self):
        arg_types = [self.type(o.elem, o.dims) for o in self.operands]
        res_types = [self.type(e, d) for e, d in self.results]
        names = [f"%r{i}" for i in range(len(self.results))]
        uses = ", ".join(f"%a{i}" for i, o in enumerate(self.operands) if o.keyword is None)
        uses += "".join(f" {o.keyword} %a{i}" for i, o in enumerate(self.operands)
                        if o.keyword is not None)
        attrs = ", ".join(format_attr(k, v) for k, v in self.attrs.items())
        attrs = f" {{{attrs}}}" if attrs else ""
        res = res_types[0] if len(res_types) == 1 else "(" + ", ".join(res_types) + ")"
        args = ", ".join(f"%a{i}: {t}" for i, t in enumerate(arg_types))
        return (f"func.func @main({args}) -> {res} {{\n"
                f"  {', '.join(names)} = loom.{self.op} {uses}{attrs}"
                f" : ({', '.join(arg_types)}) -> {res}\n"
                f"  return {', '.join(names)} : {', '.join(res_types)}\n"
                f"}}\n")

    def reference(self, perturb=None):
        """The float64 reference outputs, from the values the .npy files hold.

        With a generator `perturb`, every float input is first scaled by
        1 + u r, r uniform in [-1, 1], u = 2^-24 the unit roundoff of f32.
        """
        operands = {}
        for o in self.operands:
            values = decode(o.array, o.elem)
            if perturb is not None and o.elem in FLOAT_TYPES:
                values = values * (1 + 2.0**-24 * perturb.uniform(-1, 1, values.shape))
            operands[o.name] = values
        out = R.FUNCTIONS[self.op](**operands, **self.attrs)
        return list(out) if isinstance(out, tuple) else [out]

    def sensitivity(self, index, trials=3):
        """How far result `index` moves (norm-wise, relative) when the float
        inputs move by f32's unit roundoff: the largest of `trials` draws.

        At best an f32 computation is exact for inputs perturbed by a few
        unit roundoffs, so on an ill-conditioned result (a small difference
        of large terms, e.g. one output that is a cancelling dot product) its
        error is a multiple of this, whatever the tolerance.
        """
        base = self.reference()[index]
        finite = np.isfinite(base)
        perturb = np.random.default_rng(0)
        return max(relative_error(self.reference(perturb)[index][finite], base[finite])
                   for _ in range(trials))


def relative_error(got, want):
    """||got - want|| / max(||want||, 1e-30)."""
    return np.linalg.norm(got - want) / max(np.linalg.norm(want), 1e-30)


def format_attr(name, value):
    if value is True:
        return name
    if isinstance(value, str):
        return f'{name} = "{value}"'
    if isinstance(value, int):
        return f"{name} = {value}"
    if isinstance(value, float):
        return f"{name} = {value:.9e} : f32"
    raise TypeError(f"attribute {name}: {value!r}")


# ---------------------------------------------------------------------------
# Random helpers
# ---------------------------------------------------------------------------

def pick(rng, choices):
    return choices[int(rng.integers(len(choices)))]


def coin(rng, p=0.5):
    return bool(rng.random() < p)


def pick_length(rng):
    """A sequence length (T, L, or queries): odd sizes, and now and then 0."""
    return 0 if coin(rng, 0.04) else pick(rng, LENGTHS)


def choose_dynamic(rng, symbols):
    """All static, all dynamic, or a random mix, each a third of the time."""
    mode = int(rng.integers(3))
    if mode == 0:
        return set()
    if mode == 1:
        return set(symbols)
    return {s for s in symbols if coin(rng)}


def cu_seqlens(rng, total, count):
    """[count+1] boundaries from 0 to total, often with empty sequences."""
    cuts = np.sort(rng.integers(0, total + 1, size=count - 1))
    if count > 1 and coin(rng):
        cuts[int(rng.integers(count - 1))] = pick(rng, [0, total, int(cuts[0])])
        cuts = np.sort(cuts)
    return np.concatenate([[0], cuts, [total]])


def log_decay(rng, shape, stress):
    """Log-space gates in [-1, -1e-3), plus -30, -1e4 and 0 entries under
    stress (a -1e4 decay wipes the state; nothing may turn NaN)."""
    g = -np.exp(rng.uniform(np.log(1e-3), 0.0, size=shape))
    if stress:
        g = np.where(rng.random(shape) < 0.05, -30.0, g)
        g = np.where(rng.random(shape) < 0.02, -1e4, g)
        g = np.where(rng.random(shape) < 0.05, 0.0, g)
    return g


def maybe_scale(case, rng):
    """Leaves `scale` at its default half the time."""
    if coin(rng):
        case.attrs["scale"] = f32(pick(rng, [0.25, 0.1, 1.0, 0.3]))


def add_varlen(case, rng, symbol, count):
    """cu_seqlens over T with `count` sequences; `symbol` counts them."""
    cu = cu_seqlens(rng, case.sizes["T"], count)
    elem = pick(rng, ["i32", "i64"])
    case.sizes[symbol + "+1"] = count + 1
    if symbol in case.dynamic:
        case.dynamic.add(symbol + "+1")
    case.note(f"cu={'/'.join(str(int(c)) for c in cu)}({elem})")
    return cu, elem


def dt_values(rng, shape, softplus, stress):
    """Raw dt / delta: softplus(raw + bias) or raw itself lands in (0, ~0.3).

    Under stress some entries sit just below and past the threshold 20.
    """
    if softplus:
        dt = rng.normal(-2.5, 1.0, size=shape)
    else:
        dt = rng.uniform(1e-3, 0.3, size=shape)
    if stress:
        dt = np.where(rng.random(shape) < 0.03, 25.0, dt)
        dt = np.where(rng.random(shape) < 0.03, 19.9, dt)
    return dt


# ---------------------------------------------------------------------------
# 1. Recurrent family
# ---------------------------------------------------------------------------

def gen_linear_attention(rng, large):
    dtype = pick(rng, FLOAT_TYPES)
    varlen, stress = coin(rng, 0.35), coin(rng, 0.25)
    if large:
        hk, heads, kd, vd, length, batch = pick(rng, [2, 4]), 4, 128, 128, 4096, 1
    else:
        hk = pick(rng, [1, 2])
        heads = hk * pick(rng, [1, 2, 3])
        kd, vd = pick(rng, [4, 8, 16, 32]), pick(rng, [4, 8, 16, 32])
        length, batch = pick_length(rng), pick(rng, [1, 2, 3])
    nseq = pick(rng, [1, 2, 3, 5]) if varlen else batch
    if varlen:
        batch = 1
    sizes = dict(B=batch, T=length, Hk=hk, H=heads, K=kd, V=vd, N=nseq)
    case = Case("linear_attention", dtype, sizes,
                choose_dynamic(rng, ["B", "T"] + (["N"] if varlen else [])))
    decay = pick(rng, ["none", "scalar", "per-key"])
    has_beta, has_state, l2 = coin(rng), coin(rng), coin(rng)
    case.note(f"B={batch} T={length} Hk={hk} H={heads} K={kd} V={vd} decay={decay}")

    q = rng.normal(size=(batch, length, hk, kd))
    k = rng.normal(size=(batch, length, hk, kd))
    if not l2:
        q = q / np.sqrt(kd)
        if has_beta:
            # The delta rule is stable while beta * |k|^2 < 2.
            k = R.l2norm(k) * rng.uniform(0.7, 1.2, size=(batch, length, hk, 1))
        else:
            k = k / np.sqrt(kd)
    if stress:
        # Large-norm queries, and keys too where qk_l2norm normalizes them
        # (unnormalized large keys make the delta rule itself diverge).
        q = q * 100.0
        if l2:
            k = k * 100.0
    case.add("q", q, dtype, ("B", "T", "Hk", "K"))
    case.add("k", k, dtype, ("B", "T", "Hk", "K"))
    case.add("v", rng.normal(size=(batch, length, heads, vd)), dtype, ("B", "T", "H", "V"))
    if decay != "none":
        dims = ("B", "T", "H") + (("K",) if decay == "per-key" else ())
        case.add("decay", log_decay(rng, tuple(sizes[d] for d in dims), stress),
                 "f32", dims, "decay")
    if has_beta:
        beta = R.sigmoid(rng.normal(size=(batch, length, heads)))
        if stress:
            # The extremes of the delta rule: no write, and full overwrite.
            pick_extreme = rng.random(beta.shape)
            beta = np.where(pick_extreme < 0.2, 0.0, np.where(pick_extreme > 0.8, 1.0, beta))
        case.add("beta", beta, "f32", ("B", "T", "H"), "beta")
        case.note("beta")
    lead = "N" if varlen else "B"
    if has_state:
        case.add("initial_state", 0.5 * rng.normal(size=(nseq, heads, kd, vd)), "f32",
                 (lead, "H", "K", "V"), "initial_state")
        case.note("initial_state")
    if varlen:
        cu, elem = add_varlen(case, rng, "N", nseq)
        case.add("cu_seqlens", cu, elem, ("N+1",), "cu_seqlens")
    if l2:
        case.attrs["qk_l2norm"] = True
    maybe_scale(case, rng)
    if stress:
        case.note("stress")
    case.result(dtype, ("B", "T", "H", "V"))
    case.result("f32", (lead, "H", "K", "V"))
    return case


# ---------------------------------------------------------------------------
# 2. Selective scans
# ---------------------------------------------------------------------------

def bc_types(rng, dtype):
    """B and C are any float type; usually the data type, sometimes not."""
    if coin(rng, 0.8):
        return dtype, dtype
    return pick(rng, FLOAT_TYPES), pick(rng, FLOAT_TYPES)


def gen_selective_scan(rng, large):
    dtype = pick(rng, FLOAT_TYPES)
    delta_type = pick(rng, [dtype, "f32"])
    b_type, c_type = bc_types(rng, dtype)
    stress, softplus = coin(rng, 0.25), coin(rng)
    if large:
        batch, groups, channels, nstate, length = 1, pick(rng, [1, 2]), 256, 16, 4096
    else:
        groups = pick(rng, [1, 2, 4])
        channels = groups * pick(rng, [1, 2, 3])
        batch, nstate, length = pick(rng, [1, 2]), pick(rng, [1, 4, 8, 16]), pick_length(rng)
    sizes = dict(B=batch, Dc=channels, N=nstate, L=length, G=groups)
    case = Case("selective_scan", dtype, sizes, choose_dynamic(rng, ["B", "L"]))
    case.note(f"B={batch} Dc={channels} G={groups} N={nstate} L={length}"
              f" delta:{delta_type} B:{b_type} C:{c_type}")
    has_bias = coin(rng)
    delta = dt_values(rng, (batch, channels, length), softplus, stress)
    case.add("u", rng.normal(size=(batch, channels, length)), dtype, ("B", "Dc", "L"))
    case.add("delta", delta, delta_type, ("B", "Dc", "L"))
    case.add("A", -np.exp(rng.uniform(np.log(0.5), np.log(16), size=(channels, nstate))),
             "f32", ("Dc", "N"))
    case.add("B", rng.normal(size=(batch, groups, nstate, length)), b_type, ("B", "G", "N", "L"))
    case.add("C", rng.normal(size=(batch, groups, nstate, length)), c_type, ("B", "G", "N", "L"))
    if coin(rng):
        case.add("D", rng.normal(size=channels), "f32", ("Dc",), "D")
        case.note("D")
    if coin(rng):
        case.add("z", rng.normal(size=(batch, channels, length)), dtype, ("B", "Dc", "L"), "z")
        case.note("z")
    if has_bias:
        bias = rng.uniform(-1.0, 1.0, size=channels) if softplus else rng.uniform(0, 0.05, size=channels)
        case.add("delta_bias", bias, "f32", ("Dc",), "delta_bias")
        case.note("delta_bias")
    if coin(rng):
        case.add("initial_state", 0.5 * rng.normal(size=(batch, channels, nstate)), "f32",
                 ("B", "Dc", "N"), "initial_state")
        case.note("initial_state")
    if softplus:
        case.attrs["delta_softplus"] = True
    if stress:
        case.note("stress")
    case.result(dtype, ("B", "Dc", "L"))
    case.result("f32", ("B", "Dc", "N"))
    return case


def gen_ssd(rng, large):
    dtype = pick(rng, FLOAT_TYPES)
    b_type, c_type = bc_types(rng, dtype)
    varlen, stress, softplus = coin(rng, 0.35), coin(rng, 0.25), coin(rng)
    if large:
        batch, length, groups, heads, pdim, nstate = 1, 2048, pick(rng, [1, 2]), 8, 64, 64
    else:
        groups = pick(rng, [1, 2])
        heads = groups * pick(rng, [1, 2, 3])
        pdim, nstate = pick(rng, [4, 8, 16]), pick(rng, [4, 8, 16])
        batch, length = pick(rng, [1, 2]), pick_length(rng)
    nseq = pick(rng, [1, 2, 3, 5]) if varlen else batch
    if varlen:
        batch = 1
    sizes = dict(B=batch, T=length, H=heads, P=pdim, G=groups, N=nstate, Nseq=nseq)
    case = Case("ssd", dtype, sizes,
                choose_dynamic(rng, ["B", "T"] + (["Nseq"] if varlen else [])))
    case.note(f"B={batch} T={length} H={heads} G={groups} P={pdim} N={nstate}"
              f" B:{b_type} C:{c_type}")
    case.add("x", rng.normal(size=(batch, length, heads, pdim)), dtype, ("B", "T", "H", "P"))
    case.add("dt", dt_values(rng, (batch, length, heads), softplus, stress), "f32",
             ("B", "T", "H"))
    case.add("A", -np.exp(rng.uniform(np.log(0.5), np.log(8), size=heads)), "f32", ("H",))
    case.add("B", rng.normal(size=(batch, length, groups, nstate)), b_type, ("B", "T", "G", "N"))
    case.add("C", rng.normal(size=(batch, length, groups, nstate)), c_type, ("B", "T", "G", "N"))
    if coin(rng):
        case.add("D", rng.normal(size=heads), "f32", ("H",), "D")
        case.note("D")
    if coin(rng):
        case.add("z", rng.normal(size=(batch, length, heads, pdim)), dtype,
                 ("B", "T", "H", "P"), "z")
        case.note("z")
    if coin(rng):
        bias = rng.uniform(-1.0, 1.0, size=heads) if softplus else rng.uniform(0, 0.05, size=heads)
        case.add("dt_bias", bias, "f32", ("H",), "dt_bias")
        case.note("dt_bias")
    lead = "Nseq" if varlen else "B"
    if coin(rng):
        case.add("initial_state", 0.5 * rng.normal(size=(nseq, heads, pdim, nstate)), "f32",
                 (lead, "H", "P", "N"), "initial_state")
        case.note("initial_state")
    if varlen:
        cu, elem = add_varlen(case, rng, "Nseq", nseq)
        case.add("cu_seqlens", cu, elem, ("Nseq+1",), "cu_seqlens")
    if softplus:
        case.attrs["dt_softplus"] = True
    if stress:
        case.note("stress")
    case.result(dtype, ("B", "T", "H", "P"))
    case.result("f32", (lead, "H", "P", "N"))
    return case


def gen_causal_conv1d(rng, large):
    dtype = pick(rng, FLOAT_TYPES)
    if large:
        batch, length, channels, width = 2, 4096, 512, 4
    else:
        batch, length = pick(rng, [1, 2, 3]), pick_length(rng)
        channels, width = pick(rng, [1, 3, 8, 64]), pick(rng, [1, 2, 3, 4])
    case = Case("causal_conv1d", dtype, dict(B=batch, T=length, C=channels, W=width),
                choose_dynamic(rng, ["B", "T"]))
    case.note(f"B={batch} T={length} C={channels} W={width}")
    case.add("x", rng.normal(size=(batch, length, channels)), dtype, ("B", "T", "C"))
    case.add("w", 0.5 * rng.normal(size=(channels, width)), "f32", ("C", "W"))
    if coin(rng):
        case.add("bias", 0.1 * rng.normal(size=channels), "f32", ("C",), "bias")
        case.note("bias")
    activation = pick(rng, [None, "none", "silu"])
    if activation is not None:
        case.attrs["activation"] = activation
    case.note(f"activation={activation or 'default'}")
    case.result(dtype, ("B", "T", "C"))
    return case


# ---------------------------------------------------------------------------
# 3. Sparse and dense attention
# ---------------------------------------------------------------------------

def causal_lengths(rng, causal):
    """(T, S) with S >= 1; with causal the T queries are the last T of S keys,
    so T <= S."""
    queries = pick_length(rng)
    if causal:
        return queries, max(1, queries + pick(rng, [0, 0, 1, 5, 30]))
    return queries, pick(rng, LENGTHS)


def gen_lightning_indexer(rng, large):
    dtype, causal = pick(rng, FLOAT_TYPES), coin(rng)
    batch = pick(rng, [1, 2])
    queries, keys = causal_lengths(rng, causal)
    hi, di = pick(rng, [1, 4, 8]), pick(rng, [8, 16, 32, 64])
    case = Case("lightning_indexer", dtype, dict(B=batch, T=queries, S=keys, Hi=hi, Di=di),
                choose_dynamic(rng, ["B", "T", "S"]))
    case.note(f"B={batch} T={queries} S={keys} Hi={hi} Di={di}")
    case.add("qi", rng.normal(size=(batch, queries, hi, di)) / di ** 0.25, dtype,
             ("B", "T", "Hi", "Di"))
    case.add("ki", rng.normal(size=(batch, keys, di)) / di ** 0.25, dtype, ("B", "S", "Di"))
    case.add("w", rng.normal(size=(batch, queries, hi)), "f32", ("B", "T", "Hi"))
    if causal:
        case.attrs["causal"] = True
        case.note("causal")
    case.result("f32", ("B", "T", "S"))
    return case


def gen_topk(rng, large):
    rank = pick(rng, [1, 2, 3])
    lead = [pick(rng, [1, 2, 5]) for _ in range(rank - 1)]
    length = pick(rng, [1, 7, 33, 100, 300])
    k = max(1, pick(rng, [1, 2, 8, length - 1, length, length + 5]))
    shape = tuple(lead) + (length,)
    symbols = tuple(f"D{i}" for i in range(rank - 1))
    sizes = dict(zip(symbols, lead), S=length, k=k)
    case = Case("topk", "f32", sizes, choose_dynamic(rng, list(symbols) + ["S"]))
    case.note(f"shape={'x'.join(map(str, shape))} k={k}")
    if coin(rng):
        # Few distinct values: many exact ties, broken towards the smaller index.
        scores = rng.integers(-4, 5, size=shape).astype(np.float64)
        case.note("ties")
    else:
        scores = rng.normal(size=shape)
    if coin(rng):
        scores = np.where(rng.random(shape) < rng.uniform(0.2, 1.0), -np.inf, scores)
        case.note("-inf")
    if coin(rng, 0.3):
        scores = np.where(rng.random(shape) < 0.1, np.nan, scores)
        case.note("nan")
    case.add("scores", scores, "f32", symbols + ("S",))
    case.attrs["k"] = k
    case.result("f32", symbols + ("k",))
    case.result("i32", symbols + ("k",))
    return case


def sparse_indices(rng, shape, keys):
    """Key indices per query row; some slots (or whole rows) invalid (< 0)."""
    batch, queries, slots = shape
    if coin(rng):
        idx = rng.integers(0, keys, size=shape)
    else:
        # Distinct keys per row, as topk gives, padded with -1 past S.
        idx = np.full(shape, -1)
        for b in range(batch):
            for t in range(queries):
                chosen = rng.permutation(keys)[:slots]
                idx[b, t, :len(chosen)] = chosen
    invalid = rng.random(shape) < rng.uniform(0.0, 0.5)
    invalid |= (rng.random((batch, queries, 1)) < 0.1)
    fill = -1 if coin(rng, 0.8) else pick(rng, [-2, -1000, -2**31])
    return np.where(invalid, fill, idx)


def gen_sparse_attention(rng, large):
    dtype = pick(rng, FLOAT_TYPES)
    batch, queries, keys = pick(rng, [1, 2]), pick_length(rng), pick(rng, [1, 7, 33, 100])
    hkv = pick(rng, [1, 2])
    heads, dim, vdim = hkv * pick(rng, [1, 2, 4]), pick(rng, [8, 16, 32, 64]), pick(rng, [8, 16, 32])
    slots = pick(rng, [1, 4, 16, 64, keys + 3])
    case = Case("sparse_attention", dtype,
                dict(B=batch, T=queries, S=keys, H=heads, Hkv=hkv, D=dim, Dv=vdim, Kt=slots),
                choose_dynamic(rng, ["B", "T", "S", "Kt"]))
    case.note(f"B={batch} T={queries} S={keys} H={heads} Hkv={hkv} D={dim} Dv={vdim} Kt={slots}")
    case.add("q", rng.normal(size=(batch, queries, heads, dim)), dtype, ("B", "T", "H", "D"))
    case.add("k", rng.normal(size=(batch, keys, hkv, dim)), dtype, ("B", "S", "Hkv", "D"))
    case.add("v", rng.normal(size=(batch, keys, hkv, vdim)), dtype, ("B", "S", "Hkv", "Dv"))
    case.add("indices", sparse_indices(rng, (batch, queries, slots), keys), "i32",
             ("B", "T", "Kt"))
    maybe_scale(case, rng)
    case.result(dtype, ("B", "T", "H", "Dv"))
    return case


def gen_attention(rng, large):
    dtype, causal = pick(rng, FLOAT_TYPES), coin(rng)
    batch = pick(rng, [1, 2])
    queries, keys = causal_lengths(rng, causal)
    hkv = pick(rng, [1, 2])
    heads, dim, vdim = hkv * pick(rng, [1, 2, 4]), pick(rng, [8, 16, 32, 64]), pick(rng, [8, 16, 32])
    case = Case("attention", dtype,
                dict(B=batch, T=queries, S=keys, H=heads, Hkv=hkv, D=dim, Dv=vdim),
                choose_dynamic(rng, ["B", "T", "S"]))
    case.note(f"B={batch} T={queries} S={keys} H={heads} Hkv={hkv} D={dim} Dv={vdim}")
    case.add("q", rng.normal(size=(batch, queries, heads, dim)), dtype, ("B", "T", "H", "D"))
    case.add("k", rng.normal(size=(batch, keys, hkv, dim)), dtype, ("B", "S", "Hkv", "D"))
    case.add("v", rng.normal(size=(batch, keys, hkv, vdim)), dtype, ("B", "S", "Hkv", "Dv"))
    if causal:
        case.attrs["causal"] = True
        case.note("causal")
    maybe_scale(case, rng)
    case.result(dtype, ("B", "T", "H", "Dv"))
    return case


# ---------------------------------------------------------------------------
# 4. Mixture of experts
# ---------------------------------------------------------------------------

ROUTER_MARGIN = 1e-4


def router_margin(logits, bias, attrs):
    """The smallest score gap that decides the router's output indices.

    That is the gap at the group cut (if groups are used) and every gap
    among the top_k + 1 largest selection scores of the kept experts. The
    lowering computes these scores in f32, so a gap well above f32 rounding
    keeps its indices equal to the float64 reference's.
    """
    score, n_group = attrs.get("score", "softmax"), attrs.get("n_group", 1)
    topk_group, top_k = attrs.get("topk_group", 1), attrs["top_k"]
    s, sel = R.router_selection(logits, bias, score, n_group, topk_group)
    gaps = [np.inf]
    if 1 < n_group and topk_group < n_group:
        raw = s if bias is None else s + bias
        groups = -np.sort(-R.router_group_scores(raw, n_group), axis=-1)
        gaps.append(np.min(groups[:, topk_group - 1] - groups[:, topk_group]))
    top = -np.sort(-sel, axis=-1)[:, :top_k + 1]
    with np.errstate(invalid="ignore"):
        diffs = top[:, :-1] - top[:, 1:]
    gaps.append(np.min(np.where(np.isnan(diffs), np.inf, diffs), initial=np.inf))
    return min(gaps)


def router_logits(rng, tokens, experts, dtype, bias, attrs):
    """Distinct, well-separated logits, resampled row by row until every
    deciding gap (see router_margin) exceeds ROUTER_MARGIN."""
    step = 0.1 if experts <= 64 else 0.05
    rows = []
    for _ in range(tokens):
        for _ in range(1000):
            row = (rng.permutation(experts) - (experts - 1) / 2 + rng.uniform(-0.2, 0.2, experts))
            row = quantize(row * step * pick(rng, [0.5, 1.0, 2.0]), dtype)
            if router_margin(row[None], bias, attrs) > ROUTER_MARGIN:
                rows.append(row)
                break
        else:
            raise RuntimeError("no router logits without near-ties")
    return np.stack(rows)


def gen_moe_router(rng, large):
    dtype = pick(rng, FLOAT_TYPES)
    experts, tokens = pick(rng, [4, 8, 16, 64, 256]), pick(rng, [1, 7, 33])
    case = Case("moe_router", dtype, dict(N=tokens, E=experts), choose_dynamic(rng, ["N"]))
    attrs = {}
    score = pick(rng, [None, "softmax", "sigmoid"])
    n_group = pick(rng, [d for d in (1, 2, 4, 8) if experts % d == 0])
    topk_group = int(rng.integers(1, n_group + 1))
    top_k = int(rng.integers(1, min(8, topk_group * experts // n_group) + 1))
    attrs["top_k"] = top_k
    if score is not None:
        attrs["score"] = score
    if n_group > 1 or coin(rng):
        attrs["n_group"], attrs["topk_group"] = n_group, topk_group
    if coin(rng):
        attrs["normalize"] = True
    if coin(rng):
        attrs["scaling"] = f32(pick(rng, [1.0, 2.5, 0.5]))
    case.sizes["top_k"] = top_k
    bias = 0.1 * rng.normal(size=experts) if coin(rng) else None
    bias = None if bias is None else quantize(bias, "f32")
    case.add("logits", router_logits(rng, tokens, experts, dtype, bias, attrs), dtype, ("N", "E"))
    if bias is not None:
        case.add("bias", bias, "f32", ("E",), "bias")
    case.attrs.update(attrs)
    case.note(f"N={tokens} E={experts} top_k={top_k} score={score or 'default'}"
              f" groups={n_group}/{topk_group}" + (" bias" if bias is not None else "")
              + (" normalize" if "normalize" in attrs else "")
              + (f" scaling={attrs['scaling']:g}" if "scaling" in attrs else ""))
    case.result("f32", ("N", "top_k"))
    case.result("i32", ("N", "top_k"))
    return case


def expert_indices(rng, tokens, k, experts):
    """[N,k] expert ids: distinct per token (as a router gives) or not, and
    sometimes drawn from a few experts only, so that some experts are empty."""
    pool = np.arange(experts) if coin(rng) else rng.permutation(experts)[:max(k, experts // 3)]
    if coin(rng):
        return np.stack([rng.permutation(pool)[:k] for _ in range(tokens)])
    return rng.choice(pool, size=(tokens, k))


def gen_moe_aux_loss(rng, large):
    dtype = pick(rng, FLOAT_TYPES)
    experts, tokens = pick(rng, [4, 8, 64]), pick(rng, [1, 7, 33, 100])
    k = int(rng.integers(1, min(experts, 8) + 1))
    case = Case("moe_aux_loss", dtype, dict(N=tokens, E=experts, k=k), choose_dynamic(rng, ["N"]))
    case.add("logits", 2.0 * rng.normal(size=(tokens, experts)), dtype, ("N", "E"))
    case.add("indices", expert_indices(rng, tokens, k, experts), "i32", ("N", "k"))
    if coin(rng):
        case.attrs["alpha"] = f32(pick(rng, [1e-3, 0.01, 1.0]))
    alpha = f"{case.attrs['alpha']:.3g}" if "alpha" in case.attrs else "default"
    case.note(f"N={tokens} E={experts} k={k} alpha={alpha}")
    case.result("f32", ())
    return case


def gen_router_z_loss(rng, large):
    dtype = pick(rng, FLOAT_TYPES)
    experts, tokens = pick(rng, [4, 8, 64]), pick(rng, [1, 7, 33, 100])
    case = Case("router_z_loss", dtype, dict(N=tokens, E=experts), choose_dynamic(rng, ["N"]))
    case.add("logits", 2.0 * rng.normal(size=(tokens, experts)), dtype, ("N", "E"))
    case.note(f"N={tokens} E={experts}")
    case.result("f32", ())
    return case


def gen_moe_dispatch(rng, large):
    dtype = pick(rng, FLOAT_TYPES)
    tokens, experts, model = pick(rng, [1, 7, 33]), pick(rng, [1, 3, 8, 16]), pick(rng, [4, 16, 64])
    k = pick(rng, [k for k in (1, 2, 4) if k <= experts])
    case = Case("moe_dispatch", dtype,
                {"N": tokens, "k": k, "Dm": model, "N*k": tokens * k, "E+1": experts + 1},
                choose_dynamic(rng, ["N"]))
    if "N" in case.dynamic:
        case.dynamic.add("N*k")
    case.note(f"N={tokens} k={k} E={experts} Dm={model}")
    case.add("x", rng.normal(size=(tokens, model)), dtype, ("N", "Dm"))
    case.add("indices", expert_indices(rng, tokens, k, experts), "i32", ("N", "k"))
    case.attrs["num_experts"] = experts
    case.result(dtype, ("N*k", "Dm"))
    case.result("i32", ("N*k",))
    case.result("i32", ("E+1",))
    return case


def gen_grouped_matmul(rng, large):
    dtype = pick(rng, FLOAT_TYPES)
    experts, rows = pick(rng, [1, 2, 5, 8]), pick(rng, [1, 7, 40, 100])
    din, dout = pick(rng, [4, 16, 32]), pick(rng, [2, 8, 32])
    activation = pick(rng, [None, "none", "swiglu"])
    width = dout // 2 if activation == "swiglu" else dout
    case = Case("grouped_matmul", dtype,
                {"M": rows, "E": experts, "Din": din, "Dout": dout, "F": width, "E+1": experts + 1},
                choose_dynamic(rng, ["M"]))
    case.note(f"M={rows} E={experts} Din={din} Dout={dout} activation={activation or 'default'}")
    cuts = np.sort(rng.integers(0, rows + 1, size=experts - 1))
    case.add("xs", rng.normal(size=(rows, din)), dtype, ("M", "Din"))
    case.add("w", rng.normal(size=(experts, din, dout)) / np.sqrt(din), dtype, ("E", "Din", "Dout"))
    case.add("offsets", np.concatenate([[0], cuts, [rows]]), "i32", ("E+1",))
    if activation is not None:
        case.attrs["activation"] = activation
    case.result(dtype, ("M", "F"))
    return case


def gen_moe_combine(rng, large):
    dtype = pick(rng, FLOAT_TYPES)
    tokens, k, model = pick(rng, [1, 7, 33]), pick(rng, [1, 2, 4]), pick(rng, [4, 16, 64])
    case = Case("moe_combine", dtype, {"N": tokens, "k": k, "Dm": model, "N*k": tokens * k},
                choose_dynamic(rng, ["N"]))
    if "N" in case.dynamic:
        case.dynamic.add("N*k")
    case.note(f"N={tokens} k={k} Dm={model}")
    case.add("ys", rng.normal(size=(tokens * k, model)), dtype, ("N*k", "Dm"))
    case.add("permutation", rng.permutation(tokens * k), "i32", ("N*k",))
    case.add("weights", rng.uniform(0.0, 1.0, size=(tokens, k)), "f32", ("N", "k"))
    case.result(dtype, ("N", "Dm"))
    return case


# ---------------------------------------------------------------------------
# Algorithm-level fused ops
# ---------------------------------------------------------------------------

def gen_indexer_topk(rng, large):
    """The streaming indexer + top-k, on indexer inputs; k below, at and
    above the number of visible keys."""
    case = gen_lightning_indexer(rng, large)
    case.op = "indexer_topk"
    # Small integers: every score is exact in f32 and float64 alike, so the
    # order (and its many exact ties, broken towards the smaller key) is the
    # same in both and indices can be compared exactly.
    dims = {o.name: o.dims for o in case.operands}
    elems = {o.name: o.elem for o in case.operands}
    shape = lambda name: tuple(case.size(d) for d in dims[name])
    case.operands = []
    case.add("qi", rng.integers(-3, 4, size=shape("qi")), elems["qi"], dims["qi"])
    case.add("ki", rng.integers(-3, 4, size=shape("ki")), elems["ki"], dims["ki"])
    case.add("w", rng.integers(0, 4, size=shape("w")), "f32", dims["w"])
    keys = case.sizes["S"]
    k = max(1, pick(rng, [1, 4, keys - 1, keys, keys + 3]))
    case.sizes["k"] = k
    case.attrs = {"k": k, **case.attrs}
    case.note(f"k={k}")
    case.results = []
    case.result("f32", ("B", "T", "k"))
    case.result("i32", ("B", "T", "k"))
    return case


def gen_gathered_matmul(rng, large):
    """Expert matmul reading token rows through a dispatch permutation."""
    dtype = pick(rng, FLOAT_TYPES)
    tokens, experts = pick(rng, [1, 7, 33]), pick(rng, [1, 3, 8])
    k = pick(rng, [k for k in (1, 2, 4) if k <= experts])
    din, dout = pick(rng, [4, 16, 32]), pick(rng, [2, 8, 32])
    activation = pick(rng, [None, "swiglu"])
    width = dout // 2 if activation == "swiglu" else dout
    case = Case("gathered_matmul", dtype,
                {"N": tokens, "N*k": tokens * k, "E": experts, "Din": din, "Dout": dout,
                 "F": width, "E+1": experts + 1}, choose_dynamic(rng, ["N"]))
    if "N" in case.dynamic:
        case.dynamic.add("N*k")
    case.note(f"N={tokens} k={k} E={experts} Din={din} Dout={dout} "
              f"activation={activation or 'default'}")
    indices = expert_indices(rng, tokens, k, experts)
    _, perm, offsets = R.moe_dispatch(np.zeros((tokens, 1)), indices, experts)
    case.add("x", rng.normal(size=(tokens, din)), dtype, ("N", "Din"))
    case.add("w", rng.normal(size=(experts, din, dout)) / np.sqrt(din), dtype, ("E", "Din", "Dout"))
    case.add("offsets", offsets, "i32", ("E+1",))
    case.add("permutation", perm, "i32", ("N*k",))
    case.attrs["top_k"] = k
    if activation is not None:
        case.attrs["activation"] = activation
    case.result(dtype, ("N*k", "F"))
    return case


def gen_grouped_matmul_combine(rng, large):
    """Expert rows projected and summed into their tokens in one op."""
    dtype = pick(rng, FLOAT_TYPES)
    tokens, experts = pick(rng, [1, 7, 33]), pick(rng, [1, 3, 8])
    k = pick(rng, [k for k in (1, 2, 4) if k <= experts])
    din, dout = pick(rng, [4, 16, 32]), pick(rng, [2, 8, 32])
    case = Case("grouped_matmul_combine", dtype,
                {"N": tokens, "k": k, "N*k": tokens * k, "E": experts, "Din": din,
                 "Dout": dout, "E+1": experts + 1}, choose_dynamic(rng, ["N"]))
    if "N" in case.dynamic:
        case.dynamic.add("N*k")
    case.note(f"N={tokens} k={k} E={experts} Din={din} Dout={dout}")
    indices = expert_indices(rng, tokens, k, experts)
    _, perm, offsets = R.moe_dispatch(np.zeros((tokens, 1)), indices, experts)
    case.add("h", rng.normal(size=(tokens * k, din)), dtype, ("N*k", "Din"))
    case.add("w", rng.normal(size=(experts, din, dout)) / np.sqrt(din), dtype, ("E", "Din", "Dout"))
    case.add("offsets", offsets, "i32", ("E+1",))
    case.add("permutation", perm, "i32", ("N*k",))
    case.add("weights", rng.random(size=(tokens, k)), "f32", ("N", "k"))
    case.result(dtype, ("N", "Dout"))
    return case


GENERATORS = {
    "linear_attention": gen_linear_attention,
    "selective_scan": gen_selective_scan,
    "ssd": gen_ssd,
    "causal_conv1d": gen_causal_conv1d,
    "lightning_indexer": gen_lightning_indexer,
    "topk": gen_topk,
    "sparse_attention": gen_sparse_attention,
    "attention": gen_attention,
    "moe_router": gen_moe_router,
    "moe_aux_loss": gen_moe_aux_loss,
    "router_z_loss": gen_router_z_loss,
    "moe_dispatch": gen_moe_dispatch,
    "grouped_matmul": gen_grouped_matmul,
    "moe_combine": gen_moe_combine,
    "indexer_topk": gen_indexer_topk,
    "gathered_matmul": gen_gathered_matmul,
    "grouped_matmul_combine": gen_grouped_matmul_combine,
}

# Ops with a `--large` configuration (one long sequence at model sizes).
LARGE_OPS = ("linear_attention", "selective_scan", "ssd", "causal_conv1d")
