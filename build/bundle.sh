#!/usr/bin/env bash
# Builds a tarball that runs RiskAlign on a machine with Python/PyTorch (CPU or CUDA) but no .NET SDK:
#   riskalign/dotnet/         the .NET runtime (Microsoft.NETCore.App, and Microsoft.AspNetCore.App for the dashboard;
#                             debugger and standalone-GC files dropped)
#   riskalign/app/            framework-dependent SweepClient, Silo and RiskAlign.Benchmarks, with TorchSharp's
#                             libLibTorchSharp.so and no libtorch
#   riskalign/benchmarks/     the PyTorch peer scripts and side_by_side.py (RiskAlign against PyTorch, with the ratio)
#   riskalign/artifacts/plugins/, riskalign/plugins-config/   the plugins and plugins.json/sweeps, where plugins.json expects them
#   riskalign/riskalign       the launcher: finds libtorch, sets the library path, runs `sweepclient ARGS`, `silo ARGS`,
#                             `benchmarks ARGS` or `exec CMD`
# The app is published with the default backend and then stripped of every libtorch file and its deps.json entries:
# the same layout `-p:TorchBackend=system` gives, without a second restore in this worktree.
# Usage: build/bundle.sh [OUT.tar.xz]   (default artifacts/riskalign-bundle.tar.xz)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/artifacts/riskalign-bundle.tar.xz}
work=$(mktemp -d /tmp/riskalign-bundle.XXXXXX)
trap 'rm -rf "$work"' EXIT
root=$work/riskalign
mkdir -p "$root/app"

echo "publishing SweepClient, Silo and the benchmarks (Release, framework-dependent)..."
for project in SweepClient Silo benchmarks/RiskAlign.Benchmarks; do
  dotnet publish "$repo/$project" -c Release -r linux-x64 --self-contained false -v q -o "$root/app" -p:GenerateDocumentationFile=false >/dev/null
done
echo "building plugins (Release)..."
for plugin in "$repo"/Plugins/RiskAlign.Plugins.*/; do dotnet build "$plugin" -c Release -v q >/dev/null; done

# No libtorch inside: the launcher loads the user's (RISKALIGN_LIBTORCH or python3's torch).
( cd "$root/app" && rm -f libtorch*.so libc10*.so libshm.so libgomp*.so* lib*test*.so libaoti_custom_ops.so libnnapi_backend.so libbackend_with_compiler.so )
# Roslyn (pulled in by Orleans' code generator, unused at run time) and localized resources.
( cd "$root/app" && rm -f Microsoft.CodeAnalysis*.dll && for d in */; do case ${d%/} in ??|??-*) rm -rf "$d" ;; esac; done )
python3 - "$root/app" <<'PY'
import json, os, sys, re
app = sys.argv[1]
gone = lambda name: not os.path.exists(os.path.join(app, os.path.basename(name)))
for deps in [f for f in os.listdir(app) if f.endswith('.deps.json')]:
    path = os.path.join(app, deps)
    data = json.load(open(path))
    for target in data['targets'].values():
        for lib in target.values():
            for kind in ('runtime', 'native', 'resources'):
                if kind in lib:
                    lib[kind] = {k: v for k, v in lib[kind].items() if not gone(k)}
                    if not lib[kind]: del lib[kind]
    json.dump(data, open(path, 'w'), indent=2)
PY

echo "copying the .NET runtime..."
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
runtime=$(ls -d "$dotnet_root"/shared/Microsoft.NETCore.App/10.* | sort -V | tail -1)
mkdir -p "$root/dotnet/shared/Microsoft.NETCore.App"
cp "$dotnet_root/dotnet" "$root/dotnet/"
cp -r "$dotnet_root/host" "$root/dotnet/"
cp -r "$runtime" "$root/dotnet/shared/Microsoft.NETCore.App/"
# The apps that serve the dashboard (SweepClient, Silo) also run on ASP.NET Core's shared framework.
if grep -q '"Microsoft.AspNetCore.App"' "$root"/app/*.runtimeconfig.json; then
  aspnet=$(ls -d "$dotnet_root"/shared/Microsoft.AspNetCore.App/10.* | sort -V | tail -1)
  mkdir -p "$root/dotnet/shared/Microsoft.AspNetCore.App"
  cp -r "$aspnet" "$root/dotnet/shared/Microsoft.AspNetCore.App/"
fi
fx=$root/dotnet/shared/Microsoft.NETCore.App/$(basename "$runtime")
( cd "$fx" && rm -f libmscordaccore.so libmscordbi.so createdump libclrgc*.so libcoreclrtraceptprovider.so )

mkdir -p "$root/artifacts/plugins"
cp -r "$repo"/artifacts/plugins/RiskAlign.Plugins.* "$root/artifacts/plugins/"

# Framework assemblies that no app or plugin assembly references, directly or through the frameworks (Blazor, MVC
# views, SignalR, Identity, WCF-era facades, ...: about 21 MB), stay out; each framework's deps.json follows.
echo "leaving out unreferenced framework assemblies..."
dotnet run "$repo/build/unreferenced_framework_assemblies.cs" -- "$root/app" "$root/artifacts/plugins" \
  -- "$root"/dotnet/shared/*/*/ > "$work/unreferenced.txt"
