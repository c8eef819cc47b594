#!/usr/bin/env python3
"""Writes a random-initialised Hugging Face GPT-2 folder: config.json (as transformers writes a GPT2Config) and
model.safetensors with HF's tensor names (no `transformer.` prefix, like the hub's gpt2; Conv1D weights [in, out];
no lm_head.weight, it is tied to wte). Initialised like transformers' GPT-2: weights and embeddings N(0, 0.02),
the residual projections (attn.c_proj, mlp.c_proj) N(0, 0.02/√(2·n_layer)), biases 0, LayerNorm 1/0.

  /usr/bin/python3 benchmarks/peer/make_checkpoint.py --config cpu-12x512 --out /tmp/gpt2-cpu-12x512
  /usr/bin/python3 benchmarks/peer/make_checkpoint.py --layers 4 --width 256 --heads 4 --out /tmp/gpt2-4x256

Both RiskAlign (HuggingFaceGpt2) and transformers (GPT2LMHeadModel.from_pretrained) load the folder."""
import argparse
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_common import torch, save_safetensors  # noqa: E402

CONFIGS = {
    # name: (n_layer, n_embd, n_head, vocab_size, n_positions)
    "gpt2-124m": (12, 768, 12, 50257, 1024),
    "cpu-12x512": (12, 512, 8, 50257, 512),
    "tiny": (2, 64, 4, 512, 128),
}


def hf_config(layers, width, heads, vocab, positions, dtype):
    eos = vocab - 1  # GPT-2's <|endoftext|> is the last id (50256)
    return {
        "activation_function": "gelu_new",
        "architectures": ["GPT2LMHeadModel"],
        "attn_pdrop": 0.1,
        "bos_token_id": eos,
        "embd_pdrop": 0.1,
        "eos_token_id": eos,
        "initializer_range": 0.02,
        "layer_norm_epsilon": 1e-05,
        "model_type": "gpt2",
        "n_embd": width,
        "n_head": heads,
        "n_inner": None,
        "n_layer": layers,
        "n_positions": positions,
        "reorder_and_upcast_attn": False,
        "resid_pdrop": 0.1,
        "scale_attn_by_inverse_layer_idx": False,
        "scale_attn_weights": True,
        "summary_activation": None,
        "summary_first_dropout": 0.1,
        "summary_proj_to_labels": True,
        "summary_type": "cls_index",
        "summary_use_proj": True,
        "tie_word_embeddings": True,
        "torch_dtype": {"f32": "float32", "bf16": "bfloat16"}[dtype],
        "use_cache": True,
        "vocab_size": vocab,
    }


def random_weights(layers, width, vocab, positions, seed, std=0.02):
    g = torch.Generator().manual_seed(seed)

    def normal(*shape, s=std):
        return torch.randn(*shape, generator=g) * s

    d, inner = width, 4 * width
    proj_std = std / math.sqrt(2 * layers)
    w = {"wte.weight": normal(vocab, d), "wpe.weight": normal(positions, d)}
    for i in range(layers):
        p = f"h.{i}."
        w[p + "ln_1.weight"], w[p + "ln_1.bias"] = torch.ones(d), torch.zeros(d)
        w[p + "attn.c_attn.weight"], w[p + "attn.c_attn.bias"] = normal(d, 3 * d), torch.zeros(3 * d)   # Conv1D [in, out]
        w[p + "attn.c_proj.weight"], w[p + "attn.c_proj.bias"] = normal(d, d, s=proj_std), torch.zeros(d)
        w[p + "ln_2.weight"], w[p + "ln_2.bias"] = torch.ones(d), torch.zeros(d)
        w[p + "mlp.c_fc.weight"], w[p + "mlp.c_fc.bias"] = normal(d, inner), torch.zeros(inner)
        w[p + "mlp.c_proj.weight"], w[p + "mlp.c_proj.bias"] = normal(inner, d, s=proj_std), torch.zeros(d)
    w["ln_f.weight"], w["ln_f.bias"] = torch.ones(d), torch.zeros(d)
    return w


def make(out, layers, width, heads, vocab, positions, seed=0, dtype="f32"):
    """Writes the folder; returns (parameter count, how the safetensors file was written)."""
    if width % heads:
        raise SystemExit(f"error: width {width} is not divisible by heads {heads}")
    os.makedirs(out, exist_ok=True)
    weights = random_weights(layers, width, vocab, positions, seed)
    if dtype == "bf16":
        weights = {k: v.to(torch.bfloat16) for k, v in weights.items()}
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(hf_config(layers, width, heads, vocab, positions, dtype), f, indent=2, sort_keys=True)
        f.write("\n")
    how = save_safetensors(weights, os.path.join(out, "model.safetensors"), metadata={"format": "pt"})
    return sum(v.numel() for v in weights.values()), how


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", choices=sorted(CONFIGS), help="named shape; --layers etc. override its fields")
    ap.add_argument("--layers", type=int)
    ap.add_argument("--width", type=int)
    ap.add_argument("--heads", type=int)
    ap.add_argument("--vocab", type=int)
    ap.add_argument("--positions", type=int)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dtype", choices=["f32", "bf16"], default="f32")
    ap.add_argument("--out", required=True, help="folder to write (created if missing; never inside the repository)")
    a = ap.parse_args()
    base = CONFIGS[a.config] if a.config else (None, None, None, 50257, 1024)
    layers, width, heads, vocab, positions = (
        v if v is not None else b for v, b in zip((a.layers, a.width, a.heads, a.vocab, a.positions), base))
    if None in (layers, width, heads):
        ap.error("give --config NAME or all of --layers, --width, --heads (vocab defaults to 50257, positions to 1024)")
    n, how = make(a.out, layers, width, heads, vocab, positions, a.seed, a.dtype)
    print(f"wrote {a.out}: GPT-2 {layers} layers, width {width}, {heads} heads, vocab {vocab}, {positions} positions, "
          f"{n / 1e6:.2f}M parameters, {a.dtype}, seed {a.seed} ({how})")


if __name__ == "__main__":
    main()
