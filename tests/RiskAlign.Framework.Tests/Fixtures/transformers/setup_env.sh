#!/bin/bash
# Builds the Python environment make_fixtures.py ran in (see README.md): Debian's CPU PyTorch, transformers and
# huggingface_hub from their source trees, and the pure-Python stand-ins in pyshim/ for the two Rust packages.
# Usage: setup_env.sh TRANSFORMERS_SRC HUB_SRC [ENV_DIR]
#   TRANSFORMERS_SRC  a checkout of huggingface/transformers at tag v4.44.2 (its src/transformers is used)
#   HUB_SRC           a checkout of huggingface/huggingface_hub at tag v0.24.6
#   ENV_DIR           where to build it (default /tmp/tfenv); then run: PYTHONPATH=ENV_DIR/site /usr/bin/python3 make_fixtures.py
set -euo pipefail
tf=$(realpath "$1"); hub=$(realpath "$2"); env=${3:-/tmp/tfenv}
here=$(dirname "$(realpath "$0")")
apt-get install -y python3-torch libopenblas0-pthread python3-numpy python3-regex python3-yaml python3-packaging \
  python3-filelock python3-requests python3-tqdm python3-fsspec
mkdir -p "$env/site"
ln -sfn "$tf/src/transformers" "$env/site/transformers"
ln -sfn "$hub/src/huggingface_hub" "$env/site/huggingface_hub"
cp -r "$here/pyshim/safetensors" "$here/pyshim/tokenizers" "$env/site/"
# transformers checks its dependencies' versions through package metadata; `tokenizers` gets none on purpose, so
# transformers sees it as absent and uses only the slow, pure-Python tokenizers.
for p in "huggingface_hub 0.24.6" "safetensors 0.4.3+pureshim" "transformers 4.44.2"; do
  set -- $p
  mkdir -p "$env/site/$1-$2.dist-info"
  printf 'Metadata-Version: 2.1\nName: %s\nVersion: %s\n' "$1" "$2" > "$env/site/$1-$2.dist-info/METADATA"
done
PYTHONPATH="$env/site" /usr/bin/python3 -c "import transformers, torch; print('transformers', transformers.__version__, 'torch', torch.__version__)"