xargs -r rm -f < "$work/unreferenced.txt"
python3 - "$root"/dotnet/shared/*/*/ <<'PY'
import glob, json, os, sys
for fx in sys.argv[1:]:
    for path in glob.glob(os.path.join(fx, '*.deps.json')):
        data = json.load(open(path))
        for target in data['targets'].values():
            for lib in target.values():
                for kind in ('runtime', 'native'):
                    if kind in lib:
                        lib[kind] = {k: v for k, v in lib[kind].items() if os.path.exists(os.path.join(fx, os.path.basename(k)))}
        json.dump(data, open(path, 'w'), indent=2)
PY

cp -r "$repo/plugins-config" "$root/"
mkdir -p "$root/benchmarks/peer"
cp "$repo/benchmarks/side_by_side.py" "$root/benchmarks/"
cp "$repo"/benchmarks/peer/*.py "$repo/benchmarks/peer/README.md" "$root/benchmarks/peer/"

cat > "$root/riskalign" <<'SH'
#!/usr/bin/env bash
# riskalign sweepclient ARGS | silo ARGS | benchmarks ARGS | exec CMD ARGS
# libtorch: RISKALIGN_LIBTORCH (a folder holding libtorch_cpu.so), else python3's torch package (torch/lib).
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
if [ -z "${RISKALIGN_LIBTORCH:-}" ]; then
  if RISKALIGN_LIBTORCH=$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__)+"/lib")' 2>/dev/null); then :; else
    echo "error: libtorch not found: RISKALIGN_LIBTORCH is not set and python3 on PATH has no torch package" >&2; exit 2
  fi
fi
export RISKALIGN_LIBTORCH
export LD_LIBRARY_PATH=$RISKALIGN_LIBTORCH${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export DOTNET_ROOT=$here/dotnet PATH=$here/dotnet:$PATH
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=${DOTNET_SYSTEM_GLOBALIZATION_INVARIANT:-1}
command=${1:-}; shift || true
case $command in
  sweepclient) exec "$here/dotnet/dotnet" "$here/app/RiskAlign.SweepClient.dll" "$@" ;;
  silo) exec "$here/dotnet/dotnet" "$here/app/RiskAlign.Silo.dll" "$@" ;;
  benchmarks) exec "$here/dotnet/dotnet" "$here/app/RiskAlign.Benchmarks.dll" "$@" ;;
  exec) exec "$@" ;;
  *) echo "usage: riskalign sweepclient ARGS | silo ARGS | benchmarks ARGS | exec CMD ARGS" >&2; exit 2 ;;
esac
SH
chmod +x "$root/riskalign"

# Every app must find each shared framework it names in the bundle's runtime (a missing one shows only on the target).
python3 - "$root" <<'PY'
import glob, json, os, sys
root = sys.argv[1]
for config in glob.glob(os.path.join(root, "app", "*.runtimeconfig.json")):
    options = json.load(open(config))["runtimeOptions"]
    for fx in options.get("frameworks", [options.get("framework")]):
        if fx and not glob.glob(os.path.join(root, "dotnet", "shared", fx["name"], fx["version"].split(".")[0] + ".*")):
            sys.exit(f"bundle: {os.path.basename(config)} needs {fx['name']} {fx['version']}, which the bundle lacks")
PY
mkdir -p "$(dirname "$out")"
echo "compressing..."
tar -C "$work" -cf - riskalign | xz -9e -T0 > "$out"
echo "$out: $(du -m "$out" | cut -f1) MB ($(du -sm "$root" | cut -f1) MB unpacked)"
