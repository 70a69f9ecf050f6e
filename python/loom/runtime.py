"""A ctypes wrapper over libLoomRuntime.so (include/loom-c/Runtime.h).

    import torch, loom
    bundle = loom.Bundle("out/bundle")           # a bundle directory
    o, state = bundle.run("main", q, k, v, g)     # CUDA tensors in, tensors out
    bundle.launch("main", [q, k, v, g], [o, state])   # preallocated results

The library is found through $LOOM_RUNTIME_LIB, next to this package, or in
the build tree (build/lib). PyTorch is imported only when tensors are used:
loading a bundle and computing result shapes work without it, and without a
GPU.
"""

import ctypes
import os
import threading
from pathlib import Path

__all__ = ["Bundle", "LoomError", "runtime_version"]

MAX_RANK = 8
_ERR_LEN = 16384
# LoomDType values, in order.
DTYPES = ("f32", "f16", "bf16", "i32", "i64")


class LoomError(RuntimeError):
    """A failure reported by the runtime, with its message."""


class _Buffer(ctypes.Structure):
    _fields_ = [
        ("data", ctypes.c_void_p),
        ("dtype", ctypes.c_int32),
        ("rank", ctypes.c_int32),
        ("shape", ctypes.POINTER(ctypes.c_int64)),
    ]


_lib = None


def _library_path():
    env = os.environ.get("LOOM_RUNTIME_LIB")
    if env:
        return env
    here = Path(__file__).resolve().parent
    candidates = [
        here / "libLoomRuntime.so",
        here.parent.parent / "build" / "lib" / "libLoomRuntime.so",
    ]
    for candidate in candidates:
        if candidate.exists():
            return str(candidate)
    raise LoomError(
        "cannot find libLoomRuntime.so: set LOOM_RUNTIME_LIB, or build it "
        "(looked in " + ", ".join(str(c.parent) for c in candidates) + ")")


