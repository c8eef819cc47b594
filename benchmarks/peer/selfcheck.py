#!/usr/bin/env python3
"""Self-check of the peer scripts (CPU, seconds): makes a `tiny` checkpoint in a temporary folder, checks the
safetensors round trip (f32 and bf16) and that the KV-cached forward matches the full one, runs 3 training steps
of each loss (dpo, tdpo2; the first step's loss must be log 2, since policy = reference) and one sampling run, and
asserts finite outputs.   /usr/bin/python3 benchmarks/peer/selfcheck.py"""
import math
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from peer_common import torch, load_safetensors, save_safetensors  # noqa: E402
from gpt2_plain import load_plain, HAVE_SDPA  # noqa: E402
import make_checkpoint  # noqa: E402


def run(script, *args):
    cmd = [sys.executable, os.path.join(HERE, script), *map(str, args)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"FAILED: {' '.join(cmd)}\n{p.stdout}{p.stderr}")
    line = [l for l in p.stdout.splitlines() if l.startswith("RESULT ")][-1]
    print(line)
    return dict(re.findall(r"(\w+)=(\S+)", line))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "tiny")
        make_checkpoint.make(folder, *make_checkpoint.CONFIGS["tiny"], seed=1)

        # safetensors round trip through this machine's writer/reader
        t = {"a": torch.randn(3, 5), "b": torch.randn(7).to(torch.bfloat16), "c": torch.arange(4)}
        save_safetensors(t, os.path.join(tmp, "rt.safetensors"))
        back = load_safetensors(os.path.join(tmp, "rt.safetensors"))
        assert all(torch.equal(t[k], back[k]) and t[k].dtype == back[k].dtype for k in t), "safetensors round trip"

        # KV cache: prefill + single steps + a chunk == one full forward (eager, and sdpa where it exists)
        ids = torch.randint(0, 512, (3, 12))
        for attention in ["eager"] + (["sdpa"] if HAVE_SDPA else []):
            m = load_plain(folder, attention).eval()
            with torch.no_grad():
                full = m(ids)
                cache = m.new_cache(3, 12)
                parts = [m(ids[:, :5], cache), m(ids[:, 5:6], cache), m(ids[:, 6:], cache)]
            err = (torch.cat(parts, 1) - full).abs().max().item()
            assert err < 1e-4, f"KV cache mismatch ({attention}): {err}"
            print(f"kv cache ({attention}) max |diff| {err:.2e}")

        for loss in ["dpo", "tdpo2"]:
            first = run("train_step_peer.py", "--model", folder, "--impl", "plain", "--pairs", 2, "--prompt", 4,
                        "--response", 8, "--steps", 1, "--warmup", 0, "--loss", loss)
            assert abs(float(first["loss_value"]) - math.log(2)) < 1e-5, f"{loss}: first-step loss {first['loss_value']} != log 2"
            r = run("train_step_peer.py", "--model", folder, "--impl", "plain", "--pairs", 2, "--prompt", 4,
                    "--response", 8, "--steps", 3, "--warmup", 0, "--loss", loss, "--lr", 1e-3)
            for key in ("loss_value", "tokens_per_s", "median_step_ms"):
                assert math.isfinite(float(r[key])), f"{loss}: {key}={r[key]}"
            assert int(r["tokens_per_step"]) == 2 * 2 * (4 + 8 - 1)
        for draw in ("multinomial", "inverse-cdf"):
            s = run("sample_peer.py", "--model", folder, "--impl", "plain", "--prompts", 4, "--prompt-length", 3,
                    "--new-tokens", 5, "--draw", draw)
            assert math.isfinite(float(s["tokens_per_s"])) and int(s["sequences"]) == 4
    check_inverse_cdf_draw()
    print("selfcheck passed")


def check_inverse_cdf_draw():
    """The inverse-CDF draw picks a row's only token, and draws [0.2, 0.8] at those rates (4 sigma on 20000 draws)."""
    from sample_peer import draw_inverse_cdf
    from peer_common import torch
    one_hot = torch.eye(5)[[3, 0, 4]]
    assert draw_inverse_cdf(one_hot)[:, 0].tolist() == [3, 0, 4]
    torch.manual_seed(0)
    drawn = draw_inverse_cdf(torch.tensor([[0.2, 0.8]]).expand(20000, 2))
    rate = drawn.float().mean().item()
    assert abs(rate - 0.8) < 4 * (0.8 * 0.2 / 20000) ** 0.5, rate


if __name__ == "__main__":
    main()
