#!/usr/bin/env python3
"""RiskAlign's preference-optimisation training step, written in plain PyTorch, timed.

One step (as RiskAlign's PreferenceTrainer with the nominal uncertainty set):
  ids, labels, mask [2B, T]   rows 0..B-1 chosen, B..2B-1 rejected (same prompts); a sequence s = prompt ++ response
                              of n = P+R tokens gives inputs s[0..n-2], labels s[1..n-1], mask 1 where the label is a
                              response token (PreferenceBatchBuilder), so T = P+R-1
  policy logits [2B, T, V]    forward with grad (under autocast for --precision bf16)
  reference logits            frozen copy of the initial policy, no grad, every step (--reference forward, default) or
                              computed once for the whole pair pool before timing (--reference cached: what RiskAlign's
                              PairTensors does when the pool's logits fit in 256 MiB)
  log-probs                   log_softmax in float32 (PreferenceBatch widens half-precision logits), gather of the
                              labels, × mask, summed over T: M = Σ log π − Σ log π_ref  [2B]
  dpo                         −logσ(β (M_c − M_r)),                        β 0.1 (label smoothing 0)
  tdpo2                       −logσ(β ((M_c − M_r) − α (K_r − sg(K_c)))),  β 0.1, α 0.5, with
                              K = Σ_t Σ_v π_ref (log π_ref − log π) · mask, the full-vocabulary per-token KL
  objective                   mean over the B pairs; loss.item() (RiskAlign checks it is finite)
  backward, clip_grad_norm_(1.0) (its value read back and checked), linear LR warm-up, AdamW(lr, weight_decay 0.0)
RiskAlign passes weight_decay explicitly from TrainingSettings.WeightDecay, whose default is 0.0 (TorchSharp's and
PyTorch's AdamW default, 0.01, does not apply), so --weight-decay defaults to 0.0. AdamW betas/eps are the defaults
of both (0.9, 0.999, 1e-8).

Throughput: RiskAlign's trainer adds ids.numel() = 2B·T = 2B·(P+R−1) input tokens per step and divides by the
training clock; tokens_per_s here is the same count over the timed steps' total wall time (warm-up steps excluded).

  /usr/bin/python3 benchmarks/peer/train_step_peer.py --model /tmp/gpt2-4x256 --pairs 4 --prompt 16 --response 48 \\
      --steps 10 --warmup 2 --loss dpo --threads 2
"""
import argparse
import os
import statistics
import sys
import time
from contextlib import nullcontext

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_common import torch, setup_device, synchronize, peak_memory_bytes, describe_environment  # noqa: E402
from gpt2_plain import load_model, default_impl  # noqa: E402

import torch.nn.functional as F  # noqa: E402


def make_pairs(n_pairs, prompt, response, vocab, seed, device):
    """n_pairs random pairs as RiskAlign's PreferenceBatchBuilder lays them out: chosen ids/labels/mask [N, T] and
    rejected ids/labels/mask [N, T], T = prompt + response − 1 (all rows the same length, so no padding)."""
    g = torch.Generator().manual_seed(seed)
    prompts = torch.randint(0, vocab, (n_pairs, prompt), generator=g)
    halves = []
    for _ in range(2):  # chosen, rejected: same prompts, different responses
        s = torch.cat([prompts, torch.randint(0, vocab, (n_pairs, response), generator=g)], 1)  # [N, P+R]
        mask = torch.zeros(n_pairs, prompt + response - 1)
        mask[:, prompt - 1:] = 1.0  # label index j+1 >= prompt
        halves.append((s[:, :-1].to(device), s[:, 1:].to(device), mask.to(device)))
    return halves


def sequence_terms(policy_logits, reference_logits, labels, mask, need_kl):
    """M [2B] (summed response log-ratio) and, for TDPO, K [2B] (summed full-vocabulary KL(π_ref ‖ π))."""
    logp = F.log_softmax(policy_logits.float(), -1)
    ref_logp = F.log_softmax(reference_logits.float(), -1)
    idx = labels.unsqueeze(-1)
    tok = logp.gather(-1, idx).squeeze(-1) * mask
    ref_tok = ref_logp.gather(-1, idx).squeeze(-1) * mask
    m = tok.sum(1) - ref_tok.sum(1)
    if not need_kl:
        return m, None
    k = ((ref_logp.exp() * (ref_logp - logp)).sum(-1) * mask).sum(1)
    return m, k


