"""Loom's Python interface: run kernel bundles (docs/bundle.md) on PyTorch
CUDA tensors through libLoomRuntime.so."""

from .runtime import Bundle, LoomError, runtime_version

__all__ = ["Bundle", "LoomError", "runtime_version"]
