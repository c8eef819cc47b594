#!/usr/bin/env bash
# The GPU checks of issues 10 and 14 in one run, for a machine with PyTorch (CUDA) but no .NET: unpacks the bundle
# (build/bundle.sh), lists the devices, runs RiskAlign and the PyTorch peer side by side on a random GPT-2 124M
# (training step fp32 + eager attention, and bf16 + SDPA; WDPO against DPO; sampling 512 x 224 against Hugging Face
# generate), then a short quickstart sweep on the GPU slots. Each check writes its log under $OUT and
# $OUT/summary.md collects the tables. A failing check is recorded and the next one runs.
#
#   bash benchmarks/gpu-check.sh artifacts/riskalign-bundle.tar.xz                 # on the GPU machine
#   DEVICE=cpu SMALL=1 RISKALIGN_LIBTORCH=$HOME/.nuget/packages/libtorch-cpu-linux-x64/2.10.0/runtimes/linux-x64/native \
#     PYTHON=/usr/bin/python3 bash benchmarks/gpu-check.sh artifacts/riskalign-bundle.tar.xz   # rehearsal on CPU
set -uo pipefail
bundle=${1:?usage: gpu-check.sh BUNDLE.tar.xz}
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$PWD/gpu-check-out}
device=${DEVICE:-cuda}
python=${PYTHON:-python3}
work=$(mktemp -d /tmp/riskalign-gpu-check.XXXXXX)
mkdir -p "$out"
summary=$out/summary.md
echo "# GPU check $(date -u +%FT%TZ), device $device${SMALL:+, small shapes}" > "$summary"

# tar may lack xz support on the GPU machine; Python's tarfile has it.
"$python" -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$bundle" "$work" || { echo "cannot unpack $bundle" | tee -a "$summary"; exit 2; }
launcher=$work/riskalign/riskalign
side_by_side=$work/riskalign/benchmarks/side_by_side.py
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

check() { # NAME COMMAND...: runs one check, logs it, appends its tables (or its failure) to the summary
  local name=$1; shift
  echo "== $name" | tee -a "$summary"
  local start=$SECONDS
  "$@" > "$out/$name.log" 2>&1
  local status=$?
  grep -E '^\||^(step|sample) on|^RESULT|^CUDA|^cpu:|^libtorch|^  (cuda|cpu)' "$out/$name.log" >> "$summary"
  echo "(exit $status, $((SECONDS - start)) s; log $name.log)" | tee -a "$summary"
}

if [ -n "${SMALL:-}" ]; then
  model_args=(--layers 2 --width 128 --heads 2); step_shape=(--pairs 2 --prompt 8 --response 24 --steps 3 --warmup 1)
  sample_shape=(--prompts 16 --prompt-length 8 --new-tokens 16 --repeats 1); sweep_steps=10
else
  model_args=(--config gpt2-124m); step_shape=(--pairs 8 --prompt 32 --response 224 --steps 20 --warmup 3)
  sample_shape=(--prompts 512 --prompt-length 8 --new-tokens 224 --repeats 2); sweep_steps=120
fi
model=$work/gpt2
threads=0
[ "$device" = cpu ] && threads=2

check devices "$launcher" sweepclient devices
check checkpoint "$python" "$repo/benchmarks/peer/make_checkpoint.py" "${model_args[@]}" --out "$model"
check step-fp32-eager "$python" "$side_by_side" step --model "$model" --device "$device" --threads $threads \
  --losses dpo,tdpo2 --precision fp32 --attention eager "${step_shape[@]}" --rounds 2
check step-bf16-sdpa "$python" "$side_by_side" step --model "$model" --device "$device" --threads $threads \
  --losses dpo,tdpo2 --precision bf16 --attention sdpa "${step_shape[@]}" --rounds 2
# WDPO needs the written-out attention (double backward); the target compares it with RiskAlign's own DPO step.
for set in nominal wasserstein; do
  check "riskalign-step-dpo-$set" "$launcher" benchmarks step --model "$model" --device "$device" --threads $threads \
    --loss dpo --set $set --attention auto "${step_shape[@]}"
done
impl=hf
"$python" -c 'import transformers' 2>/dev/null || impl=plain
check "sample-$impl" "$python" "$side_by_side" sample --model "$model" --device "$device" --threads $threads \
  --impl $impl --draws multinomial "${sample_shape[@]}"

spec=$work/quickstart-gpu.json
gpu_device=gpu
[ "$device" = cpu ] && gpu_device=cpu
"$python" - "$repo/plugins-config/sweeps/quickstart.json" "$spec" "$gpu_device" "$sweep_steps" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
spec["name"] = "quickstart-" + sys.argv[3]
spec["training"].update(device=sys.argv[3], steps=int(sys.argv[4]), eval_every=max(1, int(sys.argv[4]) // 3))
json.dump(spec, open(sys.argv[2], "w"), indent=2)
PY
check quickstart-sweep bash -c "cd '$work/riskalign' && '$launcher' sweepclient run '$spec' --out '$out/quickstart'"
echo "done: $summary"
