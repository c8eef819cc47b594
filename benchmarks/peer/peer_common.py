"""Shared helpers of the PyTorch peer benchmarks: a clear error when torch is missing, a small safetensors
reader/writer used when the `safetensors` package is not installed, and device/thread setup.

Works with PyTorch 1.13 (Debian's python3-torch, CPU) and PyTorch 2.x (CUDA)."""
import json
import os
import struct
import sys


def import_torch():
    """Returns the torch module, or exits with a message saying how to get it."""
    try:
        import torch  # noqa: F401
    except ImportError:
        sys.stderr.write(
            f"error: PyTorch is not importable by {sys.executable}.\n"
            "On Debian: apt-get install -y python3-torch libopenblas0-pthread, then run the script with /usr/bin/python3\n"
            "(a pyenv/virtualenv `python3` earlier on PATH does not see Debian's packages).\n")
        sys.exit(2)
    return torch


def _blas_threads_from_argv():
    """The BLAS libraries keep their own thread pools, sized when they load: Debian's PyTorch runs its matmuls on
    OpenBLAS, whose pool defaults to every core whatever torch.set_num_threads says. A `--threads N` run that left it
    so would time N torch threads against N-core matmuls (on the 2-core machine, 1 thread against 2). So --threads N
    also sizes the BLAS pools, here, before torch (and with it the BLAS) is imported; a variable already set wins."""
    argv = sys.argv[1:]
    for i, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--threads=") else (argv[i + 1] if arg == "--threads" and i + 1 < len(argv) else None)
        if value is not None and value.isdigit() and int(value) > 0:
            for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
                os.environ.setdefault(name, value)
            return


_blas_threads_from_argv()
torch = import_torch()

# safetensors dtype names <-> torch dtypes (only what these scripts write or read)
_ST_TO_TORCH = {"F32": torch.float32, "BF16": torch.bfloat16, "F16": torch.float16, "F64": torch.float64,
                "I64": torch.int64, "I32": torch.int32, "U8": torch.uint8}
_TORCH_TO_ST = {v: k for k, v in _ST_TO_TORCH.items()}
# same-size integer views used to move raw bytes through numpy (numpy has no bfloat16)
_BITS_VIEW = {torch.bfloat16: torch.int16, torch.float16: torch.int16}


def have_safetensors_package():
    try:
        import safetensors.torch  # noqa: F401
        return True
    except ImportError:
        return False


def save_safetensors(tensors, path, metadata=None):
    """Writes {name: tensor} as a .safetensors file: 8-byte little-endian header length, JSON header
    (dtype, shape, data_offsets per tensor; padded with spaces to 8 bytes), then the raw little-endian data.
    Uses the `safetensors` package when it is importable, else this writer."""
    metadata = dict(metadata or {"format": "pt"})
    tensors = {k: v.detach().contiguous().cpu() for k, v in tensors.items()}
    if have_safetensors_package():
        import safetensors.torch
        safetensors.torch.save_file(tensors, path, metadata=metadata)
        return "safetensors package"
    if sys.byteorder != "little":
        raise RuntimeError("the built-in safetensors writer assumes a little-endian machine")
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name]
        if t.dtype not in _TORCH_TO_ST:
            raise ValueError(f"{name}: dtype {t.dtype} is not supported by the built-in writer")
        raw = t.view(_BITS_VIEW.get(t.dtype, t.dtype)).numpy().tobytes()
        header[name] = {"dtype": _TORCH_TO_ST[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)
    return "built-in writer"


def load_safetensors(path):
    """Reads a .safetensors file into {name: tensor} on the CPU (the package if importable, else this reader)."""
    if have_safetensors_package():
        import safetensors.torch
        return safetensors.torch.load_file(path)
    if sys.byteorder != "little":
        raise RuntimeError("the built-in safetensors reader assumes a little-endian machine")
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    base = 8 + n
    result = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = _ST_TO_TORCH.get(info["dtype"])
        if dtype is None:
            raise ValueError(f"{path}: tensor {name} has dtype {info['dtype']}, which the built-in reader does not support")
        begin, end = info["data_offsets"]
        raw = bytearray(data[base + begin:base + end])  # writable copy, so torch.frombuffer does not warn
        storage_dtype = _BITS_VIEW.get(dtype, dtype)
        t = torch.frombuffer(raw, dtype=storage_dtype) if len(raw) else torch.empty(0, dtype=storage_dtype)
        result[name] = t.view(dtype).reshape(info["shape"]).clone()
    return result


def setup_device(device, threads):
    """Sets the intra-op thread count (when given) and checks the device; returns a torch.device."""
    if threads:
        torch.set_num_threads(threads)
    if device == "cuda" and not torch.cuda.is_available():
        sys.exit("error: --device cuda but torch.cuda.is_available() is False")
    return torch.device(device)


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def peak_memory_bytes(device):
    """CUDA: torch.cuda.max_memory_allocated (tensors only, since the last reset).
    CPU: the process's peak resident set size (ru_maxrss; includes Python, libraries and the allocator's slack)."""
    if device.type == "cuda":
        return torch.cuda.max_memory_allocated(device)
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def describe_environment():
    return (f"torch {torch.__version__}, python {sys.version.split()[0]} ({sys.executable}), "
            f"intra-op threads {torch.get_num_threads()}, OPENBLAS_NUM_THREADS {os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}, cuda {'yes' if torch.cuda.is_available() else 'no'}, "
            f"load average {os.getloadavg()[0]:.2f}")
