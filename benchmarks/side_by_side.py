#!/usr/bin/env python3
"""RiskAlign and its PyTorch peer on the same checkpoint and shapes, in one run, with the ratio.

  step:   benchmarks/peer/train_step_peer.py against RiskAlign.Benchmarks `step` (the real PreferenceTrainer), for every
          loss x thread count; ratio = RiskAlign tokens/s / PyTorch tokens/s (target >= 1.0 on CPU, issue 10).
  sample: benchmarks/peer/sample_peer.py (each --draws) against RiskAlign.Benchmarks `sample`, for every thread count;
          ratio = RiskAlign seconds / PyTorch seconds (target <= 1.5 on CPU, issue 14).

Rounds alternate which side runs first, so a load that changes during the run hits both alike; every RESULT line is
printed as it comes, then a Markdown table (the ratio of the medians over rounds, and the range of the per-round
ratios). The peer runs on the python3 running this script (Debian: /usr/bin/python3 with python3-torch and
libopenblas0-pthread).

  /usr/bin/python3 benchmarks/side_by_side.py step --model /tmp/gpt2-4x256 --losses dpo,tdpo2 --threads 1,2
  /usr/bin/python3 benchmarks/side_by_side.py sample --model /tmp/gpt2-4x256 --threads 1,2
  # in an unpacked bundle (build/bundle.sh), which runs RiskAlign through its launcher, on a GPU machine:
  python3 riskalign/benchmarks/side_by_side.py step --model /tmp/gpt2-124m --device cuda --precision bf16 --attention sdpa
"""
import argparse
import os
import re
import shlex
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BUNDLE_LAUNCHER = os.path.join(os.path.dirname(HERE), "riskalign")  # inside an unpacked build/bundle.sh tarball
DEFAULT_RISKALIGN = (f"{BUNDLE_LAUNCHER} benchmarks" if os.path.isfile(BUNDLE_LAUNCHER)
                     else f"dotnet run -c Release --no-build --project {os.path.join(HERE, 'RiskAlign.Benchmarks')} --")


def run(command):
    """Runs one side; returns its RESULT line's fields. Context lines (#) and the RESULT line are echoed."""
    print("$ " + " ".join(shlex.quote(c) for c in command), flush=True)
    p = subprocess.run(command, capture_output=True, text=True)
    for line in p.stdout.splitlines():
        if line.startswith(("#", "RESULT ")):
            print("  " + line, flush=True)
    results = [line for line in p.stdout.splitlines() if line.startswith("RESULT ")]
    if p.returncode != 0 or not results:
        sys.exit(f"error: exit code {p.returncode}, no RESULT line from: {' '.join(command)}\n{p.stdout[-2000:]}{p.stderr[-2000:]}")
    return dict(re.findall(r"(\w+)=(\S+)", results[-1]))


def step_configs(a):
    shape = ["--pairs", a.pairs, "--prompt", a.prompt, "--response", a.response, "--steps", a.steps, "--warmup", a.warmup,
             "--precision", a.precision, "--attention", a.attention, "--device", a.device]
    for loss in a.losses.split(","):
        for threads in a.threads.split(","):
            common = [str(x) for x in ["--model", a.model, *shape, "--loss", loss, "--threads", threads]]
            peer = [sys.executable, os.path.join(HERE, "peer", "train_step_peer.py"), *common, "--reference", "forward"]
            ours = [*shlex.split(a.riskalign), "step", *common]
            yield f"{loss}, {threads} thread(s)", {"PyTorch": peer}, ours


def sample_configs(a):
    shape = ["--model", a.model, "--prompts", a.prompts, "--prompt-length", a.prompt_length, "--new-tokens", a.new_tokens,
             "--repeats", a.repeats, "--device", a.device]
    for threads in a.threads.split(","):
        common = [str(x) for x in [*shape, "--threads", threads]]
        peers = {f"PyTorch {a.impl} {draw}": [sys.executable, os.path.join(HERE, "peer", "sample_peer.py"), *common,
                                               "--impl", a.impl, "--draw", draw]
                 for draw in a.draws.split(",")}
        yield f"{a.prompts} x {a.new_tokens}, {threads} thread(s)", peers, [*shlex.split(a.riskalign), "sample", *common]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["step", "sample"])
    ap.add_argument("--model", required=True, help="Hugging Face GPT-2 folder (peer/make_checkpoint.py writes one)")
    ap.add_argument("--threads", default="1,2", help="comma-separated torch thread counts (CPU)")
    ap.add_argument("--rounds", type=int, default=1, help="rounds; each runs every configuration once per side")
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    ap.add_argument("--riskalign", default=DEFAULT_RISKALIGN, help="command that runs RiskAlign.Benchmarks (default: %(default)s)")
    step = ap.add_argument_group("step")
    step.add_argument("--losses", default="dpo,tdpo2")
    step.add_argument("--pairs", type=int, default=4)
    step.add_argument("--prompt", type=int, default=16)
    step.add_argument("--response", type=int, default=48)
    step.add_argument("--steps", type=int, default=12)
    step.add_argument("--warmup", type=int, default=2)
    step.add_argument("--precision", default="fp32", choices=["fp32", "bf16", "tf32"])
    step.add_argument("--attention", default="eager", choices=["eager", "sdpa"])
    sample = ap.add_argument_group("sample")
    sample.add_argument("--prompts", type=int, default=160)
    sample.add_argument("--prompt-length", type=int, default=8)
    sample.add_argument("--new-tokens", type=int, default=64)
    sample.add_argument("--repeats", type=int, default=2)
    sample.add_argument("--draws", default="inverse-cdf,multinomial", help="the peer's draws (--impl hf: multinomial only)")
    sample.add_argument("--impl", default="plain", choices=["plain", "hf"], help="the sampling peer: plain GPT-2 or HF generate")
    a = ap.parse_args()
    if a.rounds < 1:
        ap.error("--rounds must be >= 1")
    if not os.path.isdir(a.model):
        ap.error(f"--model {a.model}: no such folder (benchmarks/peer/make_checkpoint.py writes one)")

    configs = list(step_configs(a) if a.mode == "step" else sample_configs(a))
    measured = {}  # (config, side) -> [value per round]
    for r in range(a.rounds):
        for name, peers, ours in configs:
            sides = [*peers.items(), ("RiskAlign", ours)]
            for side, command in (sides if r % 2 == 0 else sides[::-1]):
                fields = run(command)
                value = float(fields["tokens_per_s"] if a.mode == "step" else fields["seconds"])
                measured.setdefault((name, side), []).append(value)

    unit = "tokens/s" if a.mode == "step" else "s"
    print(f"\n{a.mode} on {a.model}, {a.device}, {a.rounds} round(s); median over rounds"
          + (f"; {a.precision}, {a.attention} attention" if a.mode == "step" else ""))
    print("| configuration | peer | peer's figure | RiskAlign | RiskAlign / peer (range over rounds) |")
    print("|---|---|---|---|---|")
    for name, peers, _ in configs:
        ours = measured[(name, "RiskAlign")]
        for side in peers:
            theirs = measured[(name, side)]
            per_round = [o / t for o, t in zip(ours, theirs)]
            target = "higher is better" if a.mode == "step" else "lower is better"
            print(f"| {name} | {side} | {statistics.median(theirs):.4g} {unit} | {statistics.median(ours):.4g} {unit} | "
                  f"**{statistics.median(ours) / statistics.median(theirs):.2f}x** ({min(per_round):.2f}-{max(per_round):.2f}; {target}) |")


if __name__ == "__main__":
    main()
