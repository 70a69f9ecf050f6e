"""Drives python/loom without torch or a GPU: loading, signatures, result
shapes from (dtype, shape) pairs, and LoomError messages."""
import sys

import loom

bundle = loom.Bundle(sys.argv[1] + "/bundle")
print("version", loom.runtime_version())
print("functions", bundle.functions, bundle.arch, bundle.arity("main"))
print("signature", bundle.signature("scale"))
qkv = ("f32", (1, 8, 2, 4))
print("shapes", bundle.result_shapes("main", qkv, qkv, qkv, ("f32", (1, 8, 2))))
print("shapes", bundle.result_shapes("scale", ("f32", (0, 5))))

failures = [
    lambda: loom.Bundle(sys.argv[1] + "/bad/unknown-op.json"),
    lambda: bundle.signature("nope"),
    lambda: bundle.result_shapes("main", qkv),
    lambda: bundle.result_shapes("main", qkv, ("f32", (1, 9, 2, 4)), qkv,
                                 ("f32", (1, 8, 2))),
    lambda: bundle.result_shapes("scale", ("f64", (3, 5))),
    lambda: bundle.result_shapes("scale", ("i32", (3, 5))),
]
for failure in failures:
    try:
        failure()
        print("no error")
    except loom.LoomError as e:
        print("LoomError:", e)

# loomLaunch's checks before the driver, through the C API (the pointers are
# never dereferenced: LOOM_CUDA_LIBRARY names a missing driver).
import ctypes
from loom.runtime import _Buffer, _load

lib = _load()
err = ctypes.create_string_buffer(1024)


def launch(fn, *buffers):
    shapes = [(ctypes.c_int64 * max(len(shape), 1))(*shape)
              for _, _, shape in buffers]
    array = (_Buffer * len(buffers))(*[
        _Buffer(data, dtype, len(shape), dims)
        for (data, dtype, shape), dims in zip(buffers, shapes)])
    status = lib.loomLaunch(bundle._handle, fn.encode(), array, len(buffers),
                            None, err, len(err))
    print("launch", status, err.value.decode())


x, y = (0x1000, 0, (3, 5)), (0x2000, 0, (3, 5))
launch("scale", x, y)
launch("scale", x)
launch("scale", x, (0x2000, 0, (3, 6)))
launch("scale", x, (0x2000, 4, (3, 5)))
launch("scale", x, (None, 0, (3, 5)))
launch("scale", (None, 0, (0, 5)), (None, 0, (0, 5)))
launch("scale", x, (0x2000, 7, (3, 5)))
launch("scale", x, (0x2000, 0, (1,) * 9))
bundle.close()
print(bundle)
