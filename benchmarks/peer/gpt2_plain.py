"""A plain-PyTorch GPT-2 (nanoGPT style) that loads a Hugging Face GPT-2 folder (config.json + model.safetensors),
plus one loader that returns either it or transformers' GPT2LMHeadModel behind the same call.

Model: token + learned position embeddings, pre-LayerNorm blocks of causal multi-head attention and a tanh-GELU
("gelu_new") MLP, final LayerNorm, classifier tied to wte. No dropout (RiskAlign's GPT-2 has none either).
attention="eager": softmax(q·kᵀ/√d) with the future masked to −∞ (what RiskAlign's Gpt2Model does);
attention="sdpa": torch.nn.functional.scaled_dot_product_attention (PyTorch >= 2.0 only).
The KV cache is preallocated per layer ([N, heads, max_len, head_dim]) and filled in place."""
import json
import math
import os

from peer_common import torch, load_safetensors

import torch.nn as nn
import torch.nn.functional as F

HAVE_SDPA = hasattr(F, "scaled_dot_product_attention")


def require_attention(attention):
    if attention not in ("eager", "sdpa"):
        raise ValueError(f"attention must be eager or sdpa, got {attention!r}")
    if attention == "sdpa" and not HAVE_SDPA:
        raise SystemExit(f"error: --attention sdpa needs torch.nn.functional.scaled_dot_product_attention "
                         f"(PyTorch >= 2.0); this is PyTorch {torch.__version__}. Use --attention eager.")


def _gelu_new(x):
    try:
        return F.gelu(x, approximate="tanh")  # PyTorch >= 1.12
    except TypeError:
        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x.pow(3))))


class KvCache:
    """Preallocated keys and values of every layer; `length` positions are filled."""

    def __init__(self, layers, n, heads, max_len, head_dim, device, dtype):
        self.k = [torch.empty(n, heads, max_len, head_dim, device=device, dtype=dtype) for _ in range(layers)]
        self.v = [torch.empty(n, heads, max_len, head_dim, device=device, dtype=dtype) for _ in range(layers)]
        self.length = 0


class Block(nn.Module):
    def __init__(self, d, heads, inner, eps, attention):
        super().__init__()
        self.heads, self.attention = heads, attention
        self.ln_1 = nn.LayerNorm(d, eps=eps)
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)
        self.ln_2 = nn.LayerNorm(d, eps=eps)
        self.c_fc = nn.Linear(d, inner)
        self.mlp_proj = nn.Linear(inner, d)

    def forward(self, x, cache=None, layer=0):
        n, t, d = x.shape
        hd = d // self.heads
        q, k, v = self.c_attn(self.ln_1(x)).view(n, t, 3, self.heads, hd).permute(2, 0, 3, 1, 4)  # each [N, h, T, hd]
        start = 0
        if cache is not None:
            start = cache.length
            cache.k[layer][:, :, start:start + t] = k
            cache.v[layer][:, :, start:start + t] = v
            k = cache.k[layer][:, :, :start + t]
            v = cache.v[layer][:, :, :start + t]
        tk = k.shape[2]
        if self.attention == "sdpa":
            if start == 0:
                y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            elif t == 1:
                y = F.scaled_dot_product_attention(q, k, v)  # one new query sees every cached key
            else:
                allowed = torch.ones(t, tk, dtype=torch.bool, device=x.device).tril(start)
                y = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
        else:
            scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))  # [N, h, T, Tk]
            if t > 1:
                hidden = torch.ones(t, tk, dtype=torch.bool, device=x.device).tril(start).logical_not()
                scores = scores.masked_fill(hidden, float("-inf"))
            y = scores.softmax(-1) @ v
        x = x + self.c_proj(y.transpose(1, 2).reshape(n, t, d))
        return x + self.mlp_proj(_gelu_new(self.c_fc(self.ln_2(x))))


