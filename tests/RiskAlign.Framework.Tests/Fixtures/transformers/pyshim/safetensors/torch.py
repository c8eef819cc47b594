"""safetensors.torch stand-in: save_file/load_file/save/load and safe_open, in pure Python over torch 1.13."""
import json
import struct

import torch

_TO_NAME = {
    torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
    torch.bool: "BOOL",
}
_FROM_NAME = {v: k for k, v in _TO_NAME.items()}


def _tensor_bytes(t):
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().tobytes()


def save(tensors, metadata=None):
    header = {}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name]
        raw = _tensor_bytes(t)
        header[name] = {"dtype": _TO_NAME[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    if metadata is not None:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * ((8 - len(encoded) % 8) % 8)
    return struct.pack("<Q", len(encoded)) + encoded + b"".join(blobs)


def save_file(tensors, filename, metadata=None):
    with open(filename, "wb") as f:
        f.write(save(tensors, metadata))


def _parse(data):
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", None)
    return header, metadata, 8 + n


def _tensor(data, start, info):
    begin, end = info["data_offsets"]
    dtype = _FROM_NAME[info["dtype"]]
    raw = bytearray(data[start + begin:start + end])
    if dtype == torch.bfloat16:
        t = torch.frombuffer(raw, dtype=torch.int16).view(torch.bfloat16) if raw else torch.empty(0, dtype=dtype)
    else:
        t = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
    return t.reshape(info["shape"]).clone()


def load(data):
    header, _, start = _parse(data)
    return {name: _tensor(data, start, info) for name, info in header.items()}


def load_file(filename, device="cpu"):
    with open(filename, "rb") as f:
        return load(f.read())


class _Slice:
    def __init__(self, tensor):
        self._t = tensor

    def get_shape(self):
        return list(self._t.shape)

    def get_dtype(self):
        return _TO_NAME[self._t.dtype]

    def __getitem__(self, item):
        return self._t[item]


class safe_open:  # noqa: N801 - same name as the real API
    def __init__(self, filename, framework="pt", device="cpu"):
        with open(filename, "rb") as f:
            self._data = f.read()
        self._header, self._metadata, self._start = _parse(self._data)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def keys(self):
        return list(self._header.keys())

    def metadata(self):
        return self._metadata

    def get_tensor(self, name):
        return _tensor(self._data, self._start, self._header[name])

    def get_slice(self, name):
        return _Slice(self.get_tensor(name))


def storage_ptr(tensor):
    """Address of the tensor's storage (safetensors uses it to find tensors that share memory)."""
    try:
        return tensor.untyped_storage().data_ptr()
    except Exception:
        try:
            return tensor.storage().data_ptr()
        except NotImplementedError:
            return 0


def storage_size(tensor):
    """Size in bytes of the tensor's storage."""
    try:
        return tensor.untyped_storage().nbytes()
    except AttributeError:
        return tensor.storage().size() * tensor.element_size()
