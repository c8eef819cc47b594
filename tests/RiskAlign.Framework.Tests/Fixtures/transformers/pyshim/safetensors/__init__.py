"""Pure-Python stand-in for the `safetensors` package (file I/O only).

Format: 8-byte little-endian header length N, N bytes of JSON header
({name: {dtype, shape, data_offsets:[begin,end]}, "__metadata__": {...}}), then raw little-endian tensor bytes.
"""
__version__ = "0.4.3+pureshim"


class SafetensorError(Exception):
    pass


from .torch import safe_open  # noqa: E402,F401