def _load():
    global _lib
    if _lib is not None:
        return _lib
    path = _library_path()
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        raise LoomError(f"cannot load {path}: {e}") from None
    c = ctypes
    err = [c.c_char_p, c.c_size_t]
    signatures = {
        "loomRuntimeVersion": (c.c_char_p, []),
        "loomBundleLoad": (c.c_int, [c.c_char_p, c.POINTER(c.c_void_p)] + err),
        "loomBundleFree": (None, [c.c_void_p]),
        "loomBundleArch": (c.c_char_p, [c.c_void_p]),
        "loomFunctionCount": (c.c_int64, [c.c_void_p]),
        "loomFunctionName": (c.c_char_p, [c.c_void_p, c.c_int64]),
        "loomFunctionArity": (c.c_int, [c.c_void_p, c.c_char_p,
                                        c.POINTER(c.c_int64),
                                        c.POINTER(c.c_int64)] + err),
        "loomFunctionSignature": (c.c_size_t, [c.c_void_p, c.c_char_p,
                                               c.c_char_p, c.c_size_t]),
        "loomResultShapes": (c.c_int, [c.c_void_p, c.c_char_p,
                                       c.POINTER(_Buffer), c.c_int64,
                                       c.POINTER(c.c_int32),
                                       c.POINTER(c.c_int32),
                                       c.POINTER(c.c_int64)] + err),
        "loomBundlePrepare": (c.c_int, [c.c_void_p] + err),
        "loomLaunch": (c.c_int, [c.c_void_p, c.c_char_p, c.POINTER(_Buffer),
                                 c.c_int64, c.c_void_p] + err),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    _lib = lib
    return lib


def runtime_version():
    return _load().loomRuntimeVersion().decode()


_local = threading.local()


def _err_buffer():
    """A message buffer per thread: launches should not allocate 16 KiB."""
    buf = getattr(_local, "err", None)
    if buf is None:
        buf = _local.err = ctypes.create_string_buffer(_ERR_LEN)
    return buf


def _check(status, err):
    if status != 0:
        raise LoomError(err.value.decode(errors="replace"))


_torch_dtype_codes = None


def _torch_dtypes():
    global _torch_dtype_codes
    if _torch_dtype_codes is None:
        import torch
        _torch_dtype_codes = {torch.float32: 0, torch.float16: 1,
                              torch.bfloat16: 2, torch.int32: 3,
                              torch.int64: 4}
    return _torch_dtype_codes


class _Buffers:
    """LoomBuffers for tensors or (dtype, shape) pairs; keeps the shape
    arrays alive for the call."""

    def __init__(self, items, names, need_data):
        self.array = (_Buffer * max(len(items), 1))()
        self._shapes = []
        self.device = None
        torch_dtypes = None
        for i, item in enumerate(items):
            what = names(i)
            if isinstance(item, tuple) and len(item) == 2 and not need_data:
                dtype_name, shape = item
                if dtype_name not in DTYPES:
                    raise LoomError(f"{what}: unknown dtype {dtype_name!r} "
                                    f"(expected one of {', '.join(DTYPES)})")
                dtype, data = DTYPES.index(dtype_name), None
                shape = tuple(int(d) for d in shape)
            else:
                if torch_dtypes is None:
                    torch_dtypes = _torch_dtypes()
                if not hasattr(item, "data_ptr"):
                    raise LoomError(f"{what}: expected a torch.Tensor, got "
                                    f"{type(item).__name__}")
                if item.dtype not in torch_dtypes:
                    raise LoomError(f"{what}: dtype {item.dtype} is not one of "
                                    "float32, float16, bfloat16, int32, int64")
                dtype, shape = torch_dtypes[item.dtype], tuple(item.shape)
                data = None
                if need_data:
                    if not item.is_cuda:
                        raise LoomError(f"{what} is on {item.device}, not on a "
                                        "CUDA device")
                    if not item.is_contiguous():
                        raise LoomError(f"{what} is not contiguous (call "
                                        ".contiguous() on it)")
                    if self.device is None:
                        self.device = item.device
                    elif item.device != self.device:
                        raise LoomError(f"{what} is on {item.device}, the "
                                        f"others on {self.device}")
                    data = item.data_ptr() or None
            if len(shape) > MAX_RANK:
                raise LoomError(f"{what}: rank {len(shape)} exceeds {MAX_RANK}")
            dims = (ctypes.c_int64 * max(len(shape), 1))(*shape)
            self._shapes.append(dims)
            self.array[i] = _Buffer(data, dtype, len(shape), dims)
        self.count = len(items)


def _stream_handle(stream, device):
    if stream is None:
        import torch
        return torch.cuda.current_stream(device).cuda_stream or None
    if hasattr(stream, "cuda_stream"):
        return stream.cuda_stream or None
    return int(stream) or None


class Bundle:
    """A loaded kernel bundle: `path` is its directory or manifest file.

    The manifest is fully validated here; no GPU is touched until the first
    launch (or prepare()), which loads the module into the current device's
    context.
    """

    def __init__(self, path):
        self._handle = None
        self.path = str(path)
        lib = self._lib = _load()
        handle = ctypes.c_void_p()
        err = _err_buffer()
        _check(lib.loomBundleLoad(os.fsencode(self.path), ctypes.byref(handle),
                                  err, _ERR_LEN), err)
        self._handle = handle

    def close(self):
        if self._handle is not None:
            self._lib.loomBundleFree(self._handle)
            self._handle = None

    def __del__(self):
        self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _live(self):
        if self._handle is None:
            raise LoomError("the bundle is closed")
        return self._handle

    @property
    def arch(self):
        return self._lib.loomBundleArch(self._live()).decode()

    @property
    def functions(self):
        """The names of the bundle's functions, in manifest order."""
        handle = self._live()
        return [self._lib.loomFunctionName(handle, i).decode()
                for i in range(self._lib.loomFunctionCount(handle))]

    def signature(self, fn):
        """E.g. 'main(%0: f32[1, ?, 2, 4]) -> (%1: f32[1, dim(%0, 1), 2, 4])'."""
        self.arity(fn)  # a clear error for an unknown name
        name = fn.encode()
        size = self._lib.loomFunctionSignature(self._live(), name, None, 0) + 1
        buf = ctypes.create_string_buffer(size)
        self._lib.loomFunctionSignature(self._live(), name, buf, size)
        return buf.value.decode()

    def arity(self, fn):
        """(number of args, number of results) of `fn`."""
        args, results = ctypes.c_int64(), ctypes.c_int64()
        err = _err_buffer()
        _check(self._lib.loomFunctionArity(self._live(), fn.encode(),
                                           ctypes.byref(args),
                                           ctypes.byref(results), err,
                                           _ERR_LEN), err)
        return args.value, results.value

    def result_shapes(self, fn, *args):
        """Checks args (tensors, or (dtype name, shape) pairs) against `fn`
        and returns its results as (dtype name, shape) pairs."""
        _, num_results = self.arity(fn)
        buffers = _Buffers(list(args), lambda i: f"arg {i}", need_data=False)
        n = max(num_results, 1)
        dtypes = (ctypes.c_int32 * n)()
        ranks = (ctypes.c_int32 * n)()
        shapes = (ctypes.c_int64 * (n * MAX_RANK))()
        err = _err_buffer()
        _check(self._lib.loomResultShapes(self._live(), fn.encode(),
                                          buffers.array, buffers.count, dtypes,
                                          ranks, shapes, err, _ERR_LEN), err)
        return [(DTYPES[dtypes[r]],
                 tuple(shapes[r * MAX_RANK + d] for d in range(ranks[r])))
                for r in range(num_results)]

    def prepare(self, device=None):
        """Loads the module into `device`'s context now (the current device
        by default): do this before capturing a CUDA graph."""
        import torch
        with torch.cuda.device(device if device is not None
                               else torch.cuda.current_device()):
            err = _err_buffer()
            _check(self._lib.loomBundlePrepare(self._live(), err, _ERR_LEN),
                   err)

    def run(self, fn, *args, stream=None):
        """Runs `fn` on CUDA tensors and returns a tuple of new result
        tensors, allocated on the args' device. Launches on `stream` (a
        torch.cuda.Stream or a raw handle; default: the current stream)
        without synchronizing."""
        import torch
        shapes = self.result_shapes(fn, *args)
        device = next((a.device for a in args if hasattr(a, "device")), None)
        if device is None:
            device = torch.device("cuda", torch.cuda.current_device())
        by_code = {code: dtype for dtype, code in _torch_dtypes().items()}
        results = tuple(torch.empty(shape, dtype=by_code[DTYPES.index(dtype)],
                                    device=device)
                        for dtype, shape in shapes)
        self.launch(fn, args, results, stream=stream)
        return results

    def launch(self, fn, inputs, outputs, stream=None):
        """Runs `fn` with preallocated, contiguous `outputs`, whose shapes
        must be those result_shapes() gives."""
        import torch
        items = list(inputs) + list(outputs)
        num_inputs = len(inputs)
        buffers = _Buffers(
            items, lambda i: f"arg {i}" if i < num_inputs
            else f"result {i - num_inputs}", need_data=True)
        device = buffers.device or torch.device("cuda",
                                                torch.cuda.current_device())
        err = _err_buffer()
        handle = _stream_handle(stream, device)
        if device.index is None or device.index == torch.cuda.current_device():
            status = self._lib.loomLaunch(self._live(), fn.encode(),
                                          buffers.array, buffers.count, handle,
                                          err, _ERR_LEN)
        else:
            # The runtime launches in the current context: make the
            # tensors' device current.
            with torch.cuda.device(device):
                status = self._lib.loomLaunch(self._live(), fn.encode(),
                                              buffers.array, buffers.count,
                                              handle, err, _ERR_LEN)
        _check(status, err)

    def __repr__(self):
        if self._handle is None:
            return f"Bundle({self.path!r}, closed)"
        return f"Bundle({self.path!r}, {self.arch}, functions={self.functions})"
