#!/usr/bin/env python3
"""KV-cached batched sampling, timed: N random prompts of P tokens, T new tokens each, temperature 1, the
whole distribution (no top-k/top-p), never stopping early (no EOS stop), no grad.

--impl plain: gpt2_plain.PlainGpt2 with a preallocated KV cache: one prefill forward of the prompts (classifier on
  the last position only), then one forward per new token; each step draws with --draw:
  multinomial: torch.multinomial(softmax(logits)), what Hugging Face generate does;
  inverse-cdf: one uniform per row, searchsorted in cumsum(softmax(logits)), RiskAlign's draw. On PyTorch 1.13's CPU
  kernels multinomial over a 50k vocabulary costs several times the forward, so this is the stronger peer there.
--impl hf: transformers' GPT2LMHeadModel.generate(do_sample=True, temperature=1, top_k=0, top_p=1,
  max_new_tokens=T) with EOS stopping switched off (generation_config.eos_token_id = None).
Both make T forwards (prefill + T−1 single-token steps). tokens_per_s = N·T / seconds (new tokens only).

  /usr/bin/python3 benchmarks/peer/sample_peer.py --model /tmp/gpt2-4x256 --prompts 160 --prompt-length 8 \\
      --new-tokens 64 --threads 2
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_common import torch, setup_device, synchronize, describe_environment  # noqa: E402
from gpt2_plain import load_hf, load_plain, default_impl, have_transformers  # noqa: E402


def draw_multinomial(probs):
    return torch.multinomial(probs, 1)  # [N, 1]


def draw_inverse_cdf(probs):
    uniforms = torch.rand(probs.shape[0], 1, device=probs.device)
    cdf = probs.cumsum(-1)
    return torch.searchsorted(cdf, uniforms * cdf[:, -1:]).clamp_(max=probs.shape[1] - 1)  # [N, 1]


DRAWS = {"multinomial": draw_multinomial, "inverse-cdf": draw_inverse_cdf}


def sample_plain(model, prompts, new_tokens, temperature=1.0, draw=draw_multinomial):
    n, p = prompts.shape
    cache = model.new_cache(n, p + new_tokens)
    out = torch.empty(n, new_tokens, dtype=torch.long, device=prompts.device)
    logits = model(prompts, cache, last_only=True)[:, -1]
    for i in range(new_tokens):
        probs = torch.softmax(logits.float() / temperature, -1)
        token = draw(probs)
        out[:, i] = token[:, 0]
        if i + 1 < new_tokens:
            logits = model(token, cache)[:, -1]
    return out


def sample_hf(model, prompts, new_tokens, temperature=1.0, draw=None):
    model.generation_config.eos_token_id = None  # always T new tokens, like the plain sampler
    out = model.generate(prompts, attention_mask=torch.ones_like(prompts), do_sample=True, temperature=temperature,
                         top_k=0, top_p=1.0, max_new_tokens=new_tokens, pad_token_id=0)
    return out[:, prompts.shape[1]:]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="HF GPT-2 folder (make_checkpoint.py writes one)")
    ap.add_argument("--impl", choices=["plain", "hf"], default=None, help=f"default here: {default_impl()}")
    ap.add_argument("--prompts", type=int, default=160)
    ap.add_argument("--prompt-length", type=int, default=8)
    ap.add_argument("--new-tokens", type=int, default=64)
    ap.add_argument("--attention", choices=["eager", "sdpa"], default="eager")
    ap.add_argument("--draw", choices=sorted(DRAWS), default="multinomial", help="--impl plain only (hf: multinomial)")
    ap.add_argument("--repeats", type=int, default=1, help="timed runs after one untimed warm-up run; best is reported")
    ap.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    ap.add_argument("--threads", type=int, default=0, help="torch intra-op threads (0 = torch's default)")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()

    device = setup_device(a.device, a.threads)
    impl = a.impl or default_impl()
    if impl == "hf" and a.draw != "multinomial":
        sys.exit("error: --impl hf draws with generate's multinomial; --draw inverse-cdf needs --impl plain")
    if impl == "hf":
        if not have_transformers():
            sys.exit("error: --impl hf but transformers is not importable; use --impl plain")
        model = load_hf(a.model, a.attention, device)
        vocab, run = model.config.vocab_size, sample_hf
    else:
        model = load_plain(a.model, a.attention, device)
        vocab, run = model.config["vocab_size"], sample_plain
    model.eval()
    torch.manual_seed(a.seed)
    prompts = torch.randint(0, vocab, (a.prompts, a.prompt_length), generator=torch.Generator().manual_seed(a.seed)).to(device)
    times = []
    with torch.no_grad():
        for r in range(a.repeats + 1):
            synchronize(device)
            t0 = time.perf_counter()
            out = run(model, prompts, a.new_tokens, draw=DRAWS[a.draw])
            synchronize(device)
            if r > 0:
                times.append(time.perf_counter() - t0)
    assert out.shape == (a.prompts, a.new_tokens), out.shape
    assert int(out.min()) >= 0 and int(out.max()) < vocab
    seconds = min(times)
    print(f"# {describe_environment()}; impl {impl}, attention {a.attention}, draw {a.draw}, vocab {vocab}, "
          f"runs {', '.join(f'{t:.3f}' for t in times)} s")
    print(f"RESULT peer=pytorch-sampler impl={impl} attention={a.attention} draw={a.draw} device={device.type} sequences={a.prompts} "
          f"new_tokens={a.new_tokens} seconds={seconds:.4f} tokens_per_s={a.prompts * a.new_tokens / seconds:.1f}")


if __name__ == "__main__":
    main()