class PlainGpt2(nn.Module):
    def __init__(self, config, attention="eager"):
        super().__init__()
        require_attention(attention)
        d = config["n_embd"]
        self.config = config
        self.heads = config["n_head"]
        self.max_len = config.get("n_positions", 1024)
        inner = config.get("n_inner") or 4 * d
        eps = config.get("layer_norm_epsilon", 1e-5)
        self.wte = nn.Embedding(config["vocab_size"], d)
        self.wpe = nn.Embedding(self.max_len, d)
        self.h = nn.ModuleList(Block(d, self.heads, inner, eps, attention) for _ in range(config["n_layer"]))
        self.ln_f = nn.LayerNorm(d, eps=eps)

    def new_cache(self, n, max_len, device=None, dtype=None):
        p = self.wte.weight
        d = p.shape[1]
        return KvCache(len(self.h), n, self.heads, max_len, d // self.heads, device or p.device, dtype or p.dtype)

    def forward(self, ids, cache=None, last_only=False):
        """Logits [N, T, V] of ids [N, T] (with a cache: the positions after the cached ones; the cache advances).
        last_only: only the last position's logits, [N, 1, V] (sampling)."""
        start = cache.length if cache is not None else 0
        t = ids.shape[1]
        if start + t > self.max_len:
            raise ValueError(f"sequence of {start + t} positions exceeds n_positions {self.max_len}")
        x = self.wte(ids) + self.wpe(torch.arange(start, start + t, device=ids.device))
        for i, block in enumerate(self.h):
            x = block(x, cache, i)
        if cache is not None:
            cache.length += t
        if last_only:
            x = x[:, -1:]
        return self.ln_f(x) @ self.wte.weight.t()


def read_config(folder):
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    if config.get("model_type") != "gpt2":
        raise ValueError(f"{folder}/config.json: model_type {config.get('model_type')!r}, expected 'gpt2'")
    if config.get("activation_function", "gelu_new") != "gelu_new":
        raise ValueError(f"{folder}/config.json: activation_function must be gelu_new")
    return config


def load_plain(folder, attention="eager", device="cpu", dtype=torch.float32):
    """PlainGpt2 with the folder's weights (HF Conv1D [in, out] weights transposed into Linear [out, in])."""
    config = read_config(folder)
    model = PlainGpt2(config, attention)
    hf = load_safetensors(os.path.join(folder, "model.safetensors"))
    prefix = "transformer." if "transformer.wte.weight" in hf else ""
    state = {"wte.weight": hf[prefix + "wte.weight"], "wpe.weight": hf[prefix + "wpe.weight"],
             "ln_f.weight": hf[prefix + "ln_f.weight"], "ln_f.bias": hf[prefix + "ln_f.bias"]}
    for i in range(config["n_layer"]):
        s = f"{prefix}h.{i}."
        for ours, theirs, conv in [("ln_1", "ln_1", False), ("c_attn", "attn.c_attn", True), ("c_proj", "attn.c_proj", True),
                                   ("ln_2", "ln_2", False), ("c_fc", "mlp.c_fc", True), ("mlp_proj", "mlp.c_proj", True)]:
            w = hf[s + theirs + ".weight"]
            state[f"h.{i}.{ours}.weight"] = w.t().contiguous() if conv else w
            state[f"h.{i}.{ours}.bias"] = hf[s + theirs + ".bias"]
    model.load_state_dict({k: v.to(dtype) for k, v in state.items()}, strict=True)
    return model.to(device=device)


def have_transformers():
    try:
        import transformers  # noqa: F401
        return True
    except ImportError:
        return False


def default_impl():
    return "hf" if have_transformers() else "plain"


def load_hf(folder, attention="eager", device="cpu", dtype=torch.float32):
    """transformers' GPT2LMHeadModel with the given attention implementation, dropout off (RiskAlign has none)."""
    import transformers
    require_attention(attention)
    major = int(transformers.__version__.split(".")[0])
    dtype_kw = {"dtype": dtype} if major >= 5 else {"torch_dtype": dtype}
    model = transformers.GPT2LMHeadModel.from_pretrained(
        folder, attn_implementation=attention, attn_pdrop=0.0, embd_pdrop=0.0, resid_pdrop=0.0, **dtype_kw)
    return model.to(device)


class HfLogits(nn.Module):
    """Wraps GPT2LMHeadModel so that model(ids) returns logits [N, T, V] like PlainGpt2."""

    def __init__(self, hf):
        super().__init__()
        self.hf = hf

    def forward(self, ids):
        return self.hf(input_ids=ids, use_cache=False).logits


def load_model(folder, impl=None, attention="eager", device="cpu", dtype=torch.float32):
    """(model, impl): model(ids) -> logits [N, T, V]; impl 'plain' or 'hf' (default: hf when transformers imports)."""
    impl = impl or default_impl()
    if impl == "hf":
        if not have_transformers():
            raise SystemExit("error: --impl hf but transformers is not importable; use --impl plain")
        return HfLogits(load_hf(folder, attention, device, dtype)), impl
    if impl != "plain":
        raise ValueError(f"impl must be plain or hf, got {impl!r}")
    return load_plain(folder, attention, device, dtype), impl
