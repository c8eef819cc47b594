"""Import-only placeholder for the Rust `tokenizers` package, which cannot be installed here.

It has no dist-info, so transformers' is_tokenizers_available() stays False and only the slow, pure-Python tokenizers
are used; this module exists only because transformers 4.44's GGUF integration imports names from it at import time.
Using any of its names raises.
"""


class _Unavailable:
    def __init__(self, *args, **kwargs):
        raise RuntimeError("the Rust tokenizers package is not installed; use the slow tokenizers")


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return type(name, (_Unavailable,), {})
