#!/usr/bin/env bash
# Fetches the DeepMind Control Suite XML models from the dm-control 1.0.7 wheel
# on PyPI, checks the wheel's sha256, and extracts the six domains used here
# plus common/ into the given folder. Nothing of dm_control is committed.
set -euo pipefail

dest="${1:-models}"
version="1.0.7"
wheel="dm_control-${version}-py3-none-any.whl"
sha256="16b0ed497b568c36a3aef6b5be4344fa822218304236a7d3b5f586dfe09375f6"
domains="cartpole ball_in_cup finger cheetah walker quadruped"

python="$(command -v python3 || true)"
if [[ -z "$python" ]]; then
    echo "fetch-models: python3 is needed to download the wheel (apt-get install python3 python3-pip)" >&2
    exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "fetch-models: downloading dm-control==${version} (about 38 MB)"
if ! "$python" -m pip download --quiet --no-deps --only-binary=:all: -d "$work" "dm-control==${version}"; then
    echo "fetch-models: pip could not download dm-control==${version}; is pip installed and PyPI reachable?" >&2
    exit 1
fi

actual="$(sha256sum "$work/$wheel" | cut -d' ' -f1)"
if [[ "$actual" != "$sha256" ]]; then
    echo "fetch-models: checksum mismatch for $wheel: expected $sha256, got $actual" >&2
    exit 1
fi

staging="$work/models"
mkdir -p "$staging/common"
"$python" - "$work/$wheel" "$staging" $domains <<'PY'
import sys, zipfile
wheel, out, domains = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as z:
    names = set(z.namelist())
    wanted = [f"dm_control/suite/{d}.xml" for d in domains]
    wanted += [n for n in names if n.startswith("dm_control/suite/common/") and n.endswith(".xml")]
    for name in wanted:
        if name not in names:
            sys.exit(f"fetch-models: {name} is missing from the wheel")
        target = out + "/" + name[len("dm_control/suite/"):]
        with open(target, "wb") as f:
            f.write(z.read(name))
PY

# Replace the destination in one step so an interrupted fetch leaves no half folder.
rm -rf "${dest}.partial"
mv "$staging" "${dest}.partial"
rm -rf "$dest"
mv "${dest}.partial" "$dest"
echo "fetch-models: $(ls "$dest" | wc -l) entries in $dest/ (dm-control ${version}, sha256 verified)"
