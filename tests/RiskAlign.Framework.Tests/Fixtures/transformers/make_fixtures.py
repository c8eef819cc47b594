#!/usr/bin/env python3
"""Writes the transformers fixtures that RiskAlign's TransformersFixtureTests compare against.

Each fixture folder holds what transformers' own classes wrote: config.json, generation_config.json and model.safetensors
from `save_pretrained`, plus expected.json with what transformers' forward (or greedy `generate`) produced. See README.md
beside this script for the transformers version and how the Python environment was built.

Usage: python3 make_fixtures.py [--out DIR] [--gpt2-tokenizer DIR]
  --out             where to write the fixture folders (default: this script's folder)
  --gpt2-tokenizer  folder with GPT-2's vocab.json and merges.txt (default: $RISKALIGN_ASSETS/tokenizers/gpt2, else
                    ../shared/assets/tokenizers/gpt2 beside the repository); never copied into the fixtures.
"""
import argparse
import json
import os
import sys

import torch
import transformers
from transformers import (GPT2Config, GPT2LMHeadModel, GPT2Tokenizer, GPTNeoXConfig, GPTNeoXForCausalLM, LlamaConfig,
                          LlamaForCausalLM, MistralConfig, MistralForCausalLM, Qwen2Config, Qwen2ForCausalLM)

if not transformers.utils.is_tokenizers_available():
    # transformers 4.44's stand-in AddedToken (used when the Rust `tokenizers` is absent) lacks two things the slow
    # GPT2Tokenizer's constructor calls: it is an eq=True dataclass, so unhashable, and has no __setstate__. Give it
    # both as tokenizers' AddedToken has them (hash by content; setstate updates the fields). Nothing else changes.
    transformers.tokenization_utils_base.AddedToken.__hash__ = lambda self: hash(self.content)
    transformers.tokenization_utils_base.AddedToken.__setstate__ = lambda self, state: self.__dict__.update(state)

STD = 0.2  # weights ~ N(0, STD²); norm weights 1 + N(0, STD²); biases N(0, STD²): logits then move visibly when the maths is off
VOCAB, WIDTH, LAYERS, HEADS = 48, 32, 2, 4
# 20 fixed input ids (every fixture sees the same sequence, longer than Mistral's window of 6)
IDS = [3, 17, 45, 0, 8, 8, 21, 5, 30, 11, 2, 44, 47, 1, 27, 36, 9, 38, 14, 40]
PROMPTS = ["Hello, my dog is cute", "The quick brown fox", "In 1905, Einstein published"]


