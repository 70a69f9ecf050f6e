#!/usr/bin/env python3
"""Writes the .npy files of the loom-run tests into a directory: valid
arrays, and malformed files of every kind the reader must reject."""
import os
import struct
import sys

import numpy as np


def header(text, version=1):
    text = text + " " * ((64 - (10 + len(text) + 1) % 64) % 64) + "\n"
    if version == 1:
        return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode()
    return b"\x93NUMPY" + bytes([version, 0]) + struct.pack("<I", len(text)) + text.encode()


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(0)

    def save(name, array):
        np.save(os.path.join(out, name), array)

    def raw(name, data):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)

    # Valid inputs of a small GLA-style case: q, k, v [1, 8, 2, 4], g [1, 8, 2].
    for name in ["q", "k", "v"]:
        save(name + ".npy", rng.standard_normal((1, 8, 2, 4)).astype(np.float32))
    save("g.npy", -rng.random((1, 8, 2)).astype(np.float32))
    save("k_t9.npy", rng.standard_normal((1, 9, 2, 4)).astype(np.float32))
    save("q_f16.npy", rng.standard_normal((1, 8, 2, 4)).astype(np.float16))
    save("q_rank3.npy", rng.standard_normal((8, 2, 4)).astype(np.float32))
    save("q_heads3.npy", rng.standard_normal((1, 8, 3, 4)).astype(np.float32))
    save("q_f64.npy", rng.standard_normal((1, 8, 2, 4)))
    np.save(os.path.join(out, "q_fortran.npy"),
            np.asfortranarray(rng.standard_normal((1, 8, 2, 4)).astype(np.float32)))
    save("cu_ok.npy", np.array([0, 3, 8], np.int32))
    save("cu_unsorted.npy", np.array([0, 5, 3, 8], np.int32))
    save("cu_short.npy", np.array([0, 3, 7], np.int32))
    save("cu_nonzero.npy", np.array([1, 3, 8], np.int32))
    save("idx_ok.npy", np.array([[0, 1], [2, 3], [1, 0]], np.int32))
    save("idx_out_of_range.npy", np.array([[0, 1], [2, 4], [1, 0]], np.int32))
    save("idx_negative.npy", np.array([[0, -1], [2, 3], [1, 0]], np.int32))
    save("x.npy", rng.standard_normal((3, 5)).astype(np.float32))

    # Malformed files.
    data = np.zeros(64, np.float32).tobytes()
    raw("empty.npy", b"")
    raw("bad_magic.npy", b"\x93NUMPZ\x01\x00" + b"\x00" * 100)
    raw("bad_version.npy", b"\x93NUMPY\x07\x00" + b"\x00" * 100)
    raw("truncated_header.npy", b"\x93NUMPY\x01\x00\xff\x00{'descr'")
    raw("not_a_dict.npy", header("['descr', '<f4']") + data)
    raw("unknown_key.npy", header("{'descr': '<f4', 'fortran_order': False, 'shape': (64,), 'x': 1, }") + data)
    raw("missing_shape.npy", header("{'descr': '<f4', 'fortran_order': False, }") + data)
    raw("bad_shape.npy", header("{'descr': '<f4', 'fortran_order': False, 'shape': (8, -8), }") + data)
    raw("huge_shape.npy", header("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }") + data)
    raw("overflow_shape.npy", header("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }") + data)
    raw("short_data.npy", header("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 8, 2, 4), }") + data[:40])
    raw("long_data.npy", header("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }") + data)
    raw("big_endian.npy", header("{'descr': '>f4', 'fortran_order': False, 'shape': (64,), }") + data)
    raw("unterminated_string.npy", header("{'descr': '<f4, 'fortran_order': False, 'shape': (64,), }") + data)
    raw("v2_ok.npy", header("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 8, 2, 4), }", 2) + data)


if __name__ == "__main__":
    main()