def preference_loss(kind, m, k, b, beta, alpha):
    h = m[:b] - m[b:]
    if kind == "dpo":
        per_pair = -F.logsigmoid(beta * h)
    else:  # tdpo2: no gradient through the chosen sequential KL
        per_pair = -F.logsigmoid(beta * (h - alpha * (k[b:] - k[:b].detach())))
    return per_pair.mean()  # nominal uncertainty set


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="HF GPT-2 folder (make_checkpoint.py writes one)")
    ap.add_argument("--impl", choices=["plain", "hf"], default=None, help=f"default here: {default_impl()}")
    ap.add_argument("--pairs", type=int, default=8, help="B, pairs per step (2B sequences)")
    ap.add_argument("--prompt", type=int, default=32)
    ap.add_argument("--response", type=int, default=224)
    ap.add_argument("--steps", type=int, default=20, help="timed steps")
    ap.add_argument("--warmup", type=int, default=3, help="untimed steps before the timed ones")
    ap.add_argument("--loss", choices=["dpo", "tdpo2"], default="dpo")
    ap.add_argument("--beta", type=float, default=0.1)
    ap.add_argument("--alpha", type=float, default=0.5)
    ap.add_argument("--lr", type=float, default=1e-6)
    ap.add_argument("--weight-decay", type=float, default=0.0)
    ap.add_argument("--lr-warmup", type=int, default=0, help="linear learning-rate warm-up steps (RiskAlign warmup_steps)")
    ap.add_argument("--max-grad-norm", type=float, default=1.0)
    ap.add_argument("--precision", choices=["fp32", "bf16", "tf32"], default="fp32")
    ap.add_argument("--attention", choices=["eager", "sdpa"], default="eager")
    ap.add_argument("--reference", choices=["forward", "cached"], default="forward")
    ap.add_argument("--pool", type=int, default=0, help="pairs in the data pool (default 4·pairs); batches cycle through it")
    ap.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    ap.add_argument("--threads", type=int, default=0, help="torch intra-op threads (0 = torch's default)")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()

    device = setup_device(a.device, a.threads)
    torch.manual_seed(a.seed)
    if device.type == "cuda":
        tf32 = a.precision == "tf32"
        torch.backends.cuda.matmul.allow_tf32 = tf32
        torch.backends.cudnn.allow_tf32 = tf32
    elif a.precision == "tf32":
        sys.exit("error: --precision tf32 is a CUDA (Ampere or later) mode; on the CPU use fp32 or bf16")
    autocast = (torch.autocast(device_type=device.type, dtype=torch.bfloat16) if a.precision == "bf16" else nullcontext())

    policy, impl = load_model(a.model, a.impl, a.attention, device, torch.float32)  # fp32 master weights
    reference, _ = load_model(a.model, impl, a.attention, device, torch.float32)
    policy.train()
    reference.eval()
    for p in reference.parameters():
        p.requires_grad_(False)
    vocab = policy.hf.config.vocab_size if impl == "hf" else policy.config["vocab_size"]

    b = a.pairs
    pool = a.pool or 4 * b
    (c_ids, c_lab, c_mask), (r_ids, r_lab, r_mask) = make_pairs(pool, a.prompt, a.response, vocab, a.seed, device)
    ref_c = ref_r = None
    if a.reference == "cached":
        with torch.no_grad(), autocast:
            ref_c = torch.cat([reference(c_ids[i:i + 64]).float() for i in range(0, pool, 64)])
            ref_r = torch.cat([reference(r_ids[i:i + 64]).float() for i in range(0, pool, 64)])
    order_gen = torch.Generator().manual_seed(a.seed + 1)
    order, position = torch.empty(0, dtype=torch.long), 0

    def next_indices():  # epoch-wise shuffled pair indices (RiskAlign's DataOrder)
        nonlocal order, position
        out = []
        for _ in range(b):
            if position == len(order):
                order, position = torch.randperm(pool, generator=order_gen), 0
            out.append(int(order[position]))
            position += 1
        return torch.tensor(out, device=device)

    optimizer = torch.optim.AdamW(policy.parameters(), lr=a.lr, weight_decay=a.weight_decay)
    need_kl = a.loss == "tdpo2"
    step_ms, loss_value, tokens_per_step = [], float("nan"), 0
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
    for step in range(a.warmup + a.steps):
        synchronize(device)
        t0 = time.perf_counter()
        idx = next_indices()
        ids = torch.cat([c_ids.index_select(0, idx), r_ids.index_select(0, idx)])      # [2B, T]
        labels = torch.cat([c_lab.index_select(0, idx), r_lab.index_select(0, idx)])
        mask = torch.cat([c_mask.index_select(0, idx), r_mask.index_select(0, idx)])
        with autocast:
            logits = policy(ids)                                                        # [2B, T, V]
            if ref_c is None:
                with torch.no_grad():
                    ref_logits = reference(ids)
            else:
                ref_logits = torch.cat([ref_c.index_select(0, idx), ref_r.index_select(0, idx)])
        m, k = sequence_terms(logits, ref_logits.detach(), labels, mask, need_kl)
        loss = preference_loss(a.loss, m, k, b, a.beta, a.alpha)
        loss_value = loss.item()
        if loss_value != loss_value or abs(loss_value) == float("inf"):
            sys.exit(f"error: the loss became {loss_value} at step {step + 1}")
        optimizer.zero_grad()
        loss.backward()
        if a.max_grad_norm > 0:
            norm = float(torch.nn.utils.clip_grad_norm_(policy.parameters(), a.max_grad_norm))
            if norm != norm or norm == float("inf"):
                sys.exit(f"error: the gradient norm became {norm} at step {step + 1}")
        warm = min(1.0, (step + 1.0) / a.lr_warmup) if a.lr_warmup > 0 else 1.0
        for group in optimizer.param_groups:
            group["lr"] = a.lr * warm
        optimizer.step()
        synchronize(device)
        tokens_per_step = ids.numel()  # 2B·(P+R−1), as RiskAlign's trainer counts
        if step >= a.warmup:
            step_ms.append((time.perf_counter() - t0) * 1000.0)

    total_s = sum(step_ms) / 1000.0
    tps = tokens_per_step * len(step_ms) / total_s if total_s > 0 else float("nan")
    median = statistics.median(step_ms) if step_ms else float("nan")
    print(f"# {describe_environment()}; impl {impl}, {a.loss}, B={b}, T={a.prompt + a.response - 1}, "
          f"vocab {vocab}, reference {a.reference}, steps {a.steps} timed + {a.warmup} warm-up")
    if step_ms:
        print(f"# step ms: min {min(step_ms):.1f}, median {median:.1f}, max {max(step_ms):.1f}")
    print(f"RESULT peer=pytorch impl={impl} loss={a.loss} loss_value={loss_value:.6f} precision={a.precision} "
          f"attention={a.attention} device={device.type} pairs={b} tokens_per_step={tokens_per_step} "
          f"tokens_per_s={tps:.1f} median_step_ms={median:.2f} peak_mem_bytes={peak_memory_bytes(device)}")


if __name__ == "__main__":
    main()