def randomise(model, seed):
    """Re-initialises every parameter with a seeded generator: nothing is left at 0 or 1 where a wrong formula could hide."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=g) * STD
            is_norm_weight = name.endswith(".weight") and p.dim() == 1
            p.copy_(1 + noise if is_norm_weight else noise)
    return model.eval()


def llama_like(cls_config, **extra):
    base = dict(vocab_size=VOCAB, hidden_size=WIDTH, intermediate_size=32, num_hidden_layers=LAYERS,
                num_attention_heads=HEADS, num_key_value_heads=2, max_position_embeddings=128, rms_norm_eps=1e-6)
    base.update(extra)
    return cls_config(**base)


def neox(rotary_pct, parallel, rope_scaling=None):
    return GPTNeoXConfig(vocab_size=VOCAB, hidden_size=WIDTH, intermediate_size=32, num_hidden_layers=LAYERS,
                         num_attention_heads=HEADS, max_position_embeddings=128, rotary_pct=rotary_pct,
                         rotary_emb_base=10000, use_parallel_residual=parallel, layer_norm_eps=1e-5, hidden_act="gelu",
                         rope_scaling=rope_scaling)


# name → (model class, config, what the fixture proves)
LOGIT_FIXTURES = {
    "gpt2": (GPT2LMHeadModel, GPT2Config(vocab_size=VOCAB, n_embd=WIDTH, n_layer=LAYERS, n_head=HEADS, n_positions=64,
                                         n_inner=32, activation_function="gelu_new"),
             "GPT-2: Conv1D weights, learned positions, tanh GELU, tied lm_head"),
    "gpt_neox-rotary0.25-parallel": (GPTNeoXForCausalLM, neox(0.25, True), "GPT-NeoX, rotary on a quarter of each head, parallel residual"),
    "gpt_neox-rotary0.25-sequential": (GPTNeoXForCausalLM, neox(0.25, False), "GPT-NeoX, rotary 0.25, sequential residual"),
    "gpt_neox-rotary1.0-parallel": (GPTNeoXForCausalLM, neox(1.0, True), "GPT-NeoX, rotary on the whole head, parallel residual"),
    "llama-gqa-theta500000": (LlamaForCausalLM, llama_like(LlamaConfig, rope_theta=500000.0),
                              "Llama, 4 query heads on 2 key/value heads, rope_theta 500000"),
    "llama-gqa-llama3-scaling": (LlamaForCausalLM, llama_like(LlamaConfig, rope_theta=500000.0, rope_scaling={
        "rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
        "original_max_position_embeddings": 16}), "Llama 3 RoPE scaling (wavelengths past 16 positions scaled)"),
    "llama-gqa-linear-scaling": (LlamaForCausalLM, llama_like(LlamaConfig, rope_scaling={"rope_type": "linear", "factor": 4.0}),
                                 "Llama, linear RoPE scaling by 4"),
    "qwen2-untied": (Qwen2ForCausalLM, llama_like(Qwen2Config, rope_theta=1000000.0, tie_word_embeddings=False),
                     "Qwen2: q/k/v biases, untied lm_head"),
    "qwen2-tied": (Qwen2ForCausalLM, llama_like(Qwen2Config, rope_theta=1000000.0, tie_word_embeddings=True),
                   "Qwen2: q/k/v biases, lm_head tied to the embeddings"),
    "mistral-sliding-window6": (MistralForCausalLM, llama_like(MistralConfig, sliding_window=6),
                                "Mistral, sliding window of 6 keys over a 20-token input"),
    # transformers 4.44's GPT-NeoX takes linear scaling only as exactly {"type", "factor"} with a float factor
    "gpt_neox-rotary1.0-linear-scaling": (GPTNeoXForCausalLM, neox(1.0, True, {"type": "linear", "factor": 2.0}),
                                          "GPT-NeoX, linear RoPE scaling by 2"),
}


def write_json(path, value):
    """One key per line; a list of numbers (a logit row, an id list) stays on one line."""
    def dump(v, indent):
        if isinstance(v, dict):
            pad = " " * (indent + 1)
            items = [f"{pad}{json.dumps(k)}: {dump(x, indent + 1)}" for k, x in v.items()]
            return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
        if isinstance(v, list) and v and isinstance(v[0], (dict, list)):
            pad = " " * (indent + 1)
            return "[\n" + ",\n".join(pad + dump(x, indent + 1) for x in v) + "\n" + " " * indent + "]"
        return json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    with open(path, "w", encoding="utf-8") as f:
        f.write(dump(value, 0) + "\n")


def make_logit_fixture(out, name, cls, config, proves, seed):
    torch.manual_seed(seed)
    model = randomise(cls(config), seed)
    folder = os.path.join(out, name)
    model.save_pretrained(folder, safe_serialization=True)
    # reload what was written, so the logits belong to the files exactly as stored
    model = cls.from_pretrained(folder, torch_dtype=torch.float32).eval()
    with torch.no_grad():
        logits = model(torch.tensor([IDS])).logits[0]  # [T, V]
    write_json(os.path.join(folder, "expected.json"), {
        "proves": proves, "transformers": transformers.__version__, "torch": torch.__version__, "seed": seed,
        "input_ids": IDS, "logits": [[float(f"{x:.8g}") for x in row] for row in logits.tolist()],
    })


def make_greedy_fixture(out, tokenizer_folder, seed):
    tokenizer = GPT2Tokenizer(os.path.join(tokenizer_folder, "vocab.json"), os.path.join(tokenizer_folder, "merges.txt"))
    # width 8 keeps the float16 file at 0.8 MB; seed 7 gives varied text whose top-2 logit gap stays above 0.004
    config = GPT2Config(vocab_size=50257, n_embd=8, n_layer=2, n_head=2, n_positions=64, n_inner=32,
                        activation_function="gelu_new")
    torch.manual_seed(seed)
    model = randomise(GPT2LMHeadModel(config), seed)
    with torch.no_grad():
        for p in model.parameters():  # round to float16 so the file can be stored as F16 without changing the model
            p.copy_(p.half().float())
    folder = os.path.join(out, "gpt2-greedy-full-vocab")
    model.half().save_pretrained(folder, safe_serialization=True)
    model = GPT2LMHeadModel.from_pretrained(folder, torch_dtype=torch.float32).eval()
    cases = []
    for prompt in PROMPTS:
        prompt_ids = tokenizer(prompt)["input_ids"]  # no BOS: GPT-2's tokenizer adds none
        with torch.no_grad():
            output = model.generate(torch.tensor([prompt_ids]), attention_mask=torch.ones(1, len(prompt_ids), dtype=torch.long),
                                    do_sample=False, max_new_tokens=20, pad_token_id=tokenizer.eos_token_id,
                                    output_scores=True, return_dict_in_generate=True)
        ids = output.sequences[0].tolist()
        gaps = [float((s[0].topk(2).values[0] - s[0].topk(2).values[1])) for s in output.scores]
        cases.append({
            "prompt": prompt, "prompt_ids": prompt_ids, "new_ids": ids[len(prompt_ids):],
            # decode of the whole sequence, without transformers 4's optional clean-up of spaces before punctuation
            "text": tokenizer.decode(ids, clean_up_tokenization_spaces=False),
            "smallest_top2_logit_gap": min(gaps),
        })
    write_json(os.path.join(folder, "expected.json"), {
        "proves": "greedy generate (do_sample=False, max_new_tokens=20) of GPT-2 with its real 50257-token BPE",
        "transformers": transformers.__version__, "torch": torch.__version__, "seed": seed,
        "tokenizer": "GPT2Tokenizer (slow) from tokenizers/gpt2/vocab.json + merges.txt of the shared assets", "cases": cases,
    })


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=here)
    default_assets = os.environ.get("RISKALIGN_ASSETS") or os.path.join(here, *[".."] * 5, "..", "shared", "assets")
    parser.add_argument("--gpt2-tokenizer", default=os.path.join(default_assets, "tokenizers", "gpt2"))
    args = parser.parse_args()
    torch.set_num_threads(1)
    for seed, (name, (cls, config, proves)) in enumerate(LOGIT_FIXTURES.items(), start=100):
        make_logit_fixture(args.out, name, cls, config, proves, seed)
        print("wrote", name, file=sys.stderr)
    make_greedy_fixture(args.out, os.path.abspath(args.gpt2_tokenizer), seed=7)
    print("wrote gpt2-greedy-full-vocab", file=sys.stderr)


if __name__ == "__main__":
    main()
